import { Node, type SourceFile, ts } from 'ts-morph';
import { FixRefusal, type DetectContext, type Rule, type RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import { guide } from './shared/docs';
import { ProjectReader, projectReader, type FunctionLike, type ModuleFile } from './shared/project';
import { defaultsNotPassedOn, routerFacts, routerFunctions, type RouterFacts } from './shared/routerOptions';
import { nameIsTaken } from './shared/scope';
import { NEW_SERVICE_TYPES, planServiceAccess, provideService, wrap } from './shared/services';

/**
 * A router that takes `identity`/`tokenManager` bridges them to `auth`/`httpAuth` with
 * `createLegacyAuthAdapters`, so the same code runs in both backend systems.
 */
export const routerAuthAdapters: Rule = {
  id: 'router-auth-adapters',
  title: 'createRouter: bridge identity/tokenManager with createLegacyAuthAdapters',
  severity: 'warning',
  docsUrl: guide.createRouter,
  explanation:
    'A router that still takes `identity` or `tokenManager` can offer the new `auth`/`httpAuth` services to its code ' +
    'without breaking old-system callers: its options accept the new services (the old ones become optional) and ' +
    '`createLegacyAuthAdapters(options)` returns the new services, built from the old ones when a caller has not passed them. ' +
    'Only the services the router will need are added, and any default identity client or token manager it used is passed on.',
  example: {
    before: [
      "import { IdentityApi } from '@backstage/plugin-auth-node';",
      "import { Router } from 'express';",
      '',
      'export interface RouterOptions {',
      '  identity: IdentityApi;',
      '}',
      '',
      'export async function createRouter(options: RouterOptions) {',
      '  const { identity } = options;',
      '  const router = Router();',
      "  router.get('/me', async (req, res) => {",
      '    res.json(await identity.getIdentity({ request: req }));',
      '  });',
      '  return router;',
      '}',
      '',
    ].join('\n'),
    after: [
      "import { IdentityApi } from '@backstage/plugin-auth-node';",
      "import { Router } from 'express';",
      "import type { DiscoveryService, HttpAuthService } from '@backstage/backend-plugin-api';",
      "import { createLegacyAuthAdapters } from '@backstage/backend-common';",
      '',
      'export interface RouterOptions {',
      '  identity?: IdentityApi;',
      '  httpAuth?: HttpAuthService;',
      '  discovery: DiscoveryService;',
      '}',
      '',
      'export async function createRouter(options: RouterOptions) {',
      '  const { identity } = options;',
      '  const { httpAuth } = createLegacyAuthAdapters(options);',
      '  const router = Router();',
      "  router.get('/me', async (req, res) => {",
      '    res.json(await identity.getIdentity({ request: req }));',
      '  });',
      '  return router;',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['identity', 'tokenManager'],

  detect(ctx) {
    const module: ModuleFile = { fileName: ctx.fileName, sourceFile: ctx.sourceFile };
    const findings: RuleFinding[] = [];
    for (const { name, fn } of routerFunctions(ctx.sourceFile)) {
      const facts = routerFacts(module, fn, projectReader(ctx));
      if (facts.legacyOptions.length === 0 || facts.hasAdapters) continue;
      const blocker = whyNotFixable(ctx, facts);
      findings.push({
        range: rangeOf(name),
        message: `\`${name.text}\` takes ${listOf(facts.legacyOptions)} but does not bridge to ${listOf(facts.services)} with \`createLegacyAuthAdapters\`.`,
        ...(blocker
          ? { notFixableReason: blocker }
          : { fixes: [{ id: 'add-legacy-auth-adapters', title: `Add ${facts.services.join(', ')} through createLegacyAuthAdapters`, preferred: true }] }),
      });
    }
    return findings;
  },

  fix({ sourceFile, fileName, host }, finding) {
    const name = sourceFile.getText().slice(finding.range.start, finding.range.end);
    const facts = factsOf(sourceFile, fileName, new ProjectReader(host), name);
    for (const service of facts.services) {
      // Each step edits the file; find the router again by name for the next one.
      const fn = findRouter(sourceFile, name);
      const body = fn.body;
      if (!body || !ts.isBlock(body)) throw new FixRefusal('the router has no block body');
      const block = wrap(sourceFile, body);
      if (!Node.isBlock(block)) throw new FixRefusal('unexpected router body');
      provideService(sourceFile, block, service);
    }
  },
};

function whyNotFixable(ctx: DetectContext, facts: RouterFacts): string | undefined {
  const { declaration } = facts;
  if (declaration.kind === 'elsewhere') {
    const where = declaration.from ? `in \`${declaration.from}\`` : 'outside this file or not as an object type';
    const members = facts.services.map((s) => `\`${s}?: ${NEW_SERVICE_TYPES[s]}\``);
    if (!facts.members.has('discovery')) members.push('`discovery: DiscoveryService`');
    return (
      `\`${declaration.typeName}\` is declared ${where}, and this fix only edits the router's own file. ` +
      `Add ${listOf(members, false)} to it, make ${listOf(facts.legacyOptions)} optional, ` +
      'and call `createLegacyAuthAdapters(options)` in the router by hand.'
    );
  }
  if (facts.members.get('discovery') === true) {
    return '`discovery` is optional in the router options, but `createLegacyAuthAdapters` needs it; make it required (callers then pass it) and run the fix again.';
  }
  const body = facts.fn.body;
  if (!body || !ts.isBlock(body)) return 'the router has no block body to add `createLegacyAuthAdapters` to; give it one and run the fix again.';
  const taken = facts.services.find((s) => nameIsTaken(body, s));
  if (taken) return `\`${taken}\` is already declared inside the router; rename it, then run the fix again.`;
  for (const service of facts.services) {
    const plan = planServiceAccess(body, service);
    if (plan.kind === 'none') return plan.reason;
  }
  const lost = defaultsNotPassedOn(facts)[0];
  if (lost) {
    const line = ctx.sourceFile.getLineAndCharacterOfPosition(lost.node.getStart()).line + 1;
    return (
      `the router falls back to a default \`${lost.option}\` on line ${line}, where \`createLegacyAuthAdapters\` ` +
      'cannot be handed it (it goes after the statements that read the options); declare that default among them ' +
      `(\`const ${lost.option} = options.${lost.option} ?? ...\` at the top of the router), then run the fix again.`
    );
  }
  return undefined;
}

function factsOf(sourceFile: SourceFile, fileName: string, reader: ProjectReader, name: string): RouterFacts {
  const fn = findRouter(sourceFile, name);
  return routerFacts({ fileName, sourceFile: sourceFile.compilerNode }, fn, reader);
}

function findRouter(sourceFile: SourceFile, name: string): FunctionLike {
  const found = routerFunctions(sourceFile.compilerNode).find((r) => r.name.text === name);
  if (!found) throw new FixRefusal('the router function moved');
  return found.fn;
}

function listOf(names: readonly string[], quote = true): string {
  const quoted = quote ? names.map((n) => `\`${n}\``) : [...names];
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
