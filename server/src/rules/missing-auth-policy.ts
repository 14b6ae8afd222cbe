import { relative, dirname } from 'node:path';
import { ts } from 'ts-morph';
import { FixRefusal, type FixOption, type Rule, type RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import {
  describeRoute,
  existingPolicies,
  httpRouterUses,
  insertAuthPolicy,
  isCovered,
  needsPolicy,
  pluginInits,
  POLICY_ALLOWS,
  routesOfHandler,
  type PluginRoute,
  type PolicyAllow,
} from './shared/authPolicies';
import { guide } from './shared/docs';
import { projectReader } from './shared/project';

const ALLOW_TITLES: Record<PolicyAllow, (path: string) => string> = {
  unauthenticated: (path) => `Allow unauthenticated requests to ${path}`,
  'user-cookie': (path) => `Allow signed-in browsers (user cookie) on ${path}`,
};

/**
 * Health checks and static content are fetched without a Backstage token (probes, `<img>`,
 * `<iframe>`); the default auth policy of 1.24 answers them with 401 unless the plugin adds an
 * auth policy. Which policy is right is the owner's call, so both are offered and neither is
 * applied by "fix all".
 */
export const missingAuthPolicy: Rule = {
  id: 'missing-auth-policy',
  title: 'Route reachable without a token needs an auth policy',
  severity: 'information',
  docsUrl: guide.authPolicies,
  explanation:
    'In the new backend system every plugin route requires user or service credentials unless the plugin adds an ' +
    'exception with `httpRouter.addAuthPolicy({ path, allow })`. Health checks are called by probes without any ' +
    "token (`allow: 'unauthenticated'`); images, files and pages opened by the browser carry no Authorization header, " +
    "so they need `'unauthenticated'` or `'user-cookie'` (signed-in users only, through the Backstage cookie). The path " +
    "is a prefix relative to the plugin: `'/static'` also covers `/static/logo.svg`.",
  example: {
    fileName: 'plugin.ts',
    option: 'unauthenticated:/health',
    before: [
      "import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';",
      "import Router from 'express-promise-router';",
      '',
      'export const statusPlugin = createBackendPlugin({',
      "  pluginId: 'status',",
      '  register(env) {',
      '    env.registerInit({',
      '      deps: { httpRouter: coreServices.httpRouter },',
      '      async init({ httpRouter }) {',
      '        const router = Router();',
      "        router.get('/health', (_req, res) => res.json({ status: 'ok' }));",
      '        httpRouter.use(router);',
      '      },',
      '    });',
      '  },',
      '});',
      '',
    ].join('\n'),
    after: [
      "import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';",
      "import Router from 'express-promise-router';",
      '',
      'export const statusPlugin = createBackendPlugin({',
      "  pluginId: 'status',",
      '  register(env) {',
      '    env.registerInit({',
      '      deps: { httpRouter: coreServices.httpRouter },',
      '      async init({ httpRouter }) {',
      '        const router = Router();',
      "        router.get('/health', (_req, res) => res.json({ status: 'ok' }));",
      '        httpRouter.use(router);',
      "        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });",
      '      },',
      '    });',
      '  },',
      '});',
      '',
    ].join('\n'),
  },
  triggers: ['createBackendPlugin'],

  detect(ctx) {
    const findings: RuleFinding[] = [];
    const module = { fileName: ctx.fileName, sourceFile: ctx.sourceFile };
    const policies = existingPolicies(ctx.sourceFile);
    if (policies.unknown) return [];
    for (const init of pluginInits(ctx.sourceFile)) {
      if (init.feature !== 'plugin') continue;
      const initStart = init.registerInit.getStart();
      for (const use of httpRouterUses(init)) {
        const found = routesOfHandler(use.arguments[0], module, projectReader(ctx));
        if (!found || 'unreadable' in found) continue;
        const uncovered = firstPerPolicyPath(found.routes.filter((r) => needsPolicy(r) && !isCovered(r, policies)));
        if (uncovered.length === 0) continue;
        if (found.module.sourceFile === ctx.sourceFile) {
          // The routes are in this file: each gets its own finding, fixed in this same file.
          for (const route of uncovered) findings.push(routeFinding(route, initStart));
        } else {
          findings.push(mountFinding(use, uncovered, relative(dirname(ctx.fileName), found.module.fileName), initStart));
        }
      }
    }
    return findings;
  },

  fix({ sourceFile }, finding, optionId) {
    const separator = optionId.indexOf(':');
    const allow = optionId.slice(0, separator) as PolicyAllow;
    const path = optionId.slice(separator + 1);
    if (separator === -1 || !POLICY_ALLOWS.includes(allow)) throw new FixRefusal(`unknown option ${optionId}`);
    insertAuthPolicy(sourceFile, { path, allow }, Number(finding.data?.init));
  },
};

/** One route per policy path (GET and HEAD of `/health` need one policy). */
function firstPerPolicyPath(routes: PluginRoute[]): PluginRoute[] {
  const seen = new Set<string>();
  return routes.filter((route) => !seen.has(route.policyPath) && !!seen.add(route.policyPath));
}

function options(routes: PluginRoute[]): FixOption[] {
  return routes
    .filter((r) => !r.pathless)
    .flatMap((r) => POLICY_ALLOWS.map((allow) => ({ id: `${allow}:${r.policyPath}`, title: ALLOW_TITLES[allow](r.policyPath), preferred: false })));
}

const WHY: Record<'health' | 'static', string> = {
  health: 'probes call it without a token',
  static: 'browsers load it without an Authorization header',
};

const PATHLESS_REASON =
  'the static files are mounted at the root of the router, so a policy for them would open every route of the plugin; ' +
  "mount them under their own path (`router.use('/static', express.static(dir))`) and run the fix again";

function routeFinding(route: PluginRoute, initStart: number): RuleFinding {
  const why = WHY[route.kind as 'health' | 'static'];
  const message = `${describeRoute(route)}: ${why}, but no auth policy covers it, so the default auth policy rejects it with 401.`;
  const fixes = options([route]);
  return {
    range: rangeOf(route.node),
    message,
    ...(fixes.length ? { fixes } : { notFixableReason: PATHLESS_REASON }),
    data: { init: initStart },
  };
}

/** The routes live in the router module: the finding sits on `httpRouter.use`, where the policy goes. */
function mountFinding(use: ts.CallExpression, routes: PluginRoute[], routerFile: string, initStart: number): RuleFinding {
  const listed = routes.map(describeRoute).join(', ');
  const them = routes.length === 1 ? 'it' : 'them';
  const message =
    `${listed.charAt(0).toUpperCase()}${listed.slice(1)} in ${routerFile} must work without a token, but no auth policy covers ${them}, ` +
    `so the default auth policy rejects ${them} with 401.`;
  const fixes = options(routes);
  return {
    range: rangeOf(use.expression),
    message,
    ...(fixes.length ? { fixes } : { notFixableReason: PATHLESS_REASON }),
    data: { init: initStart },
  };
}
