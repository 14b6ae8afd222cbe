// The choices a rule offers when a token's target is not known: the plugins the file discovers,
// and a variable name for a token issued for one of them.
import type { ts } from 'ts-morph';
import { walk } from './ast';
import { baseUrlPluginId } from './tokenTargetUrls';

/** Plugin ids passed as literals to `discovery.getBaseUrl`/`getExternalBaseUrl` in the file. */
export function discoveredPluginIds(root: ts.Node): string[] {
  const ids: string[] = [];
  walk(root, (node) => {
    const id = baseUrlPluginId(node);
    if (id && !ids.includes(id)) ids.push(id);
  });
  return ids;
}

/** `cost-insights` -> `costInsightsToken`: a name for a token issued for that plugin. */
export function tokenNameFor(target: string): string {
  const words = target.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  return /^[A-Za-z_$]/.test(camel) ? `${camel}Token` : 'pluginToken';
}
