// A realistic router of a backend plugin written before 1.24: identity, token manager, bearer
// forwarding and a PermissionEvaluator, the patterns the rules look for.
export const LEGACY_ROUTER = `import {
  errorHandler,
  PluginEndpointDiscovery,
  TokenManager,
} from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { getBearerTokenFromAuthorizationHeader, IdentityApi } from '@backstage/plugin-auth-node';
import {
  AuthorizeResult,
  createPermission,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

// Who may remove a shelf of bookmarks.
export const shelfDeletePermission = createPermission({
  name: 'bookmarks.shelf.delete',
  attributes: { action: 'delete' },
});

export interface RouterOptions {
  logger: LoggerService;
  discovery: PluginEndpointDiscovery;
  identity: IdentityApi;
  tokenManager: TokenManager;
  /** Decides who may change shelves. */
  permissions: PermissionEvaluator;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, discovery, identity, tokenManager, permissions } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/shelves', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    const { token } = await tokenManager.getToken();
    const catalogUrl = await discovery.getBaseUrl('catalog');
    const owner = user?.identity.userEntityRef ?? 'user:default/guest';
    const response = await fetch(\`\${catalogUrl}/entities/by-ref/\${encodeURIComponent(owner)}\`, {
      headers: { Authorization: \`Bearer \${token}\` },
    });
    res.json({ owner, ownerKnown: response.ok });
  });

  router.delete('/shelves/:id', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    if (!(await mayDelete(permissions, token))) {
      res.status(403).json({ error: 'not allowed' });
      return;
    }
    logger.info(\`removing shelf \${req.params.id}\`);
    res.status(204).end();
  });

  router.use(errorHandler());
  return router;
}

async function mayDelete(evaluator: PermissionEvaluator, token?: string): Promise<boolean> {
  const [decision] = await evaluator.authorize([{ permission: shelfDeletePermission }], { token });
  return decision.result === AuthorizeResult.ALLOW;
}
`;
