// Checks for "is someone signed in?" around an old identity result: `if (!user) throw ...`,
// `if (user) {...}`, `user ? a : b`, and which code they protect (syntax only).
import { ts } from 'ts-morph';
import { findAll, methodCall, skipParens, skipParensUp } from './ast';

/** Where a statement can go: right after `anchor`, or at the start of the block `anchor`. */
export interface Region {
  anchor: ts.Statement;
  at: 'after' | 'start';
}

/** `user`, `!user`, `user === undefined`, `user != null` ...: the test and whether it means "signed in". */
export function presenceTest(ref: ts.Identifier): { node: ts.Expression; present: boolean } | undefined {
  const outer = skipParensUp(ref);
  const parent = outer.parent;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) {
    return { node: parent, present: false };
  }
  if (ts.isBinaryExpression(parent)) {
    const other = parent.left === outer ? parent.right : parent.left;
    const nothing = (ts.isIdentifier(other) && other.text === 'undefined') || other.kind === ts.SyntaxKind.NullKeyword;
    const op = parent.operatorToken.kind;
    const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const notEqual = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (nothing && (equal || notEqual)) return { node: parent, present: notEqual };
    return undefined;
  }
  if ((ts.isIfStatement(parent) && parent.expression === outer) || (ts.isConditionalExpression(parent) && parent.condition === outer)) {
    return { node: ref, present: true };
  }
  return undefined;
}

/** Whether `condition` tests the presence of `name` (true: "signed in", false: "not signed in"). */
export function presenceOf(condition: ts.Expression, name: string): boolean | undefined {
  const inner = skipParens(condition);
  const ref = ts.isIdentifier(inner) ? inner : findAll(inner, ts.isIdentifier).find((id) => id.text === name);
  if (!ref || ref.text !== name) return undefined;
  const test = presenceTest(ref);
  return test && skipParens(test.node) === inner ? test.present : undefined;
}

/** The `if (!user) <deny>` right after the declaration, when it only turns the request away. */
export function authGuardAfter(statement: ts.VariableStatement, name: string): ts.IfStatement | undefined {
  const block = statement.parent as ts.Block;
  const next = block.statements[block.statements.indexOf(statement) + 1];
  if (!next || !ts.isIfStatement(next) || next.elseStatement || presenceOf(next.expression, name) !== false) return undefined;
  return deniesRequest(next.thenStatement) ? next : undefined;
}

const DENY_ERRORS = ['AuthenticationError', 'NotAllowedError'];

/** `throw new AuthenticationError(...)`, `return res.status(401)...`, `res.sendStatus(401); return;`. */
function deniesRequest(statement: ts.Statement): boolean {
  const statements = ts.isBlock(statement) ? [...statement.statements] : [statement];
  if (statements.length === 1) {
    const [only] = statements;
    if (ts.isThrowStatement(only) && only.expression && ts.isNewExpression(only.expression)) {
      return ts.isIdentifier(only.expression.expression) && DENY_ERRORS.includes(only.expression.expression.text);
    }
    return ts.isReturnStatement(only) && !!only.expression && isDenyingResponse(only.expression);
  }
  if (statements.length === 2) {
    const [send, done] = statements;
    return ts.isExpressionStatement(send) && isDenyingResponse(send.expression) && ts.isReturnStatement(done) && !done.expression;
  }
  return false;
}

/** A call chain that starts with `res.status(401)` or `res.sendStatus(401)` (or 403). */
function isDenyingResponse(expression: ts.Expression): boolean {
  let current: ts.Expression = skipParens(expression);
  while (ts.isCallExpression(current)) {
    const call = methodCall(current);
    if (!call) return false;
    if ((call.method === 'status' || call.method === 'sendStatus') && ts.isIdentifier(call.receiver)) {
      const [code] = current.arguments;
      return !!code && ts.isNumericLiteral(code) && (code.text === '401' || code.text === '403');
    }
    current = skipParens(call.receiver);
  }
  return false;
}

/**
 * Code where a user is known to be signed in: `test` is the check that says so, `region` where a
 * statement could go.
 */
export interface Narrowed {
  test?: ts.Expression;
  region?: Region;
}

/** The innermost place around `ref` where `name` is known to hold a user, or undefined. */
export function narrowedAt(ref: ts.Node, name: string, fn: ts.Node): Narrowed | undefined {
  let child: ts.Node = ref;
  for (let node = ref.parent; node && node !== fn; child = node, node = node.parent) {
    if (ts.isIfStatement(node) && child !== node.expression) {
      const present = presenceOf(node.expression, name);
      if ((present === true && child === node.thenStatement) || (present === false && child === node.elseStatement)) {
        const test = skipParens(node.expression);
        return ts.isBlock(child) ? { test, region: { anchor: child, at: 'start' } } : { test };
      }
    }
    if (ts.isConditionalExpression(node) && child !== node.condition) {
      const present = presenceOf(node.condition, name);
      if ((present === true && child === node.whenTrue) || (present === false && child === node.whenFalse)) {
        return { test: skipParens(node.condition) };
      }
    }
    if (ts.isBlock(node)) {
      const index = node.statements.indexOf(child as ts.Statement);
      const guard = node.statements
        .slice(0, index)
        .reverse()
        .find((s): s is ts.IfStatement => ts.isIfStatement(s) && !s.elseStatement && presenceOf(s.expression, name) === false && exits(s.thenStatement));
      if (guard) return { test: skipParens(guard.expression), region: { anchor: guard, at: 'after' } };
    }
  }
  return undefined;
}

function exits(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}
