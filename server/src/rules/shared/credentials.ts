// The caller's credentials inside a request handler: `await httpAuth.credentials(req)`.
//
// Detection asks `planCredentials(at, { request })`: is there already a binding for them in
// scope, or where would a new one go (and if neither, why not)? Fixes call
// `provideCredentials(sourceFile, at, options)`, which reuses the binding or declares one right
// before the statement that needs it, wiring `httpAuth` in through `provideService`.
import { Node, type SourceFile, type StatementedNode, ts } from 'ts-morph';
import { enclosingFunctions, isFunctionLike, methodCall, objectProperty, propertyValue, skipParens, stringValue, typeReferenceName } from './ast';
import { findBinding, nameIsTaken } from './scope';
import { planServiceAccess, provideService, wrap } from './services';
import { FixRefusal } from '../../engine/types';

export type PrincipalType = 'user' | 'service' | 'none';

export interface CredentialsOptions {
  /** The request expression, as written in the handler (`req`). */
  request: string;
  /**
   * Principal types to accept. Omitted: whatever the request carries (a `none` principal when
   * it has no token), which is enough for forwarding.
   */
  allow?: readonly PrincipalType[];
  /** Name of a new binding (default `credentials`). */
  name?: string;
}

export type CredentialsPlan =
  | { kind: 'existing'; name: string; declaration: ts.VariableDeclaration }
  | { kind: 'insert'; name: string; anchor: ts.Statement }
  | { kind: 'none'; reason: string };

/** The function that declares the request `req` seen at `at` (its handler or helper). */
export function requestFunction(at: ts.Node, request: string): ts.SignatureDeclaration | undefined {
  const root = requestRoot(request);
  if (!root) return undefined;
  const binding = findBinding(at, root);
  if (!binding) return undefined;
  for (let node: ts.Node = binding; node.parent; node = node.parent) {
    if (isFunctionLike(node)) return node;
  }
  return undefined;
}

/** `req` for `req`, `ctx` for `ctx.req`; undefined for anything that is not a plain access path. */
function requestRoot(request: string): string | undefined {
  const match = /^([A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/.exec(request);
  return match?.[1];
}

/**
 * The statement before which code for `at` can be inserted: the innermost statement around
 * `at` that belongs to `fn` itself (not to a callback inside it), and the list holding it.
 */
export function anchorStatement(at: ts.Node, fn: ts.Node): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  for (let node: ts.Node = at; node.parent && node !== fn; node = node.parent) {
    if (isFunctionLike(node.parent) && node.parent !== fn) found = undefined;
    else if (!found && isStatementList(node.parent) && ts.isStatement(node)) found = node;
  }
  return found;
}

function isStatementList(node: ts.Node): node is ts.Block | ts.CaseClause | ts.DefaultClause {
  return ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

export function isAsyncFunction(fn: ts.SignatureDeclaration): boolean {
  return !!ts.getModifiers(fn as ts.FunctionLikeDeclaration)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Whether `await` may be written at `node`: its nearest enclosing function is async. */
export function inAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunctions(node)[0];
  return !!fn && isAsyncFunction(fn);
}

/** `await <x>.credentials(<request>, { allow })`: the parts of an existing credentials read. */
export function credentialsRead(
  expression: ts.Expression | undefined,
): { request: string; allow?: PrincipalType[] | 'unknown' } | undefined {
  if (!expression) return undefined;
  const awaited = skipParens(expression);
  if (!ts.isAwaitExpression(awaited)) return undefined;
  const call = methodCall(skipParens(awaited.expression));
  if (!call || call.method !== 'credentials' || !isHttpAuth(call.receiver) || call.call.arguments.length === 0) return undefined;
  const [request, options] = call.call.arguments;
  return { request: request.getText(), allow: options ? allowOf(options) : undefined };
}

function isHttpAuth(receiver: ts.Expression): boolean {
  const expr = skipParens(receiver);
  if (ts.isIdentifier(expr)) {
    if (expr.text === 'httpAuth') return true;
    const declaration = findBinding(expr, expr.text)?.parent;
    return !!declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) &&
      typeReferenceName(declaration.type) === 'HttpAuthService';
  }
  return ts.isPropertyAccessExpression(expr) && expr.name.text === 'httpAuth';
}

function allowOf(options: ts.Expression): PrincipalType[] | 'unknown' | undefined {
  const object = skipParens(options);
  if (!ts.isObjectLiteralExpression(object)) return 'unknown';
  const property = objectProperty(object, 'allow');
  if (!property) return undefined;
  const value = propertyValue(property);
  if (!value || !ts.isArrayLiteralExpression(skipParens(value))) return 'unknown';
  const types = (skipParens(value) as ts.ArrayLiteralExpression).elements.map((e) => stringValue(e));
  return types.every((t): t is PrincipalType => t === 'user' || t === 'service' || t === 'none') ? types : 'unknown';
}

/** An existing read may be reused when it lets through no principal the caller would refuse. */
function compatible(existing: PrincipalType[] | 'unknown' | undefined, wanted: readonly PrincipalType[] | undefined): boolean {
  if (!wanted) return true;
  if (!existing || existing === 'unknown') return false;
  return existing.every((t) => wanted.includes(t));
}

/** A `const x = await httpAuth.credentials(<request>...)` visible at `at`, within `fn`. */
function existingRead(at: ts.Node, fn: ts.Node, options: CredentialsOptions): ts.VariableDeclaration | undefined {
  for (let node: ts.Node = at; node.parent && node !== fn; node = node.parent) {
    if (!isStatementList(node.parent)) continue;
    for (const statement of node.parent.statements) {
      if (statement === node) break;
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const read = credentialsRead(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && read?.request === options.request && compatible(read.allow, options.allow)) {
          return declaration;
        }
      }
    }
  }
  return undefined;
}

export function planCredentials(at: ts.Node, options: CredentialsOptions): CredentialsPlan {
  const fn = requestFunction(at, options.request);
  if (!fn) return { kind: 'none', reason: `\`${options.request}\` is not a request this code receives` };
  const existing = existingRead(at, fn, options);
  if (existing) return { kind: 'existing', name: (existing.name as ts.Identifier).text, declaration: existing };

  const name = options.name ?? 'credentials';
  if (!isAsyncFunction(fn)) {
    return { kind: 'none', reason: 'the function that receives the request is not `async`, so it cannot await `httpAuth.credentials`; make it async first' };
  }
  const anchor = anchorStatement(at, fn);
  if (!anchor) {
    return { kind: 'none', reason: 'the function that receives the request has no statement block to read the credentials in; give it a block body first' };
  }
  if (nameIsTaken(fn, name)) {
    return { kind: 'none', reason: `\`${name}\` is already declared here for something else; rename it, then run the fix again` };
  }
  const httpAuth = planServiceAccess(at, 'httpAuth');
  if (httpAuth.kind === 'none') return { kind: 'none', reason: httpAuth.reason };
  return { kind: 'insert', name, anchor };
}

export function credentialsReadText(httpAuth: string, options: CredentialsOptions, quote: string): string {
  const allow = options.allow ? `, { allow: [${options.allow.map((t) => quote + t + quote).join(', ')}] }` : '';
  return `await ${httpAuth}.credentials(${options.request}${allow})`;
}

/**
 * Returns the name holding the request's credentials at `at` (a node of the fix's file),
 * declaring `const credentials = await httpAuth.credentials(req)` before the statement that
 * needs it when there is none yet. With `replace`, `at` is a statement that the declaration
 * takes the place of (its comments stay), or that goes away when credentials already exist.
 * Throws FixRefusal when neither is possible.
 */
export function provideCredentials(
  sourceFile: SourceFile,
  at: Node,
  options: CredentialsOptions & { replace?: boolean },
): string {
  const plan = planCredentials(at.compilerNode, options);
  if (plan.kind === 'none') throw new FixRefusal(plan.reason);
  if (plan.kind === 'existing') {
    if (options.replace) removeStatement(at);
    return plan.name;
  }
  const anchor = options.replace ? at : wrap(sourceFile, plan.anchor);
  const httpAuth = provideService(sourceFile, anchor, 'httpAuth');
  const quote = sourceFile.getProject().manipulationSettings.getQuoteKind() as string;
  const declaration = `const ${plan.name} = ${credentialsReadText(httpAuth, options, quote)};`;
  if (options.replace) anchor.replaceWithText(declaration);
  else insertBefore(anchor, declaration);
  return plan.name;
}

/** Inserts statement text right before `anchor`, in the list that holds it. */
export function insertBefore(anchor: Node, text: string): void {
  const list = anchor.getParentOrThrow() as unknown as StatementedNode;
  if (typeof list.insertStatements !== 'function') throw new FixRefusal('the statement is not in a statement list');
  list.insertStatements(anchor.getChildIndex(), text);
}

function removeStatement(node: Node): void {
  if (!Node.isStatement(node)) throw new FixRefusal('expected a statement');
  (node as unknown as { remove(): void }).remove();
}
