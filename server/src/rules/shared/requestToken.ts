// Is a token the bearer token of an incoming request? Recognizes the usual ways plugins read
// it: `getBearerTokenFromAuthorizationHeader(req.header('authorization'))`,
// `req.headers.authorization?.split(' ')[1]`, `/^Bearer (.+)$/i.exec(header)?.[1]`, through
// local constants. Anything that is not plainly derived from the `authorization` header (a query
// parameter, a cookie, a function parameter) is not a request token.
import { ts } from 'ts-morph';
import { accessedName, calleeName, methodCall, propertyNameText, skipParens, stringValue } from './ast';
import { findBinding } from './scope';

export interface RequestToken {
  /** The request variable the header is read from, as referenced there. */
  request: ts.Identifier;
  /** Local constants the token is derived through (`const token = ...`, `const header = ...`). */
  declarations: ts.VariableDeclaration[];
}

const MAX_DEPTH = 8;

/** String methods that only cut the token out of the header value. */
const PARSING_METHODS = new Set([
  'split',
  'replace',
  'replaceAll',
  'substring',
  'substr',
  'slice',
  'trim',
  'trimStart',
  'trimEnd',
  'match',
  'at',
]);

/** The request whose `authorization` header `expression` is derived from, if it is. */
export function requestTokenSource(expression: ts.Expression): RequestToken | undefined {
  const declarations: ts.VariableDeclaration[] = [];
  const requests: ts.Identifier[] = [];
  if (!derive(expression, 0, requests, declarations) || requests.length === 0) return undefined;
  const binding = findBinding(requests[0], requests[0].text);
  if (requests.some((r) => findBinding(r, r.text) !== binding)) return undefined;
  return { request: requests[0], declarations };
}

function derive(
  expression: ts.Expression,
  depth: number,
  requests: ts.Identifier[],
  declarations: ts.VariableDeclaration[],
): boolean {
  if (depth > MAX_DEPTH) return false;
  const expr = skipParens(expression);
  const request = authorizationHeaderOf(expr);
  if (request) {
    requests.push(request);
    return true;
  }
  const next = (e: ts.Expression) => derive(e, depth + 1, requests, declarations);
  if (ts.isCallExpression(expr)) {
    if (calleeName(expr) === 'getBearerTokenFromAuthorizationHeader' && expr.arguments.length === 1) {
      return next(expr.arguments[0]);
    }
    const call = methodCall(expr);
    if (call && PARSING_METHODS.has(call.method)) return next(call.receiver);
    // `/^Bearer (.+)$/i.exec(header)`
    if (call && call.method === 'exec' && ts.isRegularExpressionLiteral(skipParens(call.receiver)) && expr.arguments.length === 1) {
      return next(expr.arguments[0]);
    }
    return false;
  }
  if (ts.isElementAccessExpression(expr) && ts.isNumericLiteral(expr.argumentExpression)) return next(expr.expression);
  if (ts.isConditionalExpression(expr)) return eitherSide(expr.whenTrue, expr.whenFalse, next);
  if (ts.isBinaryExpression(expr) && isDefaulting(expr.operatorToken.kind)) return eitherSide(expr.left, expr.right, next);
  if (ts.isIdentifier(expr)) return fromLocal(expr, depth, requests, declarations);
  return false;
}

/** One side derived, the other derived too or a plain fallback value (`undefined`, `''`). */
function eitherSide(a: ts.Expression, b: ts.Expression, next: (e: ts.Expression) => boolean): boolean {
  const aEmpty = isEmptyValue(a);
  const bEmpty = isEmptyValue(b);
  if (aEmpty && bEmpty) return false;
  return (aEmpty || next(a)) && (bEmpty || next(b));
}

function isEmptyValue(node: ts.Expression): boolean {
  const expr = skipParens(node);
  return (
    (ts.isIdentifier(expr) && expr.text === 'undefined') ||
    expr.kind === ts.SyntaxKind.NullKeyword ||
    stringValue(expr) !== undefined
  );
}

function isDefaulting(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

/** A local constant: `const token = <derived>` or `const { authorization } = req.headers`. */
function fromLocal(
  id: ts.Identifier,
  depth: number,
  requests: ts.Identifier[],
  declarations: ts.VariableDeclaration[],
): boolean {
  const binding = findBinding(id, id.text);
  const declaration = binding?.parent;
  if (!declaration) return false;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(declaration)) {
    if (!declarations.includes(declaration)) declarations.push(declaration);
    return derive(declaration.initializer, depth + 1, requests, declarations);
  }
  if (ts.isBindingElement(declaration) && !declaration.initializer) {
    const variable = declaration.parent.parent;
    if (!ts.isObjectBindingPattern(declaration.parent) || !ts.isVariableDeclaration(variable) || !isConst(variable)) return false;
    if (!variable.initializer) return false;
    const key = propertyNameText(declaration.propertyName ?? declaration.name);
    const headers = skipParens(variable.initializer);
    if (key?.toLowerCase() !== 'authorization' || !ts.isPropertyAccessExpression(headers) || headers.name.text !== 'headers') {
      return false;
    }
    const request = skipParens(headers.expression);
    if (!ts.isIdentifier(request)) return false;
    if (!declarations.includes(variable)) declarations.push(variable);
    requests.push(request);
    return true;
  }
  return false;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `req.header('authorization')`, `req.get('Authorization')`, `req.headers.authorization`. */
function authorizationHeaderOf(expr: ts.Expression): ts.Identifier | undefined {
  const call = methodCall(expr);
  if (call && (call.method === 'header' || call.method === 'get') && call.call.arguments.length === 1) {
    const name = stringValue(call.call.arguments[0]);
    const receiver = skipParens(call.receiver);
    return name?.toLowerCase() === 'authorization' && ts.isIdentifier(receiver) ? receiver : undefined;
  }
  if ((ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) && accessedName(expr)?.toLowerCase() === 'authorization') {
    const headers = skipParens(expr.expression);
    if ((ts.isPropertyAccessExpression(headers) || ts.isElementAccessExpression(headers)) && accessedName(headers) === 'headers') {
      const receiver = skipParens(headers.expression);
      return ts.isIdentifier(receiver) ? receiver : undefined;
    }
  }
  return undefined;
}
