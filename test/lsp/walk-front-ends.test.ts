// The CLI and the language server's workspace scan walk a folder the same way: one tree with
// every reason to skip a path (dependencies, VCS data, build output, .gitignore, declaration
// files, files the engine does not read, links), run through the built CLI and the built
// server, must give both the same exact list of files. Every file the engine reads here has a
// finding, so each front end's report lists exactly the files it walked.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isWalked } from '../../server/src/workspace/walk';
import { runCli, tempDir, writeTree } from '../cli/helpers';
import { LspClient } from '../support/lsp';

const LEGACY = [
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
].join('\n');
const LEGACY_CONFIG = 'backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n';

const TREE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['plugins/*'] }),
  '.gitignore': '*.gen.ts\nsrc/generated/\n',
  'README.md': '# A Backstage app\n',
  'app-config.local.yaml': LEGACY_CONFIG,
  'src/index.ts': LEGACY,
  'src/types.d.ts': LEGACY,
  'src/client.gen.ts': LEGACY,
  'src/generated/openapi.ts': LEGACY,
  'node_modules/@backstage/plugin-permission-common/index.ts': LEGACY,
  '.git/hooks/pre-commit.ts': LEGACY,
  'dist-types/src/index.ts': LEGACY,
  'coverage/lcov-report/prettify.js': LEGACY,
  'plugins/todo-backend/package.json': JSON.stringify({ name: '@internal/todo-backend' }),
  'plugins/todo-backend/src/service/router.ts': LEGACY,
  'plugins/todo-backend/src/service/router.test.tsx': LEGACY,
  'plugins/todo-backend/dist/index.cjs.js': LEGACY,
  'plugins/todo-backend/build/index.ts': LEGACY,
  'plugins/todo-backend/node_modules/lodash/index.ts': LEGACY,
  // A plugin about CI builds keeps its source in a folder named like build output, and says so.
  'plugins/builds-backend/.gitignore': '!src/build/\n',
  'plugins/builds-backend/src/build/router.ts': LEGACY,
  'plugins/builds-backend/build/index.ts': LEGACY,
};

const WALKED = [
  'app-config.local.yaml',
  'plugins/builds-backend/src/build/router.ts',
  'plugins/todo-backend/src/service/router.test.tsx',
  'plugins/todo-backend/src/service/router.ts',
  'src/index.ts',
];

/** Polls until `check` holds (the server scans in the background). */
async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the CLI and the workspace scan walk the same files', () => {
  let root: string;
  let client: LspClient;
  const relativeOf = (uri: string) => uri.slice(pathToFileURL(root).href.length + 1);

  before(async () => {
    root = tempDir('front-ends');
    writeTree(root, TREE);
    const outside = tempDir('front-ends-outside');
    writeTree(outside, { 'secret.ts': LEGACY });
    symlinkSync(outside, join(root, 'src', 'linked'));
    symlinkSync(join(root, 'src', 'index.ts'), join(root, 'src', 'alias.ts'));
    client = await LspClient.start({
      settings: { debounceMs: 0, workspaceDiagnostics: 'on' },
      workspace: { folders: [{ uri: pathToFileURL(root).href, name: 'app' }] },
    });
    await until('the scan to end', () => client.progress.some((p) => p.value.kind === 'end'));
  });

  after(() => client.stop());

  it('check lists exactly these files', async () => {
    const run = await runCli(['check', '--format', 'json', '.'], root);
    const report = JSON.parse(run.stdout) as { files: { path: string }[]; summary: { files: number } };
    assert.deepEqual(report.files.map((file) => file.path), WALKED);
    assert.equal(report.summary.files, WALKED.length);
  });

  it('the workspace scan publishes problems for exactly these files', () => {
    const withProblems = new Set(client.published.filter((p) => p.diagnostics.length > 0).map((p) => relativeOf(p.uri)));
    assert.deepEqual([...withProblems].sort(), WALKED);
    const summary = client.logs.find((log) => log.message.startsWith('workspace scan: '))!.message;
    assert.match(summary, new RegExp(`^workspace scan: ${WALKED.length} files in app, ${WALKED.length} with problems, \\d+ ms$`));
  });

  it('a watcher event about one file gets the same answer as the walk', () => {
    const reached = Object.keys(TREE)
      .concat('src/linked/secret.ts', 'src/alias.ts')
      .filter((path) => isWalked(root, join(root, path)))
      .sort();
    assert.deepEqual(reached, WALKED);
  });
});
