import {
  createLegacyAuthAdapters,
  errorHandler,
  PluginEndpointDiscovery,
  TokenManager,
} from '@backstage/backend-common';
import { AuthService, HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  DefaultIdentityClient,
  IdentityApi,
} from '@backstage/plugin-auth-node';
import {
  AuthorizeResult,
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
  tokenManager?: TokenManager;
  permissions: PermissionsService;
  store?: BookmarkStore;
  auth?: AuthService;
  httpAuth?: HttpAuthService;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, discovery, permissions } = options;
  const identity =
    options.identity ??
    DefaultIdentityClient.create({
      discovery,
      issuer: await discovery.getExternalBaseUrl('auth'),
    });
  const store = options.store ?? new BookmarkStore();
  const { auth, httpAuth } = createLegacyAuthAdapters({ ...options, identity });
  const catalog = new CatalogClient({ discoveryApi: discovery });

  const router = Router();
  router.use(express.json());

  // Probed by the load balancer, which sends no credentials.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The signed-in user's bookmarks.
  router.get('/bookmarks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ items: store.list(credentials.principal.userEntityRef) });
  });

  // Public ranking; a signed-in viewer is told which entries are theirs.
  router.get('/popular', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service', 'none'] });
    const viewer = credentials.principal.type === 'user' ? credentials.principal.userEntityRef : undefined;
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
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: bookmarkCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not create bookmarks');
    }
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    const entity = await catalog.getEntityByRef(entityRef, { token });
    if (!entity) {
      throw new InputError(`No such entity: ${entityRef}`);
    }
    const userCredentials = await httpAuth.credentials(req, { allow: ['user'] });
    store.add(userCredentials.principal.userEntityRef, {
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
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: bookmarkDeletePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError();
    }
    const userCredentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ removed: store.remove(userCredentials.principal.userEntityRef, entityRef) });
  });

  // Called by the digest module only: other backend services, never browsers.
  router.get('/digest-data', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: store.popular(5) });
  });

  // Refresh bookmark titles from the catalog every hour.
  const refreshTitles = async () => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
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
