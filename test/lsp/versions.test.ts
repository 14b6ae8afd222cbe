// The Backstage versions a file's migration target and severities come from, over a real
// JSON-RPC connection: when a package.json or lockfile changes on disk (the client's file
// watcher reports it), the cached versions are forgotten, open documents are analyzed again
// and the workspace scan runs again, so diagnostics follow the new versions.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { guide } from '../../server/src/rules/shared/docs';
import { tempDir, writeTree } from '../cli/helpers';
import { fileUri, LspClient } from '../support/lsp';

const FILE_CREATED = 1;
const FILE_CHANGED = 2;
const BPA = '@backstage/backend-plugin-api';
const PLUGIN = 'plugins/runbooks-backend';

/** A router of our own: a forwarded bearer token in a permission check, an old option left over. */
const ROUTER = `import { errorHandler } from '@backstage/backend-common';
import { LoggerService, PermissionsService, TokenManagerService } from '@backstage/backend-plugin-api';
import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

export const runbookEditPermission = createPermission({ name: 'runbook.edit', attributes: { action: 'update' } });

export interface RouterOptions {
  logger: LoggerService;
  permissions: PermissionsService;
  // Still passed by the old backend's plugin wiring.
  tokenManager: TokenManagerService;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, permissions } = options;
  const router = Router();
  router.use(express.json());

  // Editing a runbook needs the edit permission; reading does not.
  router.put('/runbooks/:id', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    const [decision] = await permissions.authorize([{ permission: runbookEditPermission }], { token });
    if (decision.result !== AuthorizeResult.ALLOW) {
      res.status(403).end();
      return;
    }
    logger.info(\`runbook \${req.params.id} updated\`);
    res.status(204).end();
  });

  router.use(errorHandler());
  return router;
}
`;

const manifest = (range: string) =>
  JSON.stringify({ name: '@internal/plugin-runbooks-backend', version: '0.1.0', dependencies: { [BPA]: range } }, null, 2);

/** Both diagnostics of ROUTER, for a document version (the scan's come without one). */
function expected(target: 'legacy-compatible' | 'new-backend-only', version?: number): Diagnostic[] {
  const legacy = target === 'legacy-compatible';
  return [
    {
      range: { start: { line: 16, character: 22 }, end: { line: 16, character: 34 } },
      severity: 2,
      source: 'backstage-auth',
      code: 'router-auth-adapters',
      codeDescription: { href: guide.createRouter },
      message: legacy
        ? '`createRouter` takes `tokenManager` but does not bridge to `httpAuth` with `createLegacyAuthAdapters`.'
        : '`createRouter` takes `tokenManager`, but @backstage/backend-plugin-api 1.x has no identity or tokenManager service; take `httpAuth` as options instead.',
      data: { ruleId: 'router-auth-adapters', start: 738, version: version ?? 0 },
    },
    {
      range: { start: { line: 23, character: 18 }, end: { line: 23, character: 84 } },
      // A `{ token }` permission option does not compile with backend-plugin-api 0.7 and later.
      severity: legacy ? 2 : 1,
      source: 'backstage-auth',
      code: 'bearer-token-forwarding',
      codeDescription: { href: guide.forwarding },
      message: 'The incoming bearer token is forwarded; read the caller with `httpAuth.credentials(req)` instead.',
      data: { ruleId: 'bearer-token-forwarding', start: 1041, version: version ?? 0 },
    },
  ];
}

/** Polls until `check` holds (the server works in the background; no fixed sleeps). */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('versions follow package.json and lockfile changes', () => {
  let root: string;
  let client: LspClient;
  const uriOf = (path: string) => fileUri(join(root, path));
  const opened = () => uriOf(`${PLUGIN}/src/service/router.ts`);
  /** The same router, never opened: the workspace scan shows it. */
  const unopened = () => uriOf(`${PLUGIN}/src/service/legacyRouter.ts`);
  const scanEnds = () => client.progress.filter((p) => p.value.kind === 'end').length;

  async function fileEvent(path: string, type: number): Promise<void> {
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path), type }] });
  }

  /** The last paragraph of the hover over the forwarded token: the target note. */
  async function targetNote(): Promise<string> {
    const hover = await client.hover(opened(), { line: 23, character: 30 });
    return (hover!.contents as MarkupContent).value.split('\n\n---\n\n').at(-1)!;
  }

  before(async () => {
    root = tempDir('versions');
    writeTree(root, {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['plugins/*'] }, null, 2),
      [`${PLUGIN}/package.json`]: manifest('^0.6.17'),
      [`${PLUGIN}/src/service/router.ts`]: ROUTER,
      [`${PLUGIN}/src/service/legacyRouter.ts`]: ROUTER,
    });
    client = await LspClient.start({ settings: { debounceMs: 0 }, workspace: { folders: [{ uri: fileUri(root), name: 'runbooks' }] } });
    await until('the first scan to end', () => scanEnds() > 0);
  });

  after(() => client.stop());

  it('watches package.json and the yarn, npm and pnpm lockfiles', () => {
    const globs = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern));
    assert.ok(globs.includes('**/{package.json,yarn.lock,package-lock.json,pnpm-lock.yaml,pnpm-workspace.yaml,.gitignore}'), globs.join(' '));
  });

  it('backend-plugin-api 0.6.17: legacy-compatible diagnostics, open and scanned', async () => {
    await client.open(opened(), ROUTER, 1);
    assert.deepEqual(await client.diagnostics(opened(), 1), expected('legacy-compatible', 1));
    assert.deepEqual(client.lastPublished(unopened())?.diagnostics, expected('legacy-compatible'));
    assert.equal(
      await targetNote(),
      '*Target legacy-compatible: @backstage/backend-plugin-api 0.6.17 (the lowest of ^0.6.17 in package.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.*',
    );
  });

  it('package.json upgraded to ^1.0.0: new-backend-only diagnostics for the open document and the scan', async () => {
    writeFileSync(join(root, PLUGIN, 'package.json'), manifest('^1.0.0'));
    const endsBefore = scanEnds();
    const open = client.nextPublish(opened(), (p) => p.version === 1);
    const scanned = client.nextPublish(unopened());
    await fileEvent(`${PLUGIN}/package.json`, FILE_CHANGED);
    assert.deepEqual((await open).diagnostics, expected('new-backend-only', 1));
    assert.deepEqual((await scanned).diagnostics, expected('new-backend-only'));
    await until('the scan to end', () => scanEnds() > endsBefore);
    assert.equal(
      await targetNote(),
      '*Target new-backend-only: @backstage/backend-plugin-api 1.0.0 (the lowest of ^1.0.0 in package.json) has no identity/tokenManager services.*',
    );
  });

  it('a lockfile appears (the install ran): the versions come from it', async () => {
    writeFileSync(
      join(root, 'package-lock.json'),
      JSON.stringify({
        name: 'root',
        lockfileVersion: 3,
        packages: { '': { name: 'root', workspaces: ['plugins/*'] }, [`node_modules/${BPA}`]: { version: '1.0.1' } },
      }, null, 2),
    );
    const endsBefore = scanEnds();
    const open = client.nextPublish(opened(), (p) => p.version === 1);
    await fileEvent('package-lock.json', FILE_CREATED);
    assert.deepEqual((await open).diagnostics, expected('new-backend-only', 1));
    await until('the scan to end', () => scanEnds() > endsBefore);
    assert.equal(
      await targetNote(),
      '*Target new-backend-only: @backstage/backend-plugin-api 1.0.1 (from package-lock.json) has no identity/tokenManager services.*',
    );
  });
});
