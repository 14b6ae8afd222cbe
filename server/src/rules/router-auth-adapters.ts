import { Node, type SourceFile, ts } from 'ts-morph';
import { FixRefusal, type DetectContext, type Finding, type Rule, type RuleFinding } from '../engine/types';
import { propertyNameText, rangeOf } from './shared/ast';
import { guide } from './shared/docs';
import { ProjectReader, projectReader, type FunctionLike, type ModuleFile, type ObjectType } from './shared/project';
import { defaultsNotPassedOn, routerFacts, routerFunctions, type RouterFacts } from './shared/routerOptions';
import { nameIsTaken } from './shared/scope';
import { NEW_SERVICE_TYPES, planServiceAccess, provideService, wrap } from './shared/services';
import { dropLegacyOptions } from './shared/legacyOptionsSettle';
import { DROP_OLD_OPTIONS, newBackendFindings, READ_FROM_OPTIONS, readFromOptions, TAKE_SERVICES, takeServices } from './shared/routerNewBackend';
import type { MigrationTarget } from '../engine/targets';

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
    'without breaking old-system callers: its options accept the new services and ' +
    '`createLegacyAuthAdapters(options)` returns the new services, built from the old ones when a caller has not passed them. ' +
    'Only the services the router will need are added, and any default identity client or token manager it used is passed on. ' +
    'An old option becomes optional once the router no longer calls it itself (until then its calls need a value); ' +
    'this rule points out an old option still required after that. ' +
    'Under the new-backend-only target (`@backstage/backend-plugin-api` 1.x, which has no identity or token manager), the router ' +
    'instead takes `auth`/`httpAuth` as required options and reads them directly, a `createLegacyAuthAdapters` bridge is ' +
    'replaced by reading the options, and old options nothing uses any more are dropped with their imports.',
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
      '  identity: IdentityApi;',
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
      const facts = routerFacts(module, fn, projectReader(ctx), ctx.target);
      if (ctx.target === 'new-backend-only') {
        findings.push(...newBackendFindings(name, facts));
        continue;
      }
      if (facts.hasAdapters) {
        findings.push(...idleRequiredOptions(name, facts));
        continue;
      }
      if (facts.legacyOptions.length === 0) continue;
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

  fix({ sourceFile, fileName, host, target }, finding, optionId) {
    const reader = new ProjectReader(host);
    if (optionId === MAKE_OPTIONAL) {
      makeOptional(sourceFile, fileName, reader, finding);
      return;
    }
    const name = String(finding.data?.router ?? sourceFile.getText().slice(finding.range.start, finding.range.end));
    const facts = factsOf(sourceFile, fileName, reader, name, target);
    // Each step edits the file; find the router again by name for the next one.
    const routerBody = () => {
      const body = findRouter(sourceFile, name).body;
      if (!body || !ts.isBlock(body)) throw new FixRefusal('the router has no block body');
      const block = wrap(sourceFile, body);
      if (!Node.isBlock(block)) throw new FixRefusal('unexpected router body');
      return block;
    };
    if (optionId === READ_FROM_OPTIONS || optionId === DROP_OLD_OPTIONS) {
      const fn = wrap(sourceFile, facts.fn);
      const optionsType = facts.declaration.kind === 'local' ? wrap(sourceFile, facts.declaration.type) : undefined;
      if (optionId === READ_FROM_OPTIONS) readFromOptions(sourceFile, fn, optionsType);
      else if (!dropLegacyOptions(sourceFile, fn)) throw new FixRefusal('the router still uses its old options');
      return;
    }
    if (optionId === TAKE_SERVICES) {
      takeServices(sourceFile, routerBody, facts);
      return;
    }
    for (const service of facts.services) provideService(sourceFile, routerBody(), service);
  },
};

const MAKE_OPTIONAL = 'make-legacy-option-optional';

/**
 * Old members the options type still requires although the router bridges them and no longer
 * reads them itself: the guide's shape has them optional, so new-system callers can leave them out.
 */
function idleRequiredOptions(name: ts.Identifier, facts: RouterFacts): RuleFinding[] {
  const idle = facts.legacyOptions.filter((o) => facts.members.get(o) === false && !facts.legacyInUse.includes(o));
  const { declaration } = facts;
  return idle.map((option) => {
    const member = declaration.kind === 'local' ? memberOf(declaration.type, option) : undefined;
    const message =
      `\`${option}\` is still required in the options of \`${name.text}\`, although the router no longer calls it ` +
      '(it only reaches `createLegacyAuthAdapters`); make it optional so new-system callers can leave it out.';
    if (!member) {
      const where = declaration.kind === 'elsewhere' ? `\`${declaration.typeName}\`${declaration.from ? ` in \`${declaration.from}\`` : ''}` : 'the options type';
      return { range: rangeOf(name), message, notFixableReason: `${where} is not declared in this file; mark \`${option}\` optional there (\`${option}?:\`).`, data: { router: name.text, option } };
    }
    return {
      range: rangeOf(member.name ?? member),
      message,
      fixes: [{ id: MAKE_OPTIONAL, title: `Make \`${option}\` optional`, preferred: true }],
      data: { router: name.text, option },
    };
  });
}

function memberOf(type: ObjectType, name: string): ts.TypeElement | undefined {
  return type.members.find((m) => m.name && propertyNameText(m.name) === name);
}

function makeOptional(sourceFile: SourceFile, fileName: string, reader: ProjectReader, finding: Finding): void {
  const router = String(finding.data?.router ?? '');
  const option = String(finding.data?.option ?? '');
  const facts = factsOf(sourceFile, fileName, reader, router);
  if (facts.legacyInUse.some((o) => o === option)) throw new FixRefusal(`the router still calls \`${option}\` itself`);
  if (facts.declaration.kind !== 'local') throw new FixRefusal('the options type is not declared in this file');
  const member = memberOf(facts.declaration.type, option);
  const wrapped = member && wrap(sourceFile, member);
  if (!wrapped || !Node.isPropertySignature(wrapped)) throw new FixRefusal(`\`${option}\` is not a plain member of the options type`);
  wrapped.setHasQuestionToken(true);
}

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

function factsOf(sourceFile: SourceFile, fileName: string, reader: ProjectReader, name: string, target?: MigrationTarget): RouterFacts {
  const fn = findRouter(sourceFile, name);
  return routerFacts({ fileName, sourceFile: sourceFile.compilerNode }, fn, reader, target);
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
