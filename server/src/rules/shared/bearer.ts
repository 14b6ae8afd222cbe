// The caller's bearer token, read from a request's Authorization header. Two questions, one
// reading of the header:
// - where does code pull the token out (`bearerExtractions`, `isBearerTokenValue`)? Only the
//   shapes a token extraction has: `getBearerTokenFromAuthorizationHeader`, `split(' ')[1]`,
//   `replace('Bearer ', '')`, `slice(7)`, a `Bearer` regex match;
// - is a value that a token check receives the request's token (`requestTokenSource`)? That
//   follows the value back through any string parsing, fallbacks and local constants.
// Syntax only: the shapes are matched on the tree, never on the text.
import { ts } from 'ts-morph';
import { accessedName, calleeName, methodCall, propertyNameText, skipParens, stringValue, nodesOfKinds } from './ast';
import { outerValue } from './references';
import { findBinding } from './scope';

export const BEARER_HELPER = 'getBearerTokenFromAuthorizationHeader';

export interface BearerExtraction {
  /** The expression whose value is the token. */
  expression: ts.Expression;
  /** The request whose header is read; undefined when the header comes from elsewhere. */
  request?: ts.Expression;
  /** `const token = <expression>`, when the token is bound to a name. */
  declaration?: ts.VariableDeclaration & { name: ts.Identifier };
  /** Variables that only carry the header or the match on the way to the token. */
  feeders: ts.VariableDeclaration[];
}

/** Every bearer-token extraction in `root`, in source order. */
export function bearerExtractions(root: ts.Node): BearerExtraction[] {
  const found: BearerExtraction[] = [];
  for (const node of nodesOfKinds(root, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ElementAccessExpression])) {
    const extraction = extractionAt(node);
    if (extraction) found.push(extraction);
  }
  return found;
}

/** True when `value` (or the variable it names) holds a token extracted from a request header. */
export function isBearerTokenValue(value: ts.Expression): boolean {
  const expr = skipParens(value);
  if (extractionAt(expr)) return true;
  if (!ts.isIdentifier(expr)) return false;
  const declaration = findBinding(expr, expr.text)?.parent;
  return !!declaration && ts.isVariableDeclaration(declaration) && !!declaration.initializer && !!extractionAt(skipParens(declaration.initializer));
}

function extractionAt(node: ts.Node): BearerExtraction | undefined {
  const feeders: ts.VariableDeclaration[] = [];
  const header = tokenSource(node, feeders);
  if (!header) return undefined;
  const request = header.kind === 'helper' ? headerRequest(header.argument, feeders) : header.request;
  if (header.kind !== 'helper' && !request) return undefined;
  const expression = node as ts.Expression;
  const outer = outerValue(expression);
  const parent = outer.parent;
  const declaration =
    ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)
      ? (parent as ts.VariableDeclaration & { name: ts.Identifier })
      : undefined;
  return { expression, request, declaration, feeders };
}

type TokenSource = { kind: 'helper'; argument: ts.Expression | undefined } | { kind: 'manual'; request: ts.Expression };

/** Recognises the token-producing shapes; returns where the header came from. */
function tokenSource(node: ts.Node, feeders: ts.VariableDeclaration[]): TokenSource | undefined {
  if (ts.isCallExpression(node)) {
    if (calleeName(node) === BEARER_HELPER) return { kind: 'helper', argument: node.arguments[0] };
    const call = methodCall(node);
    if (!call) return undefined;
    // header.replace('Bearer ', '') / header.replace(/^Bearer\s+/i, '')
    if (call.method === 'replace' && mentionsBearer(node.arguments[0]) && stringValue(node.arguments[1]) === '') {
      return manual(call.receiver, feeders);
    }
    // header.slice(7) / header.substring('Bearer '.length)
    if (['slice', 'substring', 'substr'].includes(call.method) && node.arguments.length === 1 && isBearerPrefixLength(node.arguments[0])) {
      return manual(call.receiver, feeders);
    }
    return undefined;
  }
  if (!ts.isElementAccessExpression(node) || !isIndexOne(node.argumentExpression)) return undefined;
  // header.split(' ')[1]
  const target = skipParens(node.expression);
  const split = methodCall(target);
  if (split?.method === 'split' && split.call.arguments.length >= 1) return manual(split.receiver, feeders);
  // header.match(/Bearer (.+)/)?.[1], /Bearer (.+)/.exec(header)?.[1], or via `const match = ...`
  const match = bearerMatch(target, feeders);
  return match ? manual(match, feeders) : undefined;
}

function manual(headerExpression: ts.Expression, feeders: ts.VariableDeclaration[]): TokenSource | undefined {
  const request = headerRequest(headerExpression, feeders);
  return request ? { kind: 'manual', request } : undefined;
}

/** The header expression a regex match runs over (`h.match(re)`, `re.exec(h)`, or a variable holding either). */
function bearerMatch(node: ts.Expression, feeders: ts.VariableDeclaration[]): ts.Expression | undefined {
  const expr = skipParens(node);
  const call = methodCall(expr);
  if (call?.method === 'match' && mentionsBearer(call.call.arguments[0])) return call.receiver;
  if (call?.method === 'exec' && mentionsBearer(call.receiver) && call.call.arguments[0]) return call.call.arguments[0];
  if (ts.isIdentifier(expr)) {
    const declaration = constInitializer(expr);
    if (!declaration) return undefined;
    const header = bearerMatch(declaration.initializer!, feeders);
    if (header) feeders.push(declaration);
    return header;
  }
  return undefined;
}

/**
 * The request of an Authorization header read: `req.header('authorization')`, `req.get(...)`,
 * `req.headers.authorization`, `const { authorization } = req.headers`, with a string fallback
 * (`?? ''`), through local constants (added to `feeders`).
 */
function headerRequest(node: ts.Expression | undefined, feeders: ts.VariableDeclaration[]): ts.Expression | undefined {
  if (!node) return undefined;
  const expr = skipParens(node);
  if (ts.isBinaryExpression(expr) && isDefaulting(expr.operatorToken.kind) && stringValue(expr.right) !== undefined) {
    return headerRequest(expr.left, feeders);
  }
  const call = methodCall(expr);
  if (call && (call.method === 'header' || call.method === 'get') && isAuthorization(call.call.arguments[0])) {
    return call.receiver;
  }
  const name = accessedName(expr);
  if (name?.toLowerCase() === 'authorization') {
    const headers = skipParens((expr as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
    if (accessedName(headers) === 'headers') {
      return (headers as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
    }
  }
  if (ts.isIdentifier(expr)) {
    const declaration = constInitializer(expr);
    const found = declaration
      ? { request: headerRequest(declaration.initializer, feeders), variable: declaration }
      : destructuredHeader(expr);
    if (found?.request && !feeders.includes(found.variable)) feeders.push(found.variable);
    return found?.request;
  }
  return undefined;
}

/** `authorization` bound by `const { authorization } = req.headers`: the request, and that declaration. */
function destructuredHeader(id: ts.Identifier): { request: ts.Expression; variable: ts.VariableDeclaration } | undefined {
  const element = findBinding(id, id.text)?.parent;
  if (!element || !ts.isBindingElement(element) || element.initializer || !ts.isObjectBindingPattern(element.parent)) return undefined;
  const variable = element.parent.parent;
  if (!ts.isVariableDeclaration(variable) || !variable.initializer || !isConst(variable)) return undefined;
  if (propertyNameText(element.propertyName ?? element.name)?.toLowerCase() !== 'authorization') return undefined;
  const headers = skipParens(variable.initializer);
  return ts.isPropertyAccessExpression(headers) && headers.name.text === 'headers' ? { request: headers.expression, variable } : undefined;
}

function constInitializer(id: ts.Identifier): ts.VariableDeclaration | undefined {
  const declaration = findBinding(id, id.text)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  return isConst(declaration) ? declaration : undefined;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

function isDefaulting(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

function isAuthorization(node: ts.Expression | undefined): boolean {
  return stringValue(node)?.toLowerCase() === 'authorization';
}

function isIndexOne(node: ts.Expression): boolean {
  return ts.isNumericLiteral(node) && node.text === '1';
}

/** A string or regex literal that mentions the Bearer scheme. */
function mentionsBearer(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const expr = skipParens(node);
  if (ts.isRegularExpressionLiteral(expr)) return /bearer/i.test(expr.text);
  return /bearer/i.test(stringValue(expr) ?? '');
}

/** `7` or `'Bearer '.length`. */
function isBearerPrefixLength(node: ts.Expression): boolean {
  const expr = skipParens(node);
  if (ts.isNumericLiteral(expr)) return expr.text === '7';
  return ts.isPropertyAccessExpression(expr) && expr.name.text === 'length' && /^bearer $/i.test(stringValue(skipParens(expr.expression)) ?? '');
}

// ---------------------------------------------------------------------------------------------
// Following a value back to the header

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
  const feeders: ts.VariableDeclaration[] = [];
  const request = headerRequest(expr, feeders);
  if (request) {
    const receiver = skipParens(request);
    if (!ts.isIdentifier(receiver)) return false;
    for (const feeder of feeders) if (!declarations.includes(feeder)) declarations.push(feeder);
    requests.push(receiver);
    return true;
  }
  const next = (e: ts.Expression) => derive(e, depth + 1, requests, declarations);
  if (ts.isCallExpression(expr)) {
    if (calleeName(expr) === BEARER_HELPER && expr.arguments.length === 1) return next(expr.arguments[0]);
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
  if (ts.isIdentifier(expr)) {
    const declaration = constInitializer(expr);
    if (!declaration) return false;
    if (!declarations.includes(declaration)) declarations.push(declaration);
    return derive(declaration.initializer!, depth + 1, requests, declarations);
  }
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
