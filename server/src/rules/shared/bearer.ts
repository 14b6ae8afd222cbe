// Where code pulls the caller's bearer token out of a request's Authorization header, with
// `getBearerTokenFromAuthorizationHeader` or by hand (`split(' ')[1]`, `replace('Bearer ', '')`,
// a regex match). Syntax only: the shapes below are matched on the tree, never on the text.
import { ts } from 'ts-morph';
import { accessedName, calleeName, methodCall, skipParens, stringValue, walk } from './ast';
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
  walk(root, (node) => {
    if (!ts.isCallExpression(node) && !ts.isElementAccessExpression(node)) return;
    const extraction = extractionAt(node);
    if (extraction) found.push(extraction);
  });
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
  let outer: ts.Node = expression;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isAsExpression(outer.parent)) {
    outer = outer.parent;
  }
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

/** The request of an Authorization header read: `req.header('authorization')`, `req.headers.authorization`, ... */
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
    const request = declaration && headerRequest(declaration.initializer, feeders);
    if (request && declaration) feeders.push(declaration);
    return request;
  }
  return undefined;
}

function constInitializer(id: ts.Identifier): ts.VariableDeclaration | undefined {
  const declaration = findBinding(id, id.text)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? declaration : undefined;
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
