import { PluginEndpointDiscovery, TokenManager } from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { getBearerTokenFromAuthorizationHeader, IdentityApi } from '@backstage/plugin-auth-node';
import { AuthorizeResult, createPermission, PermissionEvaluator } from '@backstage/plugin-permission-common';
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
  identity: IdentityApi;
  tokenManager: TokenManager;
  permissions: PermissionEvaluator;
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
  const { logger, discovery, identity, tokenManager, permissions } = options;
  const catalog = new CatalogClient({ discoveryApi: discovery });
  const notes = new Map<string, ReleaseNote>();
  const router = Router();
  router.use(express.json());

  // Edit a note: the caller's token goes to the permission check and the catalog, and the
  // editor is recorded from their identity.
  router.put('/notes/:id', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    const [decision] = await permissions.authorize(
      [{ permission: releaseNoteEditPermission, resourceRef: `release-note:${req.params.id}` }],
      { token },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`you may not edit release note ${req.params.id}`);
    }
    const system = await catalog.getEntityByRef(`system:default/${req.body.system}`, { token });
    if (!system) {
      res.status(400).json({ error: `unknown system ${req.body.system}` });
      return;
    }
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      throw new AuthenticationError('sign in to edit release notes');
    }
    notes.set(req.params.id, {
      id: req.params.id,
      system: system.metadata.name,
      body: String(req.body.body),
      editedBy: user.identity.userEntityRef,
    });
    res.status(204).end();
  });

  // Publish: only signed-in users; their token is checked against the publish permission.
  router.post('/notes/:id/publish', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      throw new AuthenticationError();
    }
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    const [decision] = await permissions.authorize([{ permission: releaseNotePublishPermission }], { token });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError();
    }
    logger.info(`${user.identity.userEntityRef} published release note ${req.params.id}`);
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
    const { token } = await tokenManager.getToken();
    const [decision] = await permissions.authorize([{ permission: releaseNotePublishPermission }], { token });
    if (decision.result !== AuthorizeResult.ALLOW) return;
    const { token: catalogToken } = await tokenManager.getToken();
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
