// Following a token value through the code of one file to the places it is used: variables,
// destructuring, object properties, request headers, helper functions of the same file
// (arguments and return values) and `this.x()` methods. Each use is classified as a known
// target plugin, a permission check, or an unknown use.
import { ts } from 'ts-morph';
import { propertyNameText, skipParens } from './ast';
import { permissionCheckOf } from './permissionsToken';
import { referencesOf } from './references';
import { isCatalogClient } from './tokenTargetCatalog';
import { callsOf, enclosingFunction, localCallee, MAX_TRACE_DEPTH } from './tokenTargetLookups';
import { pluginIdsOf, urlOfConfig } from './tokenTargetUrls';

/**
 * What a traced expression holds: the `{ token }` result of `getToken()` (awaited or not),
 * the token string, a string containing it (`Bearer ${token}`), a headers object carrying
 * it, or request options carrying such headers.
 */
export type TokenValue = 'result' | 'token' | 'header' | 'headers' | 'request';

/** One trace: where the uses of one value go (fed node by node through `value`). */
export class Tracer {
  readonly targets = new Set<string>();
  readonly permissionChecks: ts.Expression[] = [];
  unknown = false;
  private readonly seen = new Set<string>();

  /** `node` evaluates to `kind`; classify every place that value flows to. */
  value(node: ts.Node, kind: TokenValue, depth: number): void {
    const key = `${node.pos}:${node.end}:${kind}`;
    if (depth > MAX_TRACE_DEPTH || this.seen.has(key)) {
      if (depth > MAX_TRACE_DEPTH) this.unknown = true;
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
