import { type Node, type SourceFile, ts } from 'ts-morph';
import { nodeAtStart, replaceVerbatim } from '../engine/morph';
import { FixRefusal, type Finding, type Rule, type RuleFinding } from '../engine/types';
import { findAll, isFunctionLike, methodCall, objectProperty, propertyValue, rangeOf, skipParens } from './shared/ast';
import { guide } from './shared/docs';
import { ERRORS, ensureImport, removeImportIfUnused } from './shared/imports';
import { aliasStatement, type AliasMark, markAlias, removeMarkedAlias } from './shared/legacyAlias';
import { requestTokenSource, type RequestToken } from './shared/bearer';
import { findBinding, nameIsTaken } from './shared/scope';
import { legacyCalls, legacyServiceOf, planServiceAccess, provideService, serviceReachability, wrap } from './shared/services';
import { editStatements, statementContainer, type StatementEdit } from './shared/statementEdits';
import { referencesOf } from './shared/references';

type Form = 'request' | 'mixed' | 'token';

const FIX_TITLES: Record<Form, string> = {
  request: "Check the request with httpAuth.credentials, allowing services only",
  mixed: "Check the request with httpAuth.credentials, allowing users and services",
  token: 'Check the token with auth.authenticate, allowing services only',
};

/**
 * `tokenManager.authenticate(token)` accepted only service tokens. On an incoming request the
 * same check is `httpAuth.credentials(req, { allow: ['service'] })`; for a token from elsewhere
 * it is `auth.authenticate(token)` plus a service-principal check, because `auth.authenticate`
 * alone would also accept user tokens.
 */
export const tokenManagerAuthenticate: Rule = {
  id: 'token-manager-authenticate',
  title: 'tokenManager.authenticate() -> httpAuth.credentials()',
  severity: 'warning',
  docsUrl: guide.root,
  explanation:
    '`tokenManager.authenticate(token)` lets only other backend services through. With the new auth services the request ' +
    "itself is checked: `httpAuth.credentials(req, { allow: ['service'] })` reads the bearer token, verifies it (including " +
    'the new plugin-to-plugin tokens) and rejects users, so the hand-written token extraction can go. A check that first ' +
    "tries `identity.getIdentity` and falls back to the token manager becomes `allow: ['user', 'service']`.",
  example: {
    before: [
      'function addExportRoute({ httpAuth, router, store, tokenManager }: ExportDeps) {',
      "  router.get('/export', async (req, res) => {",
      "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
      '    await tokenManager.authenticate(token!);',
      '    res.json(await store.exportAll());',
      '  });',
      '}',
      '',
    ].join('\n'),
    after: [
      'function addExportRoute({ httpAuth, router, store, tokenManager }: ExportDeps) {',
      "  router.get('/export', async (req, res) => {",
      "    await httpAuth.credentials(req, { allow: ['service'] });",
      '    res.json(await store.exportAll());',
      '  });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['authenticate'],

  detect(ctx) {
    return legacyCalls(ctx.sourceFile, 'tokenManager', ['authenticate']).map(({ call, receiver }) =>
      describeCall(call, receiver),
    );
  },

  fix({ sourceFile }, finding) {
    const form = finding.data?.form as Form | undefined;
    if (form === 'mixed') return fixMixed(sourceFile, finding);
    const call = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.CallExpression, finding.range.end);
    if (!call) throw new FixRefusal('the code changed; the call is no longer there');
    const analysis = analyzeCall(call.compilerNode as ts.CallExpression);
    if (!analysis || analysis.form !== form) throw new FixRefusal('the code changed shape; run the check again');
    if (form === 'request') return fixRequest(sourceFile, call.compilerNode as ts.CallExpression, analysis.source!);
    return fixToken(sourceFile, call.compilerNode as ts.CallExpression);
  },
};

interface CallAnalysis {
  form: Form;
  statement: ts.ExpressionStatement;
  source?: RequestToken;
  mixed?: { first: ts.VariableStatement; last: ts.IfStatement; request: string };
}

function describeCall(call: ts.CallExpression, receiver: ts.Expression): RuleFinding {
  const name = `${receiver.getText()}.authenticate(${call.arguments.map((a) => a.getText()).join(', ')})`;
  const range = rangeOf(call);
  const analysis = analyzeCall(call);
  if (!analysis) {
    const source = call.arguments[0] && requestTokenSource(call.arguments[0]);
    const replacement = source
      ? `\`httpAuth.credentials(${source.request.text}, { allow: ['service'] })\``
      : "`auth.authenticate(token)` followed by a check that `auth.isPrincipal(credentials, 'service')`";
    return {
      range,
      message: `\`${name}\` checks for a service token by hand; use the new auth services.`,
      notFixableReason: `its result is used as a value, not just awaited as a statement, so it is not rewritten automatically; rewrite it by hand with ${replacement}, which rejects non-service callers by throwing`,
    };
  }
  if (analysis.form === 'mixed') {
    const { first, last, request } = analysis.mixed!;
    return withReachability(
      {
        range: { start: first.getStart(), end: last.getEnd() },
        message: `This accepts a signed-in user or, failing that, a service token (\`${name}\`); \`httpAuth.credentials(${request}, { allow: ['user', 'service'] })\` does both.`,
        data: { form: 'mixed' },
      },
      call,
      'httpAuth',
    );
  }
  if (analysis.form === 'request') {
    const request = analysis.source!.request.text;
    return withReachability(
      {
        range,
        message: `\`${name}\` checks the request's bearer token by hand; \`httpAuth.credentials(${request}, { allow: ['service'] })\` does the same check.`,
        data: { form: 'request' },
      },
      call,
      'httpAuth',
    );
  }
  return withReachability(
    {
      range,
      message: `\`${name}\` accepts service tokens only; \`auth.authenticate\` also accepts user tokens, so keep a service-principal check.`,
      data: { form: 'token' },
    },
    call,
    'auth',
  );
}

function withReachability(finding: RuleFinding, at: ts.Node, service: 'auth' | 'httpAuth'): RuleFinding {
  const reason = serviceReachability(at, service);
  if (reason) return { ...finding, notFixableReason: reason };
  const form = finding.data?.form as Form;
  return { ...finding, fixes: [{ id: `${form}-check`, title: FIX_TITLES[form], preferred: true }] };
}

/** Which rewrite fits, or undefined when the call's result is used (not a plain `await x;`). */
function analyzeCall(call: ts.CallExpression): CallAnalysis | undefined {
  const statement = awaitedStatement(call);
  if (!statement) return undefined;
  const token = call.arguments[0];
  const source = token && requestTokenSource(token);
  if (source && requestInReach(source.request, call)) {
    const mixed = mixedForm(statement, source);
    return mixed ? { form: 'mixed', statement, source, mixed } : { form: 'request', statement, source };
  }
  return statementContainer(statement) ? { form: 'token', statement } : undefined;
}

/** `await x.authenticate(token);` as a statement of its own. */
function awaitedStatement(call: ts.CallExpression): ts.ExpressionStatement | undefined {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const awaited = node.parent;
  if (!ts.isAwaitExpression(awaited)) return undefined;
  node = awaited;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent) ? node.parent : undefined;
}

/** The request variable is a parameter of a function around the call (a handler or middleware). */
function requestInReach(request: ts.Identifier, call: ts.CallExpression): boolean {
  const binding = findBinding(request, request.text);
  return !!binding && ts.isParameter(binding.parent) && findBinding(call, request.text) === binding;
}

/**
 * `const user = await identity.getIdentity({ request: req });` directly followed by
 * `if (!user) { <token extraction>; await tokenManager.authenticate(token); }`, where `user` is
 * read nowhere else: the whole pair is "a user or a service".
 */
function mixedForm(statement: ts.ExpressionStatement, source: RequestToken): CallAnalysis['mixed'] {
  const block = statement.parent;
  const check = block.parent;
  if (!ts.isBlock(block) || !ts.isIfStatement(check) || check.thenStatement !== block || check.elseStatement) return undefined;
  const test = skipParens(check.expression);
  if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken) return undefined;
  const user = skipParens(test.operand);
  if (!ts.isIdentifier(user)) return undefined;
  const declaration = findBinding(user, user.text)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const first = declaration.parent.parent;
  const container = statementContainer(check);
  if (!ts.isVariableStatement(first) || first.declarationList.declarations.length !== 1 || !container) return undefined;
  const statements = container.statements;
  if (statements.indexOf(first) === -1 || statements.indexOf(first) + 1 !== statements.indexOf(check)) return undefined;
  if (referencesOf(declaration.name).length !== 1) return undefined;

  const request = identityRequest(declaration.initializer);
  if (!request || findBinding(request, request.text) !== findBinding(source.request, source.request.text)) return undefined;
  // Everything in the fallback branch must be the token check itself.
  const extraction = new Set<ts.Node>(source.declarations.map((d) => d.parent.parent));
  const onlyTheCheck = block.statements.every(
    (s) => s === statement || extraction.has(s) || guardedName(s) !== undefined,
  );
  if (!onlyTheCheck || [...extraction].some((s) => s.parent !== block)) return undefined;
  return { first, last: check, request: request.text };
}

/** The request passed to `identity.getIdentity({ request: req })` (awaited). */
function identityRequest(initializer: ts.Expression | undefined): ts.Identifier | undefined {
  if (!initializer) return undefined;
  const awaited = skipParens(initializer);
  if (!ts.isAwaitExpression(awaited)) return undefined;
  const call = methodCall(skipParens(awaited.expression));
  if (!call || call.method !== 'getIdentity' || legacyServiceOf(call.receiver) !== 'identity') return undefined;
  const options = call.call.arguments[0] && skipParens(call.call.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const property = objectProperty(options, 'request');
  const value = property && propertyValue(property);
  const request = value && skipParens(value);
  return request && ts.isIdentifier(request) ? request : undefined;
}

/** `if (!token) throw new AuthenticationError(...)`: the name it guards, if it is such a guard. */
function guardedName(statement: ts.Statement): string | undefined {
  if (!ts.isIfStatement(statement) || statement.elseStatement) return undefined;
  const test = skipParens(statement.expression);
  if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken) return undefined;
  const operand = skipParens(test.operand);
  if (!ts.isIdentifier(operand)) return undefined;
  let body = statement.thenStatement;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1) return undefined;
    body = body.statements[0];
  }
  if (!ts.isThrowStatement(body) || !body.expression) return undefined;
  const thrown = skipParens(body.expression);
  const throwsAuthError =
    ts.isNewExpression(thrown) && ts.isIdentifier(thrown.expression) && thrown.expression.text === 'AuthenticationError';
  return throwsAuthError ? operand.text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Fixes

function fixRequest(sourceFile: SourceFile, compilerCall: ts.CallExpression, source: RequestToken): void {
  const call = wrap(sourceFile, compilerCall);
  const aliasWrapper = wrapAlias(sourceFile, compilerCall);
  const declarations = source.declarations.map((d) => wrap(sourceFile, d));
  const request = source.request.text;
  const httpAuth = provideService(sourceFile, call, 'httpAuth');
  ensureVisible(call.compilerNode, httpAuth, 'httpAuth');
  const q = sourceFile.getProject().manipulationSettings.getQuoteKind() as string;
  replaceVerbatim(call, `${httpAuth}.credentials(${request}, { allow: [${q}service${q}] })`);
  const alias = markWrappedAlias(aliasWrapper);
  removeUnusedExtraction(sourceFile, declarations.filter((d) => !d.wasForgotten()).map((d) => d.getStart()));
  removeMarkedAlias(sourceFile, alias);
  removeUnusedImports(sourceFile);
}

/** The wrapper of the `const tm = tokenManager` alias the call goes through, if any. */
function wrapAlias(sourceFile: SourceFile, call: ts.CallExpression): Node | undefined {
  const alias = aliasStatement(call, 'tokenManager');
  return alias && wrap(sourceFile, alias);
}

function markWrappedAlias(alias: Node | undefined): AliasMark | undefined {
  if (!alias || alias.wasForgotten()) return undefined;
  return markAlias(alias.compilerNode as ts.VariableStatement, 'tokenManager', alias.getStart());
}

function fixMixed(sourceFile: SourceFile, finding: Finding): void {
  const first = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.VariableStatement);
  const firstNode = first?.compilerNode as ts.VariableStatement | undefined;
  const container = firstNode && statementContainer(firstNode);
  const last = container?.statements[container.statements.indexOf(firstNode!) + 1];
  const call = last && findAll(last, ts.isCallExpression).find((c) => methodCall(c)?.method === 'authenticate');
  const analysis = call && analyzeCall(call);
  if (!first || !analysis?.mixed || analysis.mixed.last.getEnd() !== finding.range.end) {
    throw new FixRefusal('the code changed shape; run the check again');
  }
  const httpAuth = provideService(sourceFile, first, 'httpAuth');
  ensureVisible(first.compilerNode, httpAuth, 'httpAuth');
  const statement = first.compilerNode as ts.VariableStatement;
  const check = statementContainer(statement)!.statements[statementContainer(statement)!.statements.indexOf(statement) + 1];
  const q = sourceFile.getProject().manipulationSettings.getQuoteKind() as string;
  const text = `await ${httpAuth}.credentials(${analysis.mixed.request}, { allow: [${q}user${q}, ${q}service${q}] });`;
  editStatements(sourceFile, [{ first: statement, last: check, text }]);
  removeUnusedImports(sourceFile);
}

function fixToken(sourceFile: SourceFile, compilerCall: ts.CallExpression): void {
  const call = wrap(sourceFile, compilerCall);
  const aliasWrapper = wrapAlias(sourceFile, compilerCall);
  const auth = provideService(sourceFile, call, 'auth');
  ensureVisible(call.compilerNode, auth, 'auth');
  const current = call.compilerNode as ts.CallExpression;
  const statement = awaitedStatement(current);
  const fn = enclosingFunction(current);
  if (!statement || !fn) throw new FixRefusal('the code changed shape; run the check again');
  const name = ['credentials', 'serviceCredentials'].find((n) => !nameIsTaken(fn, n));
  if (!name) throw new FixRefusal('the names `credentials` and `serviceCredentials` are both taken in this function');
  const settings = sourceFile.getProject().manipulationSettings;
  const q = settings.getQuoteKind() as string;
  const unit = settings.getIndentationText() as string;
  const token = current.arguments.map((a) => a.getText()).join(', ');
  const text = [
    `const ${name} = await ${auth}.authenticate(${token});`,
    `if (!${auth}.isPrincipal(${name}, ${q}service${q})) {`,
    `${unit}throw new NotAllowedError(${q}Only backend services may call this${q});`,
    '}',
  ].join('\n');
  const alias = markWrappedAlias(aliasWrapper);
  editStatements(sourceFile, [{ first: statement, text }]);
  removeMarkedAlias(sourceFile, alias);
  ensureImport(sourceFile, ERRORS, 'NotAllowedError');
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** `provideService` may have declared the service after this point (e.g. in a leading statement). */
function ensureVisible(at: ts.Node, expression: string, service: 'auth' | 'httpAuth'): void {
  if (expression.includes('.')) return;
  const plan = planServiceAccess(at, service);
  if (plan.kind !== 'bound' || plan.expression !== expression) {
    throw new FixRefusal(`\`${expression}\` cannot be made available before this check; move the check below the options it reads`);
  }
}

/**
 * Drops the token extraction the old check needed (`const token = ...`, `const header = ...`)
 * and its `if (!token) throw new AuthenticationError(...)` guards, once nothing else reads the
 * token. Declarations are found again by start offset; one block is rewritten at a time, the
 * innermost first, so a guard never outlives the variable it reads.
 */
function removeUnusedExtraction(sourceFile: SourceFile, declarationStarts: number[]): void {
  for (let pass = 0; pass < 10; pass++) {
    const edits = extractionEdits(sourceFile.compilerNode, declarationStarts);
    if (edits.length === 0) break;
    const depth = (e: StatementEdit) => depthOf(e.first);
    const deepest = Math.max(...edits.map(depth));
    const first = edits.find((e) => depth(e) === deepest)!;
    editStatements(sourceFile, edits.filter((e) => e.first.parent === first.first.parent));
  }
}

function extractionEdits(file: ts.SourceFile, declarationStarts: number[]): StatementEdit[] {
  const removed = new Set<ts.Statement>();
  const declarations = findAll(file, ts.isVariableDeclaration).filter((d) => declarationStarts.includes(d.getStart()));
  let changed = true;
  while (changed) {
    changed = false;
    for (const declaration of declarations) {
      const statement = declaration.parent.parent;
      if (removed.has(statement as ts.Statement) || !ts.isVariableStatement(statement)) continue;
      if (statement.declarationList.declarations.length !== 1 || !statementContainer(statement)) continue;
      const names = ts.isIdentifier(declaration.name)
        ? [declaration.name]
        : ts.isObjectBindingPattern(declaration.name) && declaration.name.elements.length === 1 && ts.isIdentifier(declaration.name.elements[0].name)
          ? [declaration.name.elements[0].name]
          : [];
      if (names.length === 0) continue;
      const uses = referencesOf(names[0]).filter((use) => !insideAny(use, removed));
      const guards = uses.map((use) => guardOf(use));
      if (guards.some((g) => !g || !statementContainer(g))) continue;
      for (const guard of guards) removed.add(guard!);
      removed.add(statement);
      changed = true;
    }
  }
  return [...removed].map((statement) => ({ first: statement, text: '' }));
}

/** The `if (!x) throw new AuthenticationError()` statement `use` is the test of, if any. */
function guardOf(use: ts.Identifier): ts.IfStatement | undefined {
  let node: ts.Node = use.parent;
  while (ts.isParenthesizedExpression(node)) node = node.parent;
  if (!ts.isPrefixUnaryExpression(node)) return undefined;
  let statement: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(statement)) statement = statement.parent;
  return ts.isIfStatement(statement) && guardedName(statement) === use.text ? statement : undefined;
}

function insideAny(node: ts.Node, statements: Set<ts.Statement>): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (statements.has(current as ts.Statement)) return true;
  }
  return false;
}

function depthOf(node: ts.Node): number {
  let depth = 0;
  for (let current = node.parent; current; current = current.parent) depth++;
  return depth;
}

function removeUnusedImports(sourceFile: SourceFile): void {
  removeImportIfUnused(sourceFile, 'getBearerTokenFromAuthorizationHeader');
  removeImportIfUnused(sourceFile, 'AuthenticationError');
}
