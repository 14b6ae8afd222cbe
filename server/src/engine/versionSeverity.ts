// Severities that follow the versions: a `{ token }` option of a permission check still compiles
// (deprecated) with plugin-permission-common 0.7 and backend-plugin-api 0.6, but is a compile
// error once plugin-permission-common 0.8.0 removed it from PermissionEvaluator, or
// backend-plugin-api 0.7.0 from PermissionsService. Findings about such an option then become
// errors. Keyed by rule id; the rules themselves do not know about versions.
import { ts } from 'ts-morph';
import type { RuleFinding, Severity } from './types';
import { atLeast } from './semver';
import type { VersionFacts } from './versions';

interface Adjustment {
  severity: Severity;
  /** The version fact that makes this finding more severe, or undefined. */
  applies(versions: VersionFacts): boolean;
  /** Whether this finding is about the affected code (default: every finding of the rule). */
  involves?(finding: RuleFinding, sourceFile: ts.SourceFile): boolean;
}

function tokenOptionRemoved(versions: VersionFacts): boolean {
  const common = versions.packages['@backstage/plugin-permission-common'];
  const api = versions.packages['@backstage/backend-plugin-api'];
  return (!!common && atLeast(common.version, '0.8.0')) || (!!api && atLeast(api.version, '0.7.0'));
}

const ADJUSTMENTS: Readonly<Record<string, Adjustment>> = {
  'permissions-token-option': { severity: 'error', applies: tokenOptionRemoved },
  'bearer-token-forwarding': { severity: 'error', applies: tokenOptionRemoved, involves: tokenReachesPermissionCheck },
};

/** The severity the versions call for, or undefined to keep the rule's own. */
export function versionSeverity(
  ruleId: string,
  finding: RuleFinding,
  versions: VersionFacts,
  sourceFile: ts.SourceFile,
): Severity | undefined {
  const adjustment = ADJUSTMENTS[ruleId];
  if (!adjustment || !adjustment.applies(versions)) return undefined;
  if (adjustment.involves && !adjustment.involves(finding, sourceFile)) return undefined;
  return adjustment.severity;
}

const PERMISSION_METHODS = ['authorize', 'authorizeConditional'];

/**
 * The bearer token read at the finding ends up in `{ token }` of a permission check: directly
 * (`{ token: getBearerTokenFromAuthorizationHeader(...) }`) or through the local it is stored in.
 */
function tokenReachesPermissionCheck(finding: RuleFinding, sourceFile: ts.SourceFile): boolean {
  const read = nodeAt(sourceFile, finding.range.start, finding.range.end);
  if (!read) return false;
  if (isPermissionTokenOption(read)) return true;
  let outer: ts.Node = read;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAwaitExpression(outer.parent)) outer = outer.parent;
  const declaration = outer.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  const scope = enclosingFunction(declaration) ?? sourceFile;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && isPermissionTokenOption(node)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

/** `value` is the `token` of the options object given to `x.authorize(...)`/`authorizeConditional`. */
function isPermissionTokenOption(value: ts.Node): boolean {
  const property = value.parent;
  const isToken =
    (ts.isShorthandPropertyAssignment(property) && property.name === value && property.name.text === 'token') ||
    (ts.isPropertyAssignment(property) && property.initializer === value && ts.isIdentifier(property.name) && property.name.text === 'token');
  if (!isToken) return false;
  const options = property.parent;
  const call = options.parent;
  if (!ts.isObjectLiteralExpression(options) || !ts.isCallExpression(call) || call.arguments[1] !== options) return false;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && PERMISSION_METHODS.includes(callee.name.text);
}

function nodeAt(sourceFile: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getStart(sourceFile) > start || node.getEnd() < end) return;
    if (node.getStart(sourceFile) === start && node.getEnd() === end) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  // The outermost node with that exact range; an expression statement would not be the read.
  while (found && ts.isExpressionStatement(found)) found = found.expression;
  return found;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}
