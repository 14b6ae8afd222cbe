// Which plugin a call sends a token to, read from the code: the catalog client talks to
// 'catalog', `fetch(`${await discovery.getBaseUrl('x')}/...`)` talks to 'x'.
import { ts } from 'ts-morph';
import { accessedName, calleeName, methodCall, skipParens, stringValue, walk } from './ast';
import { findBinding } from './scope';

const BASE_URL_METHODS = ['getBaseUrl', 'getExternalBaseUrl'];

/** The plugin a client call goes to, judged by the client: only the catalog client is known. */
export function clientTarget(call: ts.CallExpression): string | undefined {
  const method = methodCall(call);
  if (!method) return undefined;
  const receiver = skipParens(method.receiver);
  if (ts.isNewExpression(receiver) && ts.isIdentifier(receiver.expression)) {
    return receiver.expression.text === 'CatalogClient' ? 'catalog' : undefined;
  }
  const name = ts.isIdentifier(receiver) ? receiver.text : accessedName(receiver);
  return name && /^catalog(Client|Api)?$/i.test(name) ? 'catalog' : undefined;
}

/** The plugin a `fetch(url, ...)` call goes to, when the URL starts with a discovery base URL. */
export function fetchTarget(call: ts.CallExpression): string | undefined {
  if (calleeName(call) !== 'fetch') return undefined;
  return urlTarget(call.arguments[0], 0);
}

function urlTarget(node: ts.Expression | undefined, depth: number): string | undefined {
  if (!node || depth > 5) return undefined;
  const expr = skipParens(ts.isAwaitExpression(skipParens(node)) ? (skipParens(node) as ts.AwaitExpression).expression : node);
  const call = methodCall(expr);
  if (call && BASE_URL_METHODS.includes(call.method)) return stringValue(call.call.arguments[0]);
  if (ts.isTemplateExpression(expr) && expr.head.text === '') return urlTarget(expr.templateSpans[0].expression, depth + 1);
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) return urlTarget(expr.left, depth + 1);
  if (ts.isNewExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'URL') {
    return urlTarget(expr.arguments?.[1], depth + 1);
  }
  if (ts.isIdentifier(expr)) {
    const declaration = findBinding(expr, expr.text)?.parent;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.name === findBinding(expr, expr.text)) {
      return urlTarget(declaration.initializer, depth + 1);
    }
  }
  return undefined;
}

/** Plugin ids this file already asks discovery for, in order of appearance. */
export function discoveredPlugins(root: ts.Node): string[] {
  const ids: string[] = [];
  walk(root, (node) => {
    const call = methodCall(node);
    const id = call && BASE_URL_METHODS.includes(call.method) ? stringValue(call.call.arguments[0]) : undefined;
    if (id && !ids.includes(id)) ids.push(id);
  });
  return ids;
}

/** `cost-insights` -> `costInsightsToken`. */
export function tokenNameFor(target: string): string {
  const words = target.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  return /^[A-Za-z_$]/.test(camel) ? `${camel}Token` : 'pluginToken';
}
