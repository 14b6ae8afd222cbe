import { FixRefusal, type ProjectHost, type Rule, type RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import { configValue, DISABLE_DEFAULT_POLICY_PATH, repoConfigs } from './shared/appConfigs';
import { guide } from './shared/docs';
import { removeImportIfUnused } from './shared/imports';
import { applyCuts } from './shared/lineEdits';
import { apiMiddlewares, removalPlan } from './shared/apiMiddleware';

/**
 * The contrib "authenticate API requests" recipe: a backend-wide express middleware that checks
 * every request's token with the identity service or the token manager. The default auth policy
 * of the new backend system does the same for every plugin, so the middleware can go, but only
 * where that policy is really in effect, or the API would be left open.
 */
export const contribAuthMiddleware: Rule = {
  id: 'contrib-auth-middleware',
  title: 'Hand-written API auth middleware (contrib recipe)',
  severity: 'warning',
  docsUrl: `${guide.root}#backend-migration`,
  explanation:
    'Before 1.24 a backend could protect its API with the contrib `authenticate-api-requests` recipe: a middleware in ' +
    'front of the API router that verifies each token with `identity.getIdentity` or `tokenManager.authenticate`. The ' +
    'default auth policy of the new backend system now rejects requests without user or service credentials for every ' +
    'plugin, and the old services it calls are going away. The fix removes the middleware only in a new-system backend ' +
    'whose config keeps the default auth policy on.',
  example: {
    fileName: 'packages/backend/src/rootHttpRouter.ts',
    before: [
      "import { rootHttpRouterServiceFactory } from '@backstage/backend-app-api';",
      "import { ServerTokenManager } from '@backstage/backend-common';",
      "import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';",
      "import { NextFunction, Request, Response } from 'express';",
      '',
      'export default rootHttpRouterServiceFactory({',
      '  configure({ app, routes, config, logger }) {',
      '    const tokenManager = ServerTokenManager.fromConfig(config, { logger });',
      '    const requireToken = async (req: Request, res: Response, next: NextFunction) => {',
      '      const token = getBearerTokenFromAuthorizationHeader(req.headers.authorization);',
      '      if (!token) return res.status(401).end();',
      '      await tokenManager.authenticate(token);',
      '      return next();',
      '    };',
      "    app.use('/api', requireToken);",
      '    app.use(routes);',
      '  },',
      '});',
      '',
    ].join('\n'),
    after: [
      "import { rootHttpRouterServiceFactory } from '@backstage/backend-app-api';",
      '',
      'export default rootHttpRouterServiceFactory({',
      '  configure({ app, routes, config, logger }) {',
      '    app.use(routes);',
      '  },',
      '});',
      '',
    ].join('\n'),
  },
  // 'authenticate(' rather than 'authenticate', which every 'unauthenticated' auth policy contains.
  triggers: ['getIdentity', 'authenticate('],

  detect(ctx) {
    const middlewares = apiMiddlewares(ctx.sourceFile);
    if (middlewares.length === 0) return [];
    const policyOff = disabledPolicyConfig(ctx);
    return middlewares.map((middleware): RuleFinding => {
      const plan = removalPlan(ctx.sourceFile, middleware);
      const reason = policyOff
        ? `${policyOff} turns the default auth policy off (\`backend.auth.dangerouslyDisableDefaultAuthPolicy: true\`), so this middleware is what protects the API; turn the policy back on first`
        : plan.ok
          ? undefined
          : plan.reason;
      return {
        range: rangeOf(middleware.anchor),
        message:
          `${middleware.name ? `\`${middleware.name}\`` : 'This middleware'} authenticates every API request itself (the contrib ` +
          '`authenticate-api-requests` recipe). Since 1.24 the default auth policy of the new backend system does this for every plugin.',
        ...(reason
          ? { notFixableReason: reason }
          : { fixes: [{ id: 'remove-middleware', title: 'Remove the middleware (the default auth policy takes over)', preferred: true }] }),
      };
    });
  },

  fix({ sourceFile, fileName, host }, finding) {
    const file = sourceFile.compilerNode;
    const middleware = apiMiddlewares(file).find((m) => m.anchor.getStart() === finding.range.start);
    if (!middleware) throw new FixRefusal('the code changed; the middleware is no longer there');
    const policyOff = disabledPolicyConfig({ host, fileName });
    if (policyOff) throw new FixRefusal(`${policyOff} turns the default auth policy off`);
    const plan = removalPlan(file, middleware);
    if (!plan.ok) throw new FixRefusal(plan.reason);
    applyCuts(sourceFile, plan.cuts);
    for (const name of plan.requiredNames) removeImportIfUnused(sourceFile, name);
  },
};

/** The config file that disables the default auth policy, if any does. */
function disabledPolicyConfig(ctx: { host: ProjectHost; fileName: string }): string | undefined {
  const configs = repoConfigs(ctx.host, ctx.fileName);
  return configs?.files.find((f) => configValue(f, DISABLE_DEFAULT_POLICY_PATH) === true)?.name;
}
