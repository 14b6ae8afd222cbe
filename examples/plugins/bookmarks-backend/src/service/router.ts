import {
  errorHandler,
  PluginEndpointDiscovery,
  TokenManager,
} from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { AuthenticationError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DefaultIdentityClient,
  getBearerTokenFromAuthorizationHeader,
  IdentityApi,
} from '@backstage/plugin-auth-node';
import {
  AuthorizeResult,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { bookmarkCreatePermission, bookmarkDeletePermission } from '../permissions';
import { BookmarkStore } from './BookmarkStore';

export interface RouterOptions {
  logger: LoggerService;
  discovery: PluginEndpointDiscovery;
  /** Defaults to a client that verifies tokens issued by the auth backend. */
  identity?: IdentityApi;
  tokenManager: TokenManager;
  permissions: PermissionEvaluator;
  store?: BookmarkStore;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, discovery, tokenManager, permissions } = options;
  const identity =
    options.identity ??
    DefaultIdentityClient.create({
      discovery,
      issuer: await discovery.getExternalBaseUrl('auth'),
    });
  const store = options.store ?? new BookmarkStore();
  const catalog = new CatalogClient({ discoveryApi: discovery });

  const router = Router();
  router.use(express.json());

  // Probed by the load balancer, which sends no credentials.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The signed-in user's bookmarks.
  router.get('/bookmarks', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      throw new AuthenticationError('Sign in to see your bookmarks');
    }
    res.json({ items: store.list(user.identity.userEntityRef) });
  });

  // Public ranking; a signed-in viewer is told which entries are theirs.
  router.get('/popular', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    const viewer = user?.identity.userEntityRef;
    const mine = new Set(viewer ? store.list(viewer).map((b) => b.entityRef) : []);
    res.json({
      items: store.popular(20).map((p) => ({ ...p, mine: mine.has(p.entityRef) })),
    });
  });

  // Bookmark an entity the caller can see in the catalog.
  router.post('/bookmarks', async (req, res) => {
    const entityRef = String(req.body?.entityRef ?? '');
    if (!entityRef) {
      throw new InputError('entityRef is required');
    }
    const token = getBearerTokenFromAuthorizationHeader(
      req.header('authorization'),
    );
    const [decision] = await permissions.authorize(
      [{ permission: bookmarkCreatePermission }],
      { token },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not create bookmarks');
    }
    const entity = await catalog.getEntityByRef(entityRef, { token });
    if (!entity) {
      throw new InputError(`No such entity: ${entityRef}`);
    }
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      throw new AuthenticationError();
    }
    store.add(user.identity.userEntityRef, {
      entityRef,
      title: entity.metadata.title ?? entity.metadata.name,
      createdAt: new Date().toISOString(),
    });
    res.status(201).json({ entityRef });
  });

  // Remove a bookmark; the permission is checked against the bookmarked entity.
  router.delete('/bookmarks/:namespace/:kind/:name', async (req, res) => {
    const { kind, namespace, name } = req.params;
    const entityRef = `${kind}:${namespace}/${name}`;
    const token = getBearerTokenFromAuthorizationHeader(
      req.header('authorization'),
    );
    const [decision] = await permissions.authorize(
      [{ permission: bookmarkDeletePermission, resourceRef: entityRef }],
      { token },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError();
    }
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      throw new AuthenticationError();
    }
    res.json({ removed: store.remove(user.identity.userEntityRef, entityRef) });
  });

  // Called by the digest module only: other backend services, never browsers.
  router.get('/digest-data', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(
      req.header('authorization'),
    );
    if (!token) {
      throw new AuthenticationError('Service token required');
    }
    await tokenManager.authenticate(token);
    res.json({ items: store.popular(5) });
  });

  // Refresh bookmark titles from the catalog every hour.
  const refreshTitles = async () => {
    const { token } = await tokenManager.getToken();
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: store.allEntityRefs() },
      { token },
    );
    for (const entity of items) {
      if (entity) {
        const ref = `${entity.kind.toLocaleLowerCase('en-US')}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
        store.retitle(ref, entity.metadata.title ?? entity.metadata.name);
      }
    }
    logger.info('Refreshed bookmark titles');
  };
  setInterval(() => {
    refreshTitles().catch((e) => logger.warn(`Title refresh failed: ${e}`));
  }, 60 * 60 * 1000).unref();

  router.use(errorHandler());
  return router;
}
