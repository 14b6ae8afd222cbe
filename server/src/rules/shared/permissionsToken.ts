// `permissions.authorize(requests, { token })` and where that token came from. The
// permissions-token-option rule rewrites the option by the origin; token-manager-get-token
// leaves it a `tokenManager.getToken()` token that only such checks use (origin `service`).
import { ts } from 'ts-morph';
import { methodCall, objectProperty, propertyNameText, propertyValue, skipParens, skipParensUp, callsBelow } from './ast';
import { isBearerTokenValue } from './bearer';
import { findBinding } from './scope';
import { legacyServiceOf } from './services';

export interface TokenOption {
  call: ts.CallExpression;
  property: ts.ObjectLiteralElementLike;
  value: ts.Expression;
}

/** `<permissions>.authorize(requests, { token })` and `authorizeConditional`. */
export function tokenOptions(root: ts.Node): TokenOption[] {
  return callsBelow(root).flatMap((call) => {
    if (!isPermissionCheck(call)) return [];
    const options = call.arguments[1] && skipParens(call.arguments[1]);
    if (!options || !ts.isObjectLiteralExpression(options)) return [];
    const property = objectProperty(options, 'token');
    const value = property && propertyValue(property);
    return property && value ? [{ call, property, value }] : [];
  });
}

/** `<permissions>.authorize(...)` or `authorizeConditional(...)` on the permissions service. */
export function isPermissionCheck(call: ts.CallExpression): boolean {
  const method = methodCall(call);
  return !!method && ['authorize', 'authorizeConditional'].includes(method.method) && legacyServiceOf(method.receiver) === 'permissions';
}

/** The permission check an object literal is the options argument of, if it is. */
export function permissionCheckOf(options: ts.ObjectLiteralExpression): ts.CallExpression | undefined {
  const outer = skipParensUp(options);
  const call = outer.parent;
  return ts.isCallExpression(call) && call.arguments[1] === outer && isPermissionCheck(call) ? call : undefined;
}

export type Origin =
  /** Another rule rewrites it (a bearer header, `user.token`). */
  | { kind: 'owned' }
  /** `const { token } = await auth.getPluginRequestToken({ onBehalfOf })`. */
  | { kind: 'issued'; onBehalfOf: ts.Expression; binding?: ts.BindingElement }
  /** `const { token } = await tokenManager.getToken()`: the plugin's own service token. */
  | { kind: 'service'; binding?: ts.BindingElement }
  | { kind: 'parameter'; name: string; fn: string }
  | { kind: 'unknown' };

export function originOf(value: ts.Expression, depth = 0): Origin {
  const expr = skipParens(value);
  if (depth > 6) return { kind: 'unknown' };
  if (isBearerTokenValue(expr)) return { kind: 'owned' };
  if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'token') {
    return resultOrigin(expr.expression, undefined);
  }
  if (!ts.isIdentifier(expr)) return { kind: 'unknown' };
  const binding = findBinding(expr, expr.text);
  const declaration = binding?.parent;
  if (!declaration) return { kind: 'unknown' };
  if (ts.isParameter(declaration)) {
    const fn = declaration.parent;
    const fnName = (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name ? fn.name.getText() : functionName(fn);
    return { kind: 'parameter', name: expr.text, fn: fnName };
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) return originOf(declaration.initializer, depth + 1);
  if (ts.isBindingElement(declaration) && propertyNameText(declaration.propertyName ?? declaration.name) === 'token') {
    const pattern = declaration.parent;
    const owner = pattern.parent;
    if (ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(owner) && owner.initializer) {
      return resultOrigin(owner.initializer, declaration);
    }
  }
  return { kind: 'unknown' };
}

/** The origin of `<result>.token`, where `result` is what a token call or identity lookup returned. */
function resultOrigin(result: ts.Expression, binding: ts.BindingElement | undefined): Origin {
  let expr = skipParens(result);
  if (ts.isAwaitExpression(expr)) expr = skipParens(expr.expression);
  if (ts.isIdentifier(expr)) {
    const declaration = findBinding(expr, expr.text)?.parent;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && !binding) {
      return isIdentityLookup(declaration.initializer) ? { kind: 'owned' } : { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }
  if (isIdentityLookup(expr)) return { kind: 'owned' };
  const call = methodCall(expr);
  if (call?.method === 'getToken' && legacyServiceOf(call.receiver) === 'tokenManager') return { kind: 'service', binding };
  if (call?.method === 'getPluginRequestToken') {
    const options = call.call.arguments[0] && skipParens(call.call.arguments[0]);
    const onBehalfOf = options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'onBehalfOf') : undefined;
    const value = onBehalfOf && propertyValue(onBehalfOf);
    if (value) return { kind: 'issued', onBehalfOf: value, binding };
  }
  return { kind: 'unknown' };
}

/** `await identity.getIdentity({ request })`: the identity-get-identity rule owns its token. */
function isIdentityLookup(node: ts.Expression): boolean {
  let expr = skipParens(node);
  if (ts.isAwaitExpression(expr)) expr = skipParens(expr.expression);
  const call = methodCall(expr);
  return !!call && call.method === 'getIdentity' && legacyServiceOf(call.receiver) === 'identity';
}

function functionName(fn: ts.Node): string {
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return 'the enclosing function';
}
