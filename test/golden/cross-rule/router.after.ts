import { createLegacyAuthAdapters, PluginEndpointDiscovery, TokenManager } from '@backstage/backend-common';
import { AuthService, HttpAuthService, LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { NotAllowedError } from '@backstage/errors';
import { getBearerTokenFromAuthorizationHeader, IdentityApi } from '@backstage/plugin-auth-node';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

export const releaseNoteEditPermission = createPermission({
  name: 'release-notes.note.edit',
  attributes: { action: 'update' },
  resourceType: 'release-note',
});

export const releaseNotePublishPermission = createPermission({
  name: 'release-notes.note.publish',
  attributes: { action: 'update' },
});

export interface RouterOptions {
  logger: LoggerService;
  discovery: PluginEndpointDiscovery;
  identity?: IdentityApi;
  tokenManager?: TokenManager;
  permissions: PermissionsService;
  auth?: AuthService;
  httpAuth?: HttpAuthService;
}

interface ReleaseNote {
  id: string;
  system: string;
  body: string;
  editedBy?: string;
}

/** Sends a note to the export service configured for the system (not a plugin of this backend). */
async function exportNote(note: ReleaseNote | undefined, token: string | undefined): Promise<void> {
  if (!note) return;
  await fetch(`https://exports.example.com/systems/${note.system}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/markdown' },
    body: note.body,
  });
}

/** Release notes per system: editors are checked by the permission policy. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, discovery, permissions } = options;
  const { auth, httpAuth } = createLegacyAuthAdapters(options);
  const catalog = new CatalogClient({ discoveryApi: discovery });
  const notes = new Map<string, ReleaseNote>();
  const router = Router();
  router.use(express.json());

  // Edit a note: the caller's token goes to the permission check and the catalog, and the
  // editor is recorded from their identity.
  router.put('/notes/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: releaseNoteEditPermission, resourceRef: `release-note:${req.params.id}` }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`you may not edit release note ${req.params.id}`);
    }
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    const system = await catalog.getEntityByRef(`system:default/${req.body.system}`, { token });
    if (!system) {
      res.status(400).json({ error: `unknown system ${req.body.system}` });
      return;
    }
    const userCredentials = await httpAuth.credentials(req, { allow: ['user'] });
    notes.set(req.params.id, {
      id: req.params.id,
      system: system.metadata.name,
      body: String(req.body.body),
      editedBy: userCredentials.principal.userEntityRef,
    });
    res.status(204).end();
  });

  // Publish: only signed-in users; their token is checked against the publish permission.
  router.post('/notes/:id/publish', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize([{ permission: releaseNotePublishPermission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError();
    }
    logger.info(`${credentials.principal.userEntityRef} published release note ${req.params.id}`);
    res.status(202).end();
  });

  // Export: the exporter calls the publishing plugins itself, with whatever token it is given.
  router.post('/notes/:id/export', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    await exportNote(notes.get(req.params.id), token);
    res.status(202).end();
  });

  // Nightly: drop notes whose system is gone from the catalog, if the policy allows the plugin to.
  async function pruneOrphans() {
    const [decision] = await permissions.authorize([{ permission: releaseNotePublishPermission }], { credentials: await auth.getOwnServiceCredentials() });
    if (decision.result !== AuthorizeResult.ALLOW) return;
    const { token: catalogToken } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: [...notes.values()].map((n) => `system:default/${n.system}`) },
      { token: catalogToken },
    );
    for (const [id, note] of [...notes]) {
      if (!items.some((e) => e?.metadata.name === note.system)) notes.delete(id);
    }
  }
  setInterval(() => void pruneOrphans().catch((e) => logger.warn(`prune failed: ${e}`)), 24 * 60 * 60 * 1000);

  return router;
}
