// Which rewrite a `tokenManager.authenticate(token)` check gets: `request` (the token is the
// request's bearer token: `httpAuth.credentials(req, { allow: ['service'] })`), `mixed` (a
// `getIdentity` user check that falls back to it: `allow: ['user', 'service']`) or `token` (any
// other token: `auth.authenticate` plus a service-principal check). Syntax only.
import { ts } from 'ts-morph';
import { methodCall, objectProperty, propertyValue, skipParens, skipParensUp } from './ast';
import { requestTokenSource, type RequestToken } from './bearer';
import { referencesOf } from './references';
import { findBinding } from './scope';
import { legacyServiceOf } from './services';
import { statementContainer } from './statementEdits';

export type Form = 'request' | 'mixed' | 'token';

export interface CallAnalysis {
  form: Form;
  statement: ts.ExpressionStatement;
  source?: RequestToken;
  mixed?: { first: ts.VariableStatement; last: ts.IfStatement; request: string };
}

/** Which rewrite fits, or undefined when the call's result is used (not a plain `await x;`). */
export function analyzeCall(call: ts.CallExpression): CallAnalysis | undefined {
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
export function awaitedStatement(call: ts.CallExpression): ts.ExpressionStatement | undefined {
  const awaited = skipParensUp(call).parent;
  if (!ts.isAwaitExpression(awaited)) return undefined;
  const statement = skipParensUp(awaited).parent;
  return ts.isExpressionStatement(statement) ? statement : undefined;
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
export function guardedName(statement: ts.Statement): string | undefined {
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
