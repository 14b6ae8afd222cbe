import { Node, ts } from 'ts-morph';
import { nodeAtStart } from '../engine/morph';
import { FixRefusal, type Rule, type RuleFinding } from '../engine/types';
import { calleeName, methodCall, objectProperty, rangeOf, typeReferenceName, callsBelow } from './shared/ast';
import { guide } from './shared/docs';
import { BACKEND_COMMON, ensureImport } from './shared/imports';
import { appendListItem } from './shared/lists';
import { calledFunction, importOf, isRelative, projectReader } from './shared/project';
import { LEGACY_OPTIONS, routerFacts, type RouterFacts } from './shared/routerOptions';
import type { NewService } from './shared/services';
import { findBinding } from './shared/scope';

/**
 * `createLegacyAuthAdapters` needs `discovery`, so a router that bridges the old services
 * requires it from every caller, also the old-system ones (standalone server, old backend).
 */
export const createRouterDiscovery: Rule = {
  id: 'create-router-discovery',
  title: 'createRouter callers pass discovery',
  severity: 'warning',
  docsUrl: guide.dependencies,
  explanation:
    'Once a router bridges `identity`/`tokenManager` to the new services with `createLegacyAuthAdapters`, it needs ' +
    '`discovery`, which old-system callers (a standalone server, `packages/backend/src/plugins/<id>.ts`) may not pass yet. ' +
    'The fix passes the `discovery` already in scope, `env.discovery` from the plugin environment, or ' +
    '`HostDiscovery.fromConfig(config)`.',
  example: {
    fileName: 'packages/backend/src/plugins/notes.ts',
    before: [
      "import { createRouter } from './notes/router';",
      "import { PluginEnvironment } from '../types';",
      '',
      'export default async function createPlugin(env: PluginEnvironment) {',
      '  return await createRouter({ logger: env.logger, identity: env.identity });',
      '}',
      '',
    ].join('\n'),
    after: [
      "import { createRouter } from './notes/router';",
      "import { PluginEnvironment } from '../types';",
      '',
      'export default async function createPlugin(env: PluginEnvironment) {',
      '  return await createRouter({ logger: env.logger, identity: env.identity, discovery: env.discovery });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['Router('],

  detect(ctx) {
    const findings: RuleFinding[] = [];
    const reader = projectReader(ctx);
    const module = { fileName: ctx.fileName, sourceFile: ctx.sourceFile };
    for (const call of callsBelow(ctx.sourceFile)) {
      const callee = call.expression;
      const options = call.arguments[0];
      if (!ts.isIdentifier(callee) || !callee.text.endsWith('Router') || !options || !ts.isObjectLiteralExpression(options)) continue;
      if (options.properties.some(ts.isSpreadAssignment)) continue;
      if (insidePluginInit(call)) continue; // the new system: plugin-deps-legacy-services wires it
      // Only the package's own routers: imported from a relative module, read through the host.
      const imported = importOf(ctx.sourceFile, callee.text);
      if (!imported || !isRelative(imported.specifier)) continue;
      const target = calledFunction(reader, module, callee.text);
      // Unread, a router that takes the old services still bridges them once migrated.
      const facts = target && 'fn' in target ? routerFacts(target.module, target.fn, reader, ctx.target) : undefined;
      const unpassable = facts && ctx.target === 'new-backend-only' ? requiredNewServices(facts, options) : [];
      if (unpassable.length > 0) {
        findings.push({
          range: rangeOf(callee),
          message: `\`${callee.text}\` requires ${listOf(unpassable)}, which this call does not pass.`,
          notFixableReason:
            'outside a new-backend-system plugin nothing provides the new auth services once @backstage/backend-plugin-api is 1.x; ' +
            'move this caller to `createBackendPlugin` (the plugin then hands them over), or keep the legacy-compatible target while the old backend system still runs this code.',
        });
        continue;
      }
      if (objectProperty(options, 'discovery')) continue;
      // Unread under new-backend-only, the router will not bridge, so it needs no discovery.
      const needsDiscovery = facts
        ? facts.needsDiscovery
        : ctx.target === 'legacy-compatible' && LEGACY_OPTIONS.some((name) => objectProperty(options, name));
      if (!needsDiscovery) continue;

      const source = discoverySource(call);
      const message = facts?.hasAdapters
        ? `\`${callee.text}\` needs \`discovery\` for \`createLegacyAuthAdapters\`, but this call does not pass it.`
        : ctx.target === 'new-backend-only'
          ? `\`${callee.text}\` requires \`discovery\`, but this call does not pass it.`
          : `\`${callee.text}\` will need \`discovery\` once it bridges the old auth services with \`createLegacyAuthAdapters\`; this call does not pass it.`;
      findings.push(
        source.ok
          ? {
              range: rangeOf(callee),
              message,
              fixes: [{ id: 'pass-discovery', title: `Pass discovery: ${source.value}`, preferred: true }],
              data: { value: source.value, hostDiscovery: source.hostDiscovery },
            }
          : { range: rangeOf(callee), message, notFixableReason: source.reason },
      );
    }
    return findings;
  },

  fix({ sourceFile }, finding) {
    const callee = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.Identifier, finding.range.end);
    const call = callee?.getParent();
    if (!call || !Node.isCallExpression(call)) throw new FixRefusal('the code changed; the call is no longer there');
    const options = call.getArguments()[0];
    if (!options || !Node.isObjectLiteralExpression(options)) throw new FixRefusal('the router options are no longer an object literal');
    const value = String(finding.data?.value ?? '');
    if (!value) throw new FixRefusal('no discovery source');
    appendListItem(options, options.getProperties(), value === 'discovery' ? 'discovery' : `discovery: ${value}`);
    if (finding.data?.hostDiscovery) ensureImport(sourceFile, BACKEND_COMMON, 'HostDiscovery');
  },
};

/** New services the router's options require that this call does not pass (new-backend-only routers). */
function requiredNewServices(facts: RouterFacts, options: ts.ObjectLiteralExpression): NewService[] {
  return (['auth', 'httpAuth', 'userInfo'] as const).filter((s) => facts.members.get(s) === false && !objectProperty(options, s));
}

function listOf(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

type Source = { ok: true; value: string; hostDiscovery: boolean } | { ok: false; reason: string };

/** What to pass: `discovery` in scope, the plugin environment's, or one built from `config`. */
function discoverySource(call: ts.CallExpression): Source {
  if (findBinding(call, 'discovery')) return { ok: true, value: 'discovery', hostDiscovery: false };
  const env = findBinding(call, 'env');
  if (env && isPluginEnvironment(env)) return { ok: true, value: 'env.discovery', hostDiscovery: false };
  const taken = findBinding(call, 'HostDiscovery');
  if (findBinding(call, 'config') && (!taken || isImportFromBackendCommon(taken))) {
    return { ok: true, value: 'HostDiscovery.fromConfig(config)', hostDiscovery: true };
  }
  return {
    ok: false,
    reason:
      'no `discovery`, plugin environment (`env`) or `config` is in scope here to build one from; ' +
      'pass `discovery` to this call yourself (`HostDiscovery.fromConfig(config)` from @backstage/backend-common, or a mock in tests).',
  };
}

/** `env: PluginEnvironment` (typed), or an untyped `env` parameter in JavaScript. */
function isPluginEnvironment(binding: ts.Identifier): boolean {
  const declaration = binding.parent;
  if (!ts.isParameter(declaration)) return false;
  return declaration.type ? typeReferenceName(declaration.type) === 'PluginEnvironment' : /\.(c|m)?jsx?$/.test(binding.getSourceFile().fileName);
}

function isImportFromBackendCommon(binding: ts.Identifier): boolean {
  const imported = importOf(binding.getSourceFile(), binding.text);
  return imported?.specifier === BACKEND_COMMON;
}

function insidePluginInit(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    const call = methodCall(current);
    if (call?.method === 'registerInit') return true;
    if (ts.isCallExpression(current) && ['createBackendPlugin', 'createBackendModule'].includes(calleeName(current) ?? '')) return true;
  }
  return false;
}
