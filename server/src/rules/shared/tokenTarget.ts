// Which plugin is a service token for? `auth.getPluginRequestToken` needs a `targetPluginId`,
// while `tokenManager.getToken()` did not, so the target has to be read off how the token is
// used: handed to a catalog client (`'catalog'`), or sent as a bearer header to a URL built from
// `discovery.getBaseUrl('<id>')` (`'<id>'`). Values are followed through variables,
// destructuring, helper functions of the same file (arguments and return values) and `this.x()`
// methods. Anything else is an unknown use: then the caller has to ask the user.
//
// The same judgements serve rules that look at one call only: `clientTarget` (a catalog client
// method) and `fetchTarget` (a `fetch` to a discovery URL).
//
// The parts: tokenTargetTrace (following a value to its uses), tokenTargetUrls and
// tokenTargetCatalog (what one use targets), tokenTargetChoices (what a rule offers when the
// target is unknown), tokenTargetLookups (finding functions, classes and calls in the file).
import type { ts } from 'ts-morph';
import { calleeName, methodCall } from './ast';
import { isCatalogClient } from './tokenTargetCatalog';
import { Tracer, type TokenValue } from './tokenTargetTrace';
import { pluginIdsOf } from './tokenTargetUrls';

export { discoveredPluginIds, tokenNameFor } from './tokenTargetChoices';
export type { TokenValue } from './tokenTargetTrace';

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
