import { Node, type SourceFile, ts } from 'ts-morph';
import { FixRefusal, type FixOption, type Rule, type RuleFinding } from '../engine/types';
import { newLineOf, replaceVerbatim } from '../engine/morph';
import { calleeName, findAll, isFunctionLike, methodCall, propertyNameText, rangeOf, skipParens } from './shared/ast';
import { BEARER_HELPER, bearerExtractions, type BearerExtraction } from './shared/bearer';
import { anchorStatement, insertBefore, planCredentials, provideCredentials, requestFunction } from './shared/credentials';
import { guide } from './shared/docs';
import { removeImportIfUnused } from './shared/imports';
import { indentUnit } from './shared/lists';
import { declaredBy, findBinding } from './shared/scope';
import { legacyServiceOf, planServiceAccess, provideService, wrap } from './shared/services';
import { clientTarget, discoveredPluginIds, fetchTarget, tokenNameFor } from './shared/tokenTarget';

/**
 * The caller's bearer token, pulled out of the Authorization header and passed on. The new
 * services read the caller as credentials and issue a fresh token per target plugin.
 */
export const bearerTokenForwarding: Rule = {
  id: 'bearer-token-forwarding',
  title: 'Bearer token forwarding -> httpAuth.credentials',
  severity: 'warning',
  docsUrl: guide.forwarding,
  explanation:
    'Handing the incoming bearer token on to other plugins is what the new auth services replace. ' +
    'Read the caller with `httpAuth.credentials(req)`, pass `{ credentials }` to the permissions service, and issue a token ' +
    'for each target plugin with `auth.getPluginRequestToken` right before the call that needs it. ' +
    'Requests without a token get `none` credentials: the default auth policy turns them away before the handler runs, ' +
    "and where a policy lets them through, `getPluginRequestToken` throws for them. Checks such as `if (!token)` become `auth.isPrincipal(credentials, 'none')`.",
  example: {
    before: [
      "import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';",
      '',
      'export async function createRouter({ auth, httpAuth, catalog }: RouterOptions) {',
      "  router.get('/teams/:name', async (req, res) => {",
      "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
      '    res.json(await catalog.getEntityByRef(`group:${req.params.name}`, { token }));',
      '  });',
      '}',
      '',
    ].join('\n'),
    after: [
      'export async function createRouter({ auth, httpAuth, catalog }: RouterOptions) {',
      "  router.get('/teams/:name', async (req, res) => {",
      '    const credentials = await httpAuth.credentials(req);',
      '    const { token } = await auth.getPluginRequestToken({',
      '      onBehalfOf: credentials,',
      "      targetPluginId: 'catalog'",
      '    });',
      '    res.json(await catalog.getEntityByRef(`group:${req.params.name}`, { token }));',
      '  });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: [BEARER_HELPER, 'authorization', 'Authorization'],

  detect(ctx) {
    return bearerExtractions(ctx.sourceFile).flatMap((extraction): RuleFinding[] => {
      const plan = planForwarding(extraction);
      // Only checked with tokenManager.authenticate: that rule replaces the extraction itself.
      if (plan === 'owned elsewhere') return [];
      const finding: RuleFinding = {
        range: rangeOf(extraction.expression),
        message: 'The incoming bearer token is forwarded; read the caller with `httpAuth.credentials(req)` instead.',
      };
      if ('reason' in plan) return [{ ...finding, notFixableReason: plan.reason }];
      return [{ ...finding, fixes: plan.options }];
    });
  },

  fix({ sourceFile }, finding, optionId) {
    const extraction = bearerExtractions(sourceFile.compilerNode).find((e) => e.expression.getStart() === finding.range.start);
    if (!extraction) throw new FixRefusal('the code changed; the token extraction is no longer there');
    const plan = planForwarding(extraction);
    if (plan === 'owned elsewhere') throw new FixRefusal('the token-manager-authenticate rule rewrites this token');
    if ('reason' in plan) throw new FixRefusal(plan.reason);
    if (!plan.options.some((o) => o.id === optionId)) throw new FixRefusal('this fix is not available here');
    applyForwarding(sourceFile, extraction, plan, optionId.startsWith('target:') ? optionId.slice('target:'.length) : undefined);
  },
};

// ---------------------------------------------------------------------------------------------
// What the token is used for

type TokenUse =
  /** `{ token }` given to `permissions.authorize(...)`: becomes `{ credentials }`. */
  | { kind: 'permissions'; property: ts.ObjectLiteralElementLike }
  /** Sent to another plugin: gets a token issued for that plugin. */
  | { kind: 'outbound'; value: ts.Expression; property?: ts.ObjectLiteralElementLike; target?: string; call: ts.CallExpression }
  /** `if (token)` / `if (!token)`: becomes a check on the principal type. */
  | { kind: 'presence'; condition: ts.Expression; negated: boolean }
  /** `tokenManager.authenticate(token)`: the token-manager-authenticate rule rewrites it. */
  | { kind: 'authenticate'; call: ts.CallExpression }
  | { kind: 'unsupported'; reason: string };

interface ForwardingPlan {
  request: string;
  fn: ts.SignatureDeclaration;
  uses: TokenUse[];
  options: FixOption[];
}

function planForwarding(extraction: BearerExtraction): ForwardingPlan | { reason: string } | 'owned elsewhere' {
  const { request: requestNode, declaration } = extraction;
  if (!requestNode) {
    return {
      reason:
        'the Authorization header passed here does not come from a request this code receives, so there is no request to read credentials from; ' +
        'call `httpAuth.credentials(req)` in the handler and pass the credentials down instead',
    };
  }
  const request = requestNode.getText();
  const fn = requestFunction(extraction.expression, request);
  if (!fn) return { reason: `\`${request}\` is not a request this code receives; read the credentials where the request is handled` };
  if (declaration && ts.isVariableDeclarationList(declaration.parent) && !(declaration.parent.flags & ts.NodeFlags.Const)) {
    if (referencesOf(declaration).some((ref) => isAssignedTo(ref))) {
      return { reason: `\`${declaration.name.text}\` is reassigned, so this fix cannot tell which token each use gets; make it a \`const\` first` };
    }
  }
  const values = declaration ? referencesOf(declaration) : [extraction.expression];
  const uses = values.map((value) => classifyUse(value));
  const authenticate = uses.find((u): u is Extract<TokenUse, { kind: 'authenticate' }> => u.kind === 'authenticate');
  if (authenticate) {
    return uses.every((u) => u.kind === 'authenticate')
      ? 'owned elsewhere'
      : { reason: `the token is also checked with \`tokenManager.authenticate\` on line ${lineOf(authenticate.call)}; apply the token-manager-authenticate fix there first, then run this fix again` };
  }
  const unsupported = uses.find((u): u is Extract<TokenUse, { kind: 'unsupported' }> => u.kind === 'unsupported');
  if (unsupported) return { reason: unsupported.reason };
  if (uses.length === 0) return { reason: 'the token is never used, so there is nothing to migrate; delete the extraction' };

  const statement = declaration ? statementOf(declaration) : undefined;
  if (declaration && !statement) {
    return { reason: 'the token is declared together with other variables; give it its own `const` statement first' };
  }
  const credentials = planCredentials(statement ?? extraction.expression, { request });
  if (credentials.kind === 'none') return { reason: credentials.reason };
  if (uses.some((u) => u.kind === 'outbound' || u.kind === 'presence')) {
    const auth = planServiceAccess(statement ?? extraction.expression, 'auth');
    if (auth.kind === 'none') return { reason: auth.reason };
  }
  for (const use of uses) {
    if (use.kind === 'outbound' && !anchorStatement(use.value, fn)) {
      return { reason: `the token is sent on line ${lineOf(use.call)} from an expression-bodied function; give it a block body first` };
    }
  }

  const unknown = uses.filter((u): u is Extract<TokenUse, { kind: 'outbound' }> => u.kind === 'outbound' && !u.target);
  if (unknown.length === 0) return { request, fn, uses, options: [{ id: 'use-credentials', title: 'Read credentials with httpAuth and issue tokens per plugin', preferred: true }] };
  const known = uses.flatMap((u) => (u.kind === 'outbound' && u.target ? [u.target] : []));
  const candidates = [...new Set([...known, ...discoveredPluginIds(extraction.expression.getSourceFile())])];
  if (candidates.length === 0) {
    const call = unknown[0].call;
    return {
      reason:
        `the token is sent with \`${calleeText(call)}(...)\` on line ${lineOf(call)}, and which plugin receives it cannot be told from the code; ` +
        "issue a token for that plugin with `auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: '<plugin id>' })` by hand",
    };
  }
  return {
    request,
    fn,
    uses,
    options: candidates.map((id) => ({
      id: `target:${id}`,
      title: `Send the token from \`${calleeText(unknown[0].call)}(...)\` to plugin '${id}'`,
      preferred: false,
    })),
  };
}

function classifyUse(value: ts.Expression): TokenUse {
  let outer: ts.Node = value;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) {
    outer = outer.parent;
  }
  const parent = outer.parent;
  const line = lineOf(value);

  if ((ts.isShorthandPropertyAssignment(parent) && parent.name === outer) || (ts.isPropertyAssignment(parent) && parent.initializer === outer)) {
    const key = propertyNameText(parent.name);
    const object = parent.parent;
    const call = argumentOf(object);
    if (key !== 'token' || !call) {
      return { kind: 'unsupported', reason: `the token is stored in the \`${key ?? parent.name.getText()}\` property of an object on line ${line}, which this fix cannot follow; pass it straight to the call that uses it, then run the fix again` };
    }
    const method = methodCall(call);
    if (method && ['authorize', 'authorizeConditional'].includes(method.method) && call.arguments[1] === outerOf(object)) {
      if (legacyServiceOf(method.receiver) === 'permissions') return { kind: 'permissions', property: parent };
    }
    return { kind: 'outbound', value, property: parent, target: clientTarget(call), call };
  }
  if (ts.isTemplateSpan(parent) && isBearerTemplate(parent.parent)) {
    const call = enclosingCall(parent.parent);
    if (!call) return { kind: 'unsupported', reason: `the \`Bearer\` header built on line ${line} is not passed straight to a call, so the receiving plugin cannot be told; build it inside the request call, then run the fix again` };
    return { kind: 'outbound', value, target: fetchTarget(call), call };
  }
  if (ts.isIfStatement(parent) && parent.expression === outer) return { kind: 'presence', condition: outer as ts.Expression, negated: false };
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken && ts.isIfStatement(parent.parent) && parent.parent.expression === parent) {
    return { kind: 'presence', condition: parent, negated: true };
  }
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) {
    return { kind: 'unsupported', reason: `the token is returned on line ${line}; its callers would need credentials instead, so migrate them by hand` };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === outer) {
    return { kind: 'unsupported', reason: `the token is stored in \`${parent.left.getText()}\` on line ${line}, which this fix cannot follow; keep credentials instead and issue tokens where they are sent` };
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
    const method = methodCall(parent);
    if (method?.method === 'authenticate' && legacyServiceOf(method.receiver) === 'tokenManager') return { kind: 'authenticate', call: parent };
    return { kind: 'unsupported', reason: `the token is passed to \`${calleeText(parent)}(...)\` on line ${line}, which this fix cannot follow; change that code to take \`credentials\` from \`httpAuth.credentials(req)\`, then run the fix again` };
  }
  return { kind: 'unsupported', reason: `the token is used in \`${parent.getText().slice(0, 60)}\` on line ${line}, which this fix cannot rewrite safely; migrate that use by hand` };
}

/** The call that an object literal is passed to directly, if any. */
function argumentOf(object: ts.Node): ts.CallExpression | undefined {
  const outer = outerOf(object);
  const parent = outer.parent;
  return ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression) ? parent : undefined;
}

function outerOf(node: ts.Node): ts.Node {
  let outer = node;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  return outer;
}

/** `Bearer ${token}` and nothing else. */
function isBearerTemplate(template: ts.TemplateExpression): boolean {
  return (
    template.templateSpans.length === 1 &&
    template.templateSpans[0].literal.text === '' &&
    template.head.text.trim().toLowerCase() === 'bearer'
  );
}

/** The call whose arguments contain `node` (through object literals), not crossing functions. */
function enclosingCall(node: ts.Node): ts.CallExpression | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (isFunctionLike(parent) || ts.isStatement(parent)) return undefined;
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) return parent;
  }
  return undefined;
}

function referencesOf(declaration: ts.VariableDeclaration & { name: ts.Identifier }): ts.Identifier[] {
  const scope = declaration.parent.parent.parent;
  return findAll(scope, (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === declaration.name.text && n !== declaration.name).filter(
    (id) => findBinding(id, id.text) === declaration.name && isValueReference(id),
  );
}

function isValueReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === id) return false;
  return true;
}

function isAssignedTo(id: ts.Identifier): boolean {
  const parent = id.parent;
  return ts.isBinaryExpression(parent) && parent.left === id && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function statementOf(declaration: ts.VariableDeclaration): ts.VariableStatement | undefined {
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
  return ts.isVariableStatement(list.parent) ? list.parent : undefined;
}

function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

function calleeText(call: ts.CallExpression): string {
  const callee = skipParens(call.expression);
  return ts.isBinaryExpression(callee) ? (calleeName(call) ?? 'the call') : callee.getText();
}

// ---------------------------------------------------------------------------------------------
// The rewrite

interface Issue {
  target: string;
  name: string;
  /** The statement list the token is issued in, and where. */
  block: ts.Node;
  start: number;
  anchor: ts.Statement;
}

function applyForwarding(sourceFile: SourceFile, extraction: BearerExtraction, plan: ForwardingPlan, chosenTarget: string | undefined): void {
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
    return feederStatement ? [{ name: (f.name as ts.Identifier).text, statement: wrap(sourceFile, feederStatement) }] : [];
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
    if (!hasReferences(sourceFile, feeder.statement, feeder.name)) removeNode(feeder.statement);
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

function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
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

function hasReferences(sourceFile: SourceFile, statement: Node, name: string): boolean {
  const declared = (statement.compilerNode as ts.VariableStatement).declarationList.declarations[0].name;
  return findAll(sourceFile.compilerNode, ts.isIdentifier).some(
    (id) => id !== declared && id.text === name && findBinding(id, name) === declared && isValueReference(id),
  );
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
  if (!declaration || hasOtherReferences(sourceFile.compilerNode, declaration)) return;
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

function hasOtherReferences(root: ts.Node, declared: ts.Identifier): boolean {
  return findAll(root, ts.isIdentifier).some((id) => id !== declared && id.text === declared.text && findBinding(id, id.text) === declared && isValueReference(id));
}

/** `require('x')`, also wrapped as compiled code does: `__importStar(require('x'))`. */
function isRequireCall(node: ts.Expression): boolean {
  const expr = skipParens(node);
  if (!ts.isCallExpression(expr)) return false;
  if (ts.isIdentifier(expr.expression) && expr.expression.text === 'require') return true;
  return expr.arguments.length === 1 && isRequireCall(expr.arguments[0]);
}
