import { FixRefusal, type Rule, type RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import { BEARER_HELPER, bearerExtractions } from './shared/bearer';
import { guide } from './shared/docs';
import { planForwarding } from './shared/forwardingPlan';
import { applyForwarding } from './shared/forwardingRewrite';

/**
 * The caller's bearer token, pulled out of the Authorization header and passed on. The new
 * services read the caller as credentials and issue a fresh token per target plugin.
 */
export const bearerTokenForwarding: Rule = {
  id: 'bearer-token-forwarding',
  title: 'Bearer token forwarding -> httpAuth.credentials',
  severity: 'warning',
  docsUrl: guide.forwarding,
  explanation:
    'Handing the incoming bearer token on to other plugins is what the new auth services replace. ' +
    'Read the caller with `httpAuth.credentials(req)`, pass `{ credentials }` to the permissions service, and issue a token ' +
    'for each target plugin with `auth.getPluginRequestToken` right before the call that needs it. ' +
    'Requests without a token get `none` credentials: the default auth policy turns them away before the handler runs, ' +
    "and where a policy lets them through, `getPluginRequestToken` throws for them. Checks such as `if (!token)` become `auth.isPrincipal(credentials, 'none')`.",
  example: {
    before: [
      "import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';",
      '',
      'export async function createRouter({ auth, httpAuth, catalog }: RouterOptions) {',
      "  router.get('/teams/:name', async (req, res) => {",
      "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
      '    res.json(await catalog.getEntityByRef(`group:${req.params.name}`, { token }));',
      '  });',
      '}',
      '',
    ].join('\n'),
    after: [
      'export async function createRouter({ auth, httpAuth, catalog }: RouterOptions) {',
      "  router.get('/teams/:name', async (req, res) => {",
      '    const credentials = await httpAuth.credentials(req);',
      '    const { token } = await auth.getPluginRequestToken({',
      '      onBehalfOf: credentials,',
      "      targetPluginId: 'catalog'",
      '    });',
      '    res.json(await catalog.getEntityByRef(`group:${req.params.name}`, { token }));',
      '  });',
      '}',
      '',
    ].join('\n'),
  },
  triggers: [BEARER_HELPER, 'authorization', 'Authorization'],

  detect(ctx) {
    return bearerExtractions(ctx.sourceFile).flatMap((extraction): RuleFinding[] => {
      const plan = planForwarding(extraction);
      // Only checked with tokenManager.authenticate: that rule replaces the extraction itself.
      if (plan === 'owned elsewhere') return [];
      const finding: RuleFinding = {
        range: rangeOf(extraction.expression),
        message: 'The incoming bearer token is forwarded; read the caller with `httpAuth.credentials(req)` instead.',
      };
      if ('reason' in plan) return [{ ...finding, notFixableReason: plan.reason }];
      return [{ ...finding, fixes: plan.options }];
    });
  },

  fix({ sourceFile }, finding, optionId) {
    const extraction = bearerExtractions(sourceFile.compilerNode).find((e) => e.expression.getStart() === finding.range.start);
    if (!extraction) throw new FixRefusal('the code changed; the token extraction is no longer there');
    const plan = planForwarding(extraction);
    if (plan === 'owned elsewhere') throw new FixRefusal('the token-manager-authenticate rule rewrites this token');
    if ('reason' in plan) throw new FixRefusal(plan.reason);
    if (!plan.options.some((o) => o.id === optionId)) throw new FixRefusal('this fix is not available here');
    applyForwarding(sourceFile, extraction, plan, optionId.startsWith('target:') ? optionId.slice('target:'.length) : undefined);
  },
};
