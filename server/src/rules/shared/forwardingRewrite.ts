// The bearer-token-forwarding rewrite: the token statement becomes
// `const credentials = await httpAuth.credentials(req)`, each plugin that received the token gets
// one issued for it right before it is first sent, permission checks take `{ credentials }`,
// token checks become principal checks, and what only fed the token goes.
import { type Node, type SourceFile, ts } from 'ts-morph';
import { newLineOf, replaceVerbatim } from '../../engine/morph';
import { FixRefusal } from '../../engine/types';
import { boundIdentifiers, findAll, skipParens } from './ast';
import { BEARER_HELPER, type BearerExtraction } from './bearer';
import { anchorStatement, insertBefore, provideCredentials } from './credentials';
import { statementOf, type ForwardingPlan, type TokenUse } from './forwardingPlan';
import { removeImportIfUnused } from './imports';
import { indentUnit } from './lists';
import { isWithin, referencesOf } from './references';
import { declaredBy, findBinding } from './scope';
import { provideService, wrap } from './services';
import { tokenNameFor } from './tokenTarget';

interface Issue {
  target: string;
  name: string;
  /** The statement list the token is issued in, and where. */
  block: ts.Node;
  start: number;
  anchor: ts.Statement;
}

export function applyForwarding(sourceFile: SourceFile, extraction: BearerExtraction, plan: ForwardingPlan, chosenTarget: string | undefined): void {
  const { declaration } = extraction;
  const statement = declaration && statementOf(declaration);
  // The credentials take the token statement's place unless it sits inside a callback.
  const replacesStatement = !!statement && anchorStatement(statement, plan.fn) === statement;
  const namespace = helperNamespace(extraction.expression);
  const needsAuth = plan.uses.some((u) => u.kind === 'outbound' || u.kind === 'presence');

  // Decide every new token binding on the untouched tree, then hold wrappers across the edits.
  const issues = planIssues(plan, chosenTarget, declaration?.name);
  const at = wrap(sourceFile, statement ?? extraction.expression);
  const edits = plan.uses.map((use) => wrapUse(sourceFile, use, issues.byUse));
  const anchors = issues.list.map((issue) => ({ issue, anchor: wrap(sourceFile, issue.anchor) }));
  const feeders = extraction.feeders.flatMap((f) => {
    const feederStatement = statementOf(f);
    return feederStatement ? [wrap(sourceFile, feederStatement)] : [];
  });

  const auth = needsAuth ? provideService(sourceFile, at, 'auth') : '';
  const credentials = provideCredentials(sourceFile, at, { request: plan.request, replace: replacesStatement });
  if (statement && !replacesStatement) removeNode(at);

  const settings = sourceFile.getProject().manipulationSettings;
  const quote = settings.getQuoteKind() as string;
  const comma = settings.getUseTrailingCommas() ? ',' : '';
  const nl = newLineOf(sourceFile);
  const indent = indentUnit(sourceFile.getFullText());
  for (const { issue, anchor } of anchors) {
    const binding = issue.name === 'token' ? '{ token }' : `{ token: ${issue.name} }`;
    insertBefore(
      anchor,
      `const ${binding} = await ${auth}.getPluginRequestToken({${nl}${indent}onBehalfOf: ${credentials},${nl}${indent}targetPluginId: ${quote}${issue.target}${quote}${comma}${nl}});`,
    );
  }
  for (const edit of edits) {
    if (edit.kind === 'permissions') {
      replaceVerbatim(edit.node, credentials === 'credentials' ? 'credentials' : `credentials: ${credentials}`);
    } else if (edit.kind === 'presence') {
      replaceVerbatim(edit.node, `${edit.negated ? '' : '!'}${auth}.isPrincipal(${credentials}, ${quote}none${quote})`);
    } else if (edit.shorthand) {
      if (edit.issue.name !== 'token') replaceVerbatim(edit.node, `token: ${edit.issue.name}`);
    } else {
      replaceVerbatim(edit.node, edit.issue.name);
    }
  }
  for (const feeder of feeders) {
    if (!isRead(feeder.compilerNode as ts.VariableStatement)) removeNode(feeder);
  }
  removeImportIfUnused(sourceFile, BEARER_HELPER);
  if (namespace) removeNamespaceIfUnused(sourceFile, namespace);
}

/** One token per target plugin and block, issued before the first statement that sends it. */
function planIssues(
  plan: ForwardingPlan,
  chosenTarget: string | undefined,
  oldName: ts.Identifier | undefined,
): { list: Issue[]; byUse: Map<TokenUse, Issue> } {
  const outbound = plan.uses.filter((u): u is Extract<TokenUse, { kind: 'outbound' }> => u.kind === 'outbound');
  const targetOf = (use: Extract<TokenUse, { kind: 'outbound' }>) => use.target ?? chosenTarget;
  const targets = new Set(outbound.map(targetOf));
  const list: Issue[] = [];
  const byUse = new Map<TokenUse, Issue>();
  for (const use of outbound) {
    const target = targetOf(use);
    const anchor = anchorStatement(use.value, plan.fn);
    if (!target || !anchor) throw new FixRefusal('the plugin that receives the token is not known');
    let issue = list.find((i) => i.target === target && i.start <= anchor.getStart() && isWithin(anchor, i.block));
    if (!issue) {
      const name = pickName(plan.fn, targets.size === 1 ? 'token' : tokenNameFor(target), tokenNameFor(target), oldName);
      issue = { target, name, block: anchor.parent, start: anchor.getStart(), anchor };
      list.push(issue);
    }
    byUse.set(use, issue);
  }
  return { list, byUse };
}

function pickName(fn: ts.Node, first: string, second: string, oldName: ts.Identifier | undefined): string {
  for (const name of [first, second]) {
    if (!declares(fn, name, oldName) && !findBinding(fn, name)) return name;
  }
  throw new FixRefusal(`\`${second}\` is already declared in this handler; rename it, then run the fix again`);
}

function declares(root: ts.Node, name: string, except: ts.Identifier | undefined): boolean {
  return findAll(root, ts.isIdentifier).some((id) => {
    if (id.text !== name || id === except) return false;
    const parent = id.parent;
    return (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) && parent.name === id;
  });
}

type WrappedUse =
  | { kind: 'permissions'; node: Node }
  | { kind: 'presence'; node: Node; negated: boolean }
  | { kind: 'outbound'; node: Node; shorthand: boolean; issue: Issue };

function wrapUse(sourceFile: SourceFile, use: TokenUse, issues: Map<TokenUse, Issue>): WrappedUse {
  switch (use.kind) {
    case 'permissions':
      return { kind: 'permissions', node: wrap(sourceFile, use.property) };
    case 'presence':
      return { kind: 'presence', node: wrap(sourceFile, use.condition), negated: use.negated };
    case 'outbound': {
      const issue = issues.get(use);
      if (!issue) throw new FixRefusal('the token use could not be matched to a target');
      const shorthand = !!use.property && ts.isShorthandPropertyAssignment(use.property);
      return { kind: 'outbound', node: wrap(sourceFile, shorthand ? use.property! : use.value), shorthand, issue };
    }
    case 'unsupported':
      throw new FixRefusal(use.reason);
    case 'authenticate':
      throw new FixRefusal('the token-manager-authenticate rule rewrites this use');
  }
}

function removeNode(node: Node): void {
  (node as unknown as { remove(): void }).remove();
}

/** Whether anything still reads a name the (single-declaration) statement declares. */
function isRead(statement: ts.VariableStatement): boolean {
  return boundIdentifiers(statement.declarationList.declarations[0].name).some((name) => referencesOf(name).length > 0);
}

/** `ns` in `ns.getBearerTokenFromAuthorizationHeader(...)` or compiled `(0, ns.getBearer...)(...)`. */
function helperNamespace(expression: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expression)) return undefined;
  let callee = skipParens(expression.expression);
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipParens(callee.right);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
}

/** Drops `import * as ns` / `const ns = require(...)` once nothing reads `ns` any more. */
function removeNamespaceIfUnused(sourceFile: SourceFile, name: string): void {
  const declaration = sourceFile.compilerNode.statements.map((st) => declaredBy(st, name)).find((id) => id);
  if (!declaration || referencesOf(declaration).length > 0) return;
  const parent = declaration.parent;
  if (ts.isNamespaceImport(parent)) {
    const importDeclaration = parent.parent.parent;
    if (!parent.parent.name) removeNode(wrap(sourceFile, importDeclaration));
    return;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer && isRequireCall(parent.initializer)) {
    const statement = statementOf(parent);
    if (statement) removeNode(wrap(sourceFile, statement));
  }
}

/** `require('x')`, also wrapped as compiled code does: `__importStar(require('x'))`. */
function isRequireCall(node: ts.Expression): boolean {
  const expr = skipParens(node);
  if (!ts.isCallExpression(expr)) return false;
  if (ts.isIdentifier(expr.expression) && expr.expression.text === 'require') return true;
  return expr.arguments.length === 1 && isRequireCall(expr.arguments[0]);
}
