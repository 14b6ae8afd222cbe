// Workspace diagnostics through a real JSON-RPC connection: the background scan of unopened
// files (progress, .gitignore, build output, exclude), file watcher events, open documents
// winning, cancellation, several workspace folders and folder changes.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { WATCHED_GLOBS } from '../../server/src/lsp/workspace';
import { tempDir, writeTree } from '../cli/helpers';
import { fileUri, LspClient } from '../support/lsp';

const FILE_CREATED = 1;
const FILE_CHANGED = 2;
const FILE_DELETED = 3;

const LEGACY_TYPES = [
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  '',
  'export interface LibraryOptions {',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
].join('\n');
const MIGRATED_TYPES = [
  "import type { PermissionsService } from '@backstage/backend-plugin-api';",
  '',
  'export interface LibraryOptions {',
  '  permissions: PermissionsService;',
  '}',
  '',
].join('\n');

/** The one diagnostic LEGACY_TYPES gets: the PermissionEvaluator type on line 4. */
const LEGACY_DIAGNOSTIC = {
  code: 'permission-evaluator-type',
  range: { start: { line: 3, character: 15 }, end: { line: 3, character: 34 } },
};

const manifest = (name: string, dependencies: Record<string, string>) => JSON.stringify({ name, dependencies }, null, 2);

function backstageRepo(root: string): void {
  writeTree(root, {
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['plugins/*'] }),
    '.gitignore': 'node_modules/\n',
    'plugins/library-backend/package.json': manifest('@internal/library-backend', { '@backstage/backend-plugin-api': '^0.6.17' }),
    'plugins/library-backend/.gitignore': 'src/generated/\n',
    'plugins/library-backend/src/types.ts': LEGACY_TYPES,
    'plugins/library-backend/src/clean.ts': 'export const answer = 42;\n',
    'plugins/library-backend/src/generated/client.ts': LEGACY_TYPES,
    'plugins/library-backend/dist/index.ts': LEGACY_TYPES,
    'plugins/library-backend/dist-types/index.ts': LEGACY_TYPES,
    'plugins/library-backend/coverage/index.ts': LEGACY_TYPES,
    'plugins/library-backend/build/index.ts': LEGACY_TYPES,
    'plugins/library-backend/src/legacy-excluded/old.ts': LEGACY_TYPES,
    'node_modules/@backstage/plugin-permission-common/index.ts': LEGACY_TYPES,
  });
}

/** Polls until `check` holds (the server works in the background; no fixed sleeps). */
async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ends = (client: LspClient) => client.progress.filter((p) => p.value.kind === 'end').length;
const begins = (client: LspClient) => client.progress.filter((p) => p.value.kind === 'begin');

/** Waits for the scan that is starting (or running) to end. */
async function scanEnded(client: LspClient, endsBefore: number): Promise<void> {
  await until('the scan to end', () => ends(client) > endsBefore);
}

/** What the scan shows now: per URI, the last unversioned publish, only those with diagnostics. */
function shown(client: LspClient): Record<string, PublishDiagnosticsParams['diagnostics']> {
  const last = new Map<string, PublishDiagnosticsParams['diagnostics']>();
  for (const p of client.published) last.set(p.uri, p.diagnostics);
  return Object.fromEntries([...last].filter(([, d]) => d.length > 0).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const brief = (diagnostics: PublishDiagnosticsParams['diagnostics']) => diagnostics.map(({ code, range }) => ({ code, range }));

describe('workspace diagnostics', () => {
  let root: string;
  let client: LspClient;
  const uriOf = (path: string) => fileUri(join(root, path));

  before(async () => {
    root = tempDir('workspace');
    backstageRepo(root);
    client = await LspClient.start({
      settings: { debounceMs: 0, exclude: ['**/legacy-excluded/**'] },
      workspace: { folders: [{ uri: fileUri(root), name: 'library' }] },
    });
    await scanEnded(client, 0);
  });

  after(() => client.stop());

  it('registers file watchers for sources, app-config files and the package layout', () => {
    const watchers = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(
      watchers.map((r) => r.registerOptions),
      [{ watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }],
    );
  });

  it('reports its progress: a cancellable begin, then an end', () => {
    const [begin] = begins(client);
    assert.deepEqual(begin.value, {
      kind: 'begin',
      title: 'Backstage Auth: scanning the workspace',
      cancellable: true,
      message: 'listing files',
      percentage: 0,
    });
    assert.equal(client.progress.at(-1)!.value.kind, 'end');
    const summary = client.logs.find((l) => l.message.startsWith('workspace scan: '))!.message;
    // types.ts and clean.ts: generated/ is ignored, legacy-excluded/ excluded, the rest build output or dependencies.
    assert.match(summary, /^workspace scan: 2 files in library, 1 with problems, \d+ ms$/);
  });

  it('publishes the unopened file with findings, and nothing that is ignored, excluded or build output', () => {
    const result = shown(client);
    assert.deepEqual(Object.keys(result), [uriOf('plugins/library-backend/src/types.ts')]);
    assert.deepEqual(brief(Object.values(result)[0]), [LEGACY_DIAGNOSTIC]);
  });

  it('an open document wins over the scan, and gets the scan result back when closed', async () => {
    const uri = uriOf('plugins/library-backend/src/types.ts');
    await client.open(uri, MIGRATED_TYPES, 1);
    assert.deepEqual(await client.diagnostics(uri, 1), []);
    // The file on disk still has the finding; a change event must not override the open document.
    const before = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: FILE_CHANGED }] });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('plugins/library-backend/src/clean.ts'), type: FILE_CHANGED }] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(client.published.slice(before), []);

    const reopened = client.nextPublish(uri, (p) => p.version === undefined && p.diagnostics.length > 0);
    await client.close(uri);
    assert.deepEqual(brief((await reopened).diagnostics), [LEGACY_DIAGNOSTIC]);
  });

  it('follows file events: a new file, a fixed file, a deleted file, an ignored file', async () => {
    const created = uriOf('plugins/library-backend/src/more.ts');
    writeFileSync(join(root, 'plugins/library-backend/src/more.ts'), LEGACY_TYPES);
    writeFileSync(join(root, 'plugins/library-backend/src/generated/more.ts'), LEGACY_TYPES);
    const createdShown = client.nextPublish(created);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: created, type: FILE_CREATED },
        { uri: uriOf('plugins/library-backend/src/generated/more.ts'), type: FILE_CREATED },
      ],
    });
    assert.deepEqual(brief((await createdShown).diagnostics), [LEGACY_DIAGNOSTIC]);

    const fixed = uriOf('plugins/library-backend/src/types.ts');
    writeFileSync(join(root, 'plugins/library-backend/src/types.ts'), MIGRATED_TYPES);
    const fixedShown = client.nextPublish(fixed);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fixed, type: FILE_CHANGED }] });
    assert.deepEqual((await fixedShown).diagnostics, []);

    rmSync(join(root, 'plugins/library-backend/src/more.ts'));
    const deletedShown = client.nextPublish(created);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: FILE_DELETED }] });
    assert.deepEqual((await deletedShown).diagnostics, []);

    assert.deepEqual(shown(client), {});
    writeFileSync(join(root, 'plugins/library-backend/src/types.ts'), LEGACY_TYPES);
    const restored = client.nextPublish(fixed);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fixed, type: FILE_CHANGED }] });
    assert.equal((await restored).diagnostics.length, 1);
  });

  it('a deleted folder clears everything under it', async () => {
    const uri = uriOf('plugins/library-backend/src/types.ts');
    const cleared = client.nextPublish(uri);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf('plugins/library-backend/src'), type: FILE_DELETED }],
    });
    assert.deepEqual((await cleared).diagnostics, []);
    assert.deepEqual(shown(client), {});
  });

  it('a .gitignore change scans the folder again (with the new ignore rules)', async () => {
    writeFileSync(join(root, 'plugins/library-backend/.gitignore'), '');
    const endsBefore = ends(client);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf('plugins/library-backend/.gitignore'), type: FILE_CHANGED }],
    });
    await scanEnded(client, endsBefore);
    assert.deepEqual(Object.keys(shown(client)), [
      uriOf('plugins/library-backend/src/generated/client.ts'),
      uriOf('plugins/library-backend/src/generated/more.ts'),
      uriOf('plugins/library-backend/src/types.ts'),
    ]);
  });

  it("'off' clears what the scan showed", async () => {
    const cleared = client.nextPublish(uriOf('plugins/library-backend/src/types.ts'));
    await client.configure({ debounceMs: 0, workspaceDiagnostics: 'off' });
    assert.deepEqual((await cleared).diagnostics, []);
    await until('every scan diagnostic to be cleared', () => Object.keys(shown(client)).length === 0);
  });
});

describe('workspace diagnostics with several folders', () => {
  let backstage: string;
  let plain: string;
  let added: string;
  let client: LspClient;

  before(async () => {
    backstage = tempDir('multi-root');
    plain = tempDir('multi-root');
    added = tempDir('multi-root');
    backstageRepo(backstage);
    // No @backstage dependency anywhere: `auto` leaves this folder alone.
    writeTree(plain, { 'package.json': manifest('tooling', { typescript: '5.4.5' }), 'src/types.ts': LEGACY_TYPES });
    // A single Backstage plugin, no monorepo.
    writeTree(added, { 'package.json': manifest('plugin', { '@backstage/backend-common': '^0.21.7' }), 'src/types.ts': LEGACY_TYPES });
    client = await LspClient.start({
      settings: { debounceMs: 0 },
      workspace: { folders: [{ uri: fileUri(backstage), name: 'backstage' }, { uri: fileUri(plain), name: 'plain' }] },
    });
    await scanEnded(client, 0);
  });

  after(() => client.stop());

  it("'auto' scans the folders that use Backstage only", () => {
    assert.deepEqual(Object.keys(shown(client)), [
      fileUri(join(backstage, 'plugins/library-backend/src/legacy-excluded/old.ts')),
      fileUri(join(backstage, 'plugins/library-backend/src/types.ts')),
    ]);
  });

  it("'on' scans every folder", async () => {
    const endsBefore = ends(client);
    await client.configure({ debounceMs: 0, workspaceDiagnostics: 'on' });
    await scanEnded(client, endsBefore);
    assert.ok(fileUri(join(plain, 'src/types.ts')) in shown(client));
  });

  it('a folder added to the workspace is scanned; a removed one is cleared', async () => {
    const endsBefore = ends(client);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(added), name: 'added' }], removed: [] },
    });
    await scanEnded(client, endsBefore);
    assert.deepEqual(brief(shown(client)[fileUri(join(added, 'src/types.ts'))]), [LEGACY_DIAGNOSTIC]);

    const cleared = client.nextPublish(fileUri(join(plain, 'src/types.ts')));
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: fileUri(plain), name: 'plain' }] },
    });
    assert.deepEqual((await cleared).diagnostics, []);
    assert.deepEqual(
      Object.keys(shown(client)),
      [
        fileUri(join(added, 'src/types.ts')),
        fileUri(join(backstage, 'plugins/library-backend/src/legacy-excluded/old.ts')),
        fileUri(join(backstage, 'plugins/library-backend/src/types.ts')),
      ].sort(),
    );
  });
});

describe('workspace scan cancellation', () => {
  it('the client cancels the progress: the scan stops early and ends its progress', async () => {
    const root = tempDir('cancel');
    const files: Record<string, string> = { 'package.json': manifest('big', { '@backstage/backend-plugin-api': '^0.6.17' }) };
    for (let i = 0; i < 1500; i++) files[`src/types${i}.ts`] = LEGACY_TYPES;
    writeTree(root, files);
    const client = await LspClient.start({
      settings: { debounceMs: 0 },
      workspace: { folders: [{ uri: fileUri(root), name: 'big' }] },
    });
    try {
      await until('the scan to begin', () => begins(client).length > 0);
      await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begins(client)[0].token });
      await scanEnded(client, 0);
      assert.ok(Object.keys(shown(client)).length < 1500, 'the scan went on after the cancellation');
      assert.ok(client.logs.some((l) => l.message === 'workspace scan cancelled'));
      assert.ok(!client.logs.some((l) => l.message.startsWith('workspace scan: ')));
    } finally {
      await client.stop();
    }
  });
});
