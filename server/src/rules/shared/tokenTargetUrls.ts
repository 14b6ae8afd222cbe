// Which plugin a URL goes to: built from `discovery.getBaseUrl('<id>')` (or
// `getExternalBaseUrl`), directly or through local constants.
import { ts } from 'ts-morph';
import { findBinding } from './scope';
import { isReference, methodCall, objectProperty, propertyValue, skipParens, stringValue } from './ast';
import { MAX_TRACE_DEPTH } from './tokenTargetLookups';

const BASE_URL_METHODS = new Set(['getBaseUrl', 'getExternalBaseUrl']);

/** The plugin id of a `discovery.getBaseUrl('<id>')` call, when `node` is one. */
export function baseUrlPluginId(node: ts.Node): string | undefined {
  const call = methodCall(node);
  if (!call || !BASE_URL_METHODS.has(call.method)) return undefined;
  return stringValue(call.call.arguments[0]);
}

/** `axios({ url, headers })`-style config: its `url`. */
export function urlOfConfig(argument: ts.Expression | undefined): ts.Expression | undefined {
  if (!argument) return undefined;
  const config = skipParens(argument);
  if (!ts.isObjectLiteralExpression(config)) return undefined;
  const url = objectProperty(config, 'url');
  return url && propertyValue(url);
}

/** Plugin ids whose base URL the expression is built from, through local constants. */
export function pluginIdsOf(expression: ts.Node, depth: number): string[] {
  const ids = new Set<string>();
  const visit = (node: ts.Node): void => {
    const id = baseUrlPluginId(node);
    if (id) ids.add(id);
    if (ts.isIdentifier(node) && isReference(node) && depth < MAX_TRACE_DEPTH) {
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
