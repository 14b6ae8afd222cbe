// Which plugin is a service token for? `auth.getPluginRequestToken` needs a `targetPluginId`,
// while `tokenManager.getToken()` did not, so the target has to be read off how the token is
// used: handed to a catalog client (`'catalog'`), or sent as a bearer header to a URL built from
// `discovery.getBaseUrl('<id>')` (`'<id>'`). Values are followed through variables,
// destructuring, helper functions of the same file (arguments and return values) and `this.x()`
// methods. Anything else is an unknown use: then the caller has to ask the user.
//
// The same judgements serve rules that look at one call only: `clientTarget` (a catalog client
// method) and `fetchTarget` (a `fetch` to a discovery URL).
import { ts } from 'ts-morph';
import {
  accessedName,
  calleeName,
  findAll,
  isFunctionLike,
  isReference,
  methodCall,
  objectProperty,
  propertyNameText,
  propertyValue,
  skipParens,
  stringValue,
  typeReferenceName,
  walk,
} from './ast';
import { findBinding } from './scope';
import { permissionCheckOf } from './permissionsToken';
import { referencesOf } from './references';

/**
 * What a traced expression holds: the `{ token }` result of `getToken()` (awaited or not),
 * the token string, a string containing it (`Bearer ${token}`), a headers object carrying
 * it, or request options carrying such headers.
 */
export type TokenValue = 'result' | 'token' | 'header' | 'headers' | 'request';

export interface TokenTargets {
  /** Distinct target plugin ids, in the order the uses appear. */
  targets: string[];
  /** Some use (or the lack of any use) says nothing about the target. */
  unknown: boolean;
  /**
   * The token values handed to `permissions.authorize(..., { token })`: no plugin target, the
   * permissions-token-option rule turns them into credentials.
   */
  permissionChecks: ts.Expression[];
}

const MAX_DEPTH = 12;
const CATALOG_TYPES = new Set(['CatalogClient', 'CatalogApi', 'CatalogService']);
const BASE_URL_METHODS = new Set(['getBaseUrl', 'getExternalBaseUrl']);

/** The target plugins of the value held by `expression` (e.g. a `tokenManager.getToken()` call). */
export function tokenTargets(expression: ts.Expression, value: TokenValue = 'result'): TokenTargets {
  const tracer = new Tracer();
  tracer.value(expression, value, 0);
  const used = tracer.targets.size > 0 || tracer.permissionChecks.length > 0;
  return { targets: [...tracer.targets], unknown: tracer.unknown || !used, permissionChecks: tracer.permissionChecks };
}

/** The plugin a client method call goes to: only the catalog client is known. */
export function clientTarget(call: ts.CallExpression): string | undefined {
  const method = methodCall(call);
  return method && isCatalogClient(method.receiver, 0) ? 'catalog' : undefined;
}

/** The plugin a `fetch(url, ...)` call goes to, when the URL is built from one discovery base URL. */
export function fetchTarget(call: ts.CallExpression): string | undefined {
  if (calleeName(call) !== 'fetch' || !call.arguments[0]) return undefined;
  const ids = pluginIdsOf(call.arguments[0], 0);
  return ids.length === 1 ? ids[0] : undefined;
}

/** `cost-insights` -> `costInsightsToken`: a name for a token issued for that plugin. */
export function tokenNameFor(target: string): string {
  const words = target.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  return /^[A-Za-z_$]/.test(camel) ? `${camel}Token` : 'pluginToken';
}

/** Plugin ids passed as literals to `discovery.getBaseUrl`/`getExternalBaseUrl` in the file. */
export function discoveredPluginIds(root: ts.Node): string[] {
  const ids: string[] = [];
  walk(root, (node) => {
    const id = baseUrlPluginId(node);
    if (id && !ids.includes(id)) ids.push(id);
  });
  return ids;
}

function baseUrlPluginId(node: ts.Node): string | undefined {
  const call = methodCall(node);
  if (!call || !BASE_URL_METHODS.has(call.method)) return undefined;
  return stringValue(call.call.arguments[0]);
}

class Tracer {
  readonly targets = new Set<string>();
  readonly permissionChecks: ts.Expression[] = [];
  unknown = false;
  private readonly seen = new Set<string>();

  /** `node` evaluates to `kind`; classify every place that value flows to. */
  value(node: ts.Node, kind: TokenValue, depth: number): void {
    const key = `${node.pos}:${node.end}:${kind}`;
    if (depth > MAX_DEPTH || this.seen.has(key)) {
      if (depth > MAX_DEPTH) this.unknown = true;
      return;
    }
    this.seen.add(key);

    let current = node;
    while (isTransparent(current.parent)) current = current.parent;
    const parent = current.parent;

    if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      if (kind === 'result' && parent.name.text === 'token') return this.value(parent, 'token', depth + 1);
      return this.miss();
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === current) return this.declared(parent.name, kind, depth);
    if (ts.isTemplateSpan(parent) && kind === 'token') return this.value(parent.parent, 'header', depth + 1);
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken && kind === 'token') {
      return this.value(parent, 'header', depth + 1);
    }
    if (ts.isPropertyAssignment(parent) && parent.initializer === current) {
      return this.property(parent.parent, propertyNameText(parent.name), kind, depth, parent.initializer);
    }
    if (ts.isShorthandPropertyAssignment(parent)) return this.property(parent.parent, parent.name.text, kind, depth, parent.name);
    if (ts.isSpreadAssignment(parent) && kind === 'headers') return this.value(parent.parent, 'headers', depth + 1);
    if (ts.isNewExpression(parent) && kind === 'headers' && ts.isIdentifier(parent.expression) && parent.expression.text === 'Headers') {
      return this.value(parent, 'headers', depth + 1);
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      return this.argument(parent, parent.arguments.indexOf(current as ts.Expression), kind, depth);
    }
    if (ts.isReturnStatement(parent)) {
      const fn = enclosingFunction(parent);
      return fn ? this.result(fn, kind, depth) : this.miss();
    }
    if (ts.isArrowFunction(parent) && parent.body === current) return this.result(parent, kind, depth);
    return this.miss();
  }

  private miss(): void {
    this.unknown = true;
  }

  /** `const x = value` / `const { token } = value`. */
  private declared(name: ts.BindingName, kind: TokenValue, depth: number): void {
    if (ts.isIdentifier(name)) return this.references(name, kind, depth);
    if (ts.isObjectBindingPattern(name) && kind === 'result') {
      const element = name.elements.find((e) => propertyNameText(e.propertyName ?? e.name) === 'token');
      if (element && ts.isIdentifier(element.name)) return this.references(element.name, 'token', depth);
    }
    return this.miss();
  }

  private references(declaration: ts.Identifier, kind: TokenValue, depth: number): void {
    const uses = referencesOf(declaration);
    if (uses.length === 0) return this.miss();
    for (const use of uses) this.value(use, kind, depth + 1);
  }

  /** The value is the property `key` of an object literal. */
  private property(object: ts.Node, key: string | undefined, kind: TokenValue, depth: number, value: ts.Expression): void {
    if (!ts.isObjectLiteralExpression(object)) return this.miss();
    if (kind === 'token' && key === 'token') {
      if (permissionCheckOf(object)) {
        this.permissionChecks.push(value);
        return;
      }
      return this.value(object, 'result', depth + 1);
    }
    if ((kind === 'token' || kind === 'header') && key?.toLowerCase() === 'authorization') {
      return this.value(object, 'headers', depth + 1);
    }
    if (kind === 'headers' && key === 'headers') return this.value(object, 'request', depth + 1);
    return this.miss();
  }

  /** The value is argument `index` of `call`. */
  private argument(call: ts.CallExpression, index: number, kind: TokenValue, depth: number): void {
    const local = localCallee(call);
    if (local) {
      const parameter = local.parameters[index];
      if (parameter && !parameter.dotDotDotToken) return this.declared(parameter.name, kind, depth);
      return this.miss();
    }
    const callee = skipParens(call.expression);
    if (kind === 'result' && ts.isPropertyAccessExpression(callee) && index > 0 && isCatalogClient(callee.expression, 0)) {
      this.targets.add('catalog');
      return;
    }
    // Only a token inside request headers is known to go where the URL points; a bare token
    // handed to some function next to a URL might go anywhere.
    if (kind === 'header' || kind === 'headers' || kind === 'request') {
      const url = index > 0 ? call.arguments[0] : urlOfConfig(call.arguments[0]);
      const ids = url ? pluginIdsOf(url, 0) : [];
      if (ids.length === 1) {
        this.targets.add(ids[0]);
        return;
      }
    }
    return this.miss();
  }

  /** The value is what `fn` returns (or resolves to): follow the calls of `fn` in the file. */
  private result(fn: ts.SignatureDeclaration, kind: TokenValue, depth: number): void {
    const calls = callsOf(fn);
    if (calls.length === 0) return this.miss();
    for (const call of calls) this.value(call, kind, depth + 1);
  }
}

/** Nodes a value passes through unchanged: parentheses, `await`, `!`, `as`. */
function isTransparent(node: ts.Node): boolean {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAwaitExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node)
  );
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** A function of this file that `call` invokes: `helper(...)` or `this.helper(...)`. */
function localCallee(call: ts.CallExpression): ts.SignatureDeclaration | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) {
    const binding = findBinding(call, callee.text);
    const declaration = binding?.parent;
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipParens(declaration.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(call);
    const method = cls?.members.find(
      (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.name && propertyNameText(m.name) === callee.name.text,
    );
    return method;
  }
  return undefined;
}

/** Calls of `fn` in the file (by its name, or `this.name()` for methods). */
function callsOf(fn: ts.SignatureDeclaration): ts.CallExpression[] {
  const file = fn.getSourceFile();
  return findAll(file, ts.isCallExpression).filter((call) => localCallee(call) === fn);
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
  }
  return undefined;
}

/** `axios({ url, headers })`-style config: its `url`. */
function urlOfConfig(argument: ts.Expression | undefined): ts.Expression | undefined {
  if (!argument) return undefined;
  const config = skipParens(argument);
  if (!ts.isObjectLiteralExpression(config)) return undefined;
  const url = objectProperty(config, 'url');
  return url && propertyValue(url);
}

/** Plugin ids whose base URL the expression is built from, through local constants. */
function pluginIdsOf(expression: ts.Node, depth: number): string[] {
  const ids = new Set<string>();
  const visit = (node: ts.Node): void => {
    const id = baseUrlPluginId(node);
    if (id) ids.add(id);
    if (ts.isIdentifier(node) && isReference(node) && depth < MAX_DEPTH) {
      const declaration = findBinding(node, node.text)?.parent;
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
        for (const found of pluginIdsOf(declaration.initializer, depth + 1)) ids.add(found);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return [...ids];
}

/**
 * Does the expression hold a catalog client? A declared type (`CatalogApi`, a class member's
 * type) or `new CatalogClient(...)` decides; otherwise the name does (`catalog`,
 * `catalogClient`, `catalogApi`, or the option it was destructured from).
 */
function isCatalogClient(expression: ts.Expression, depth: number): boolean {
  const expr = skipParens(expression);
  if (depth > MAX_DEPTH) return false;
  if (ts.isNewExpression(expr)) return ts.isIdentifier(expr.expression) && CATALOG_TYPES.has(expr.expression.text);
  if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const member = classMemberType(expr);
    if (member !== undefined) return member;
  }
  if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return looksLikeCatalog(accessedName(expr) ?? '');
  if (!ts.isIdentifier(expr)) return false;
  const declaration = findBinding(expr, expr.text)?.parent;
  if (declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration))) {
    const type = typeReferenceName(declaration.type);
    if (type) return CATALOG_TYPES.has(type);
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isCatalogClient(declaration.initializer, depth + 1)) {
      return true;
    }
  }
  if (declaration && ts.isBindingElement(declaration) && looksLikeCatalog(propertyNameText(declaration.propertyName ?? declaration.name) ?? '')) {
    return true;
  }
  return looksLikeCatalog(expr.text);
}

/** `this.x`: true/false when the class declares `x` with a type or initializer, else undefined. */
function classMemberType(access: ts.PropertyAccessExpression): boolean | undefined {
  const cls = enclosingClass(access);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && propertyNameText(member.name) === access.name.text) {
      const type = typeReferenceName(member.type);
      if (type) return CATALOG_TYPES.has(type);
      if (member.initializer) return isCatalogClient(member.initializer, 1);
    }
    if (ts.isConstructorDeclaration(member)) {
      const param = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === access.name.text);
      const type = param && typeReferenceName(param.type);
      if (type) return CATALOG_TYPES.has(type);
    }
  }
  return undefined;
}

function looksLikeCatalog(name: string): boolean {
  return /^catalog(Client|Api)?$/i.test(name);
}
