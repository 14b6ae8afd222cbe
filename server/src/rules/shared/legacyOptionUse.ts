// Does a router still need `identity`/`tokenManager` to be there? Once its calls go through
// `auth`/`httpAuth`, the old option is only handed to `createLegacyAuthAdapters` or defaulted
// (`options.identity ?? DefaultIdentityClient.create(...)`); both work with `undefined`, so the
// option can become optional. Any other read (a call, handing it on) still needs a value, and
// making the option optional then breaks the build (TS18048 "possibly 'undefined'").
import { ts } from 'ts-morph';
import { calleeName, propertyNameText, referencesTo, skipParens, walk } from './ast';

export type LegacyOption = 'identity' | 'tokenManager';
export const LEGACY_OPTIONS: readonly LegacyOption[] = ['identity', 'tokenManager'];

type RouterFunction = ts.SignatureDeclaration & { body?: ts.Node };

/** The old options this router still reads in a way that needs a value, in LEGACY_OPTIONS order. */
export function legacyOptionsInUse(fn: RouterFunction): LegacyOption[] {
  return LEGACY_OPTIONS.filter((option) => directUses(fn, option).length > 0);
}

/** The reads of `option` in the router that need it defined (see the file comment). */
export function directUses(fn: RouterFunction, option: LegacyOption): ts.Node[] {
  const param = fn.parameters[0];
  const body = fn.body;
  if (!param || !body) return [];
  const uses: ts.Node[] = [];
  const followLocal = (name: ts.Identifier) => {
    for (const ref of referencesTo(body, name.text)) if (ref !== name && needsValue(ref)) uses.push(ref);
  };
  const visitPattern = (pattern: ts.ObjectBindingPattern) => {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken || propertyNameText(element.propertyName ?? element.name) !== option) continue;
      // `{ identity = DefaultIdentityClient.create(...) }` always has a value.
      if (element.initializer) continue;
      if (ts.isIdentifier(element.name)) followLocal(element.name);
      else uses.push(element); // destructured further: reads members of the option
    }
  };

  if (ts.isObjectBindingPattern(param.name)) visitPattern(param.name);
  if (!ts.isIdentifier(param.name)) return uses;
  const optionsName = param.name.text;
  walk(body, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const init = skipParens(node.initializer);
      if (ts.isIdentifier(init) && init.text === optionsName) visitPattern(node.name);
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === option &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === optionsName
    ) {
      const outer = outermost(node);
      const declaration = outer.parent;
      // `const tm = options.tokenManager;`: the local holds the option as it is.
      if (ts.isVariableDeclaration(declaration) && declaration.initializer === outer && ts.isIdentifier(declaration.name)) {
        followLocal(declaration.name);
      } else if (needsValue(node)) {
        uses.push(node);
      }
    }
  });
  return uses;
}

/** False for the reads that are fine with `undefined`: defaults, presence checks, `?.`, the adapters. */
function needsValue(read: ts.Node): boolean {
  const node = outermost(read);
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) {
    const kind = parent.operatorToken.kind;
    if (
      kind === ts.SyntaxKind.QuestionQuestionToken ||
      kind === ts.SyntaxKind.BarBarToken ||
      kind === ts.SyntaxKind.AmpersandAmpersandToken ||
      kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      kind === ts.SyntaxKind.EqualsEqualsToken ||
      kind === ts.SyntaxKind.ExclamationEqualsToken
    ) {
      return false;
    }
  }
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return false;
  if (ts.isTypeOfExpression(parent)) return false;
  if (ts.isIfStatement(parent) && parent.expression === node) return false;
  if (ts.isConditionalExpression(parent) && parent.condition === node) return false;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node && parent.questionDotToken) {
    return false;
  }
  return !insideAdaptersCall(node);
}

function outermost(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent)) {
    // `options.identity!` asserts a value: that is a read that needs one.
    if (ts.isNonNullExpression(current.parent)) return current;
    current = current.parent;
  }
  return current;
}

function insideAdaptersCall(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isBlock(current); current = current.parent) {
    if (ts.isCallExpression(current) && calleeName(current) === 'createLegacyAuthAdapters') return true;
  }
  return false;
}
