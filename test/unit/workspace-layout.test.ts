// How the language server sees a workspace folder: its packages (npm/yarn workspaces, pnpm,
// or Backstage's own layout), whether it uses Backstage, and which files the scan walks.
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { discoverPackages } from '../../server/src/workspace/packages';
import { isWalked, walkWorkspaceFolder } from '../../server/src/workspace/walk';
import { tempDir, writeTree } from '../cli/helpers';

const manifest = (name: string, dependencies: Record<string, string> = {}) => JSON.stringify({ name, dependencies });

describe('workspace packages', () => {
  it('package.json workspaces (object form, ** and a negation)', () => {
    const root = tempDir('layout');
    writeTree(root, {
      'package.json': JSON.stringify({ name: 'root', workspaces: { packages: ['packages/*', 'plugins/**', '!plugins/old/**'] } }),
      'packages/app/package.json': manifest('app', { react: '18' }),
      'plugins/group/catalog-backend/package.json': manifest('catalog-backend', { '@backstage/backend-plugin-api': '^0.6.17' }),
      'plugins/old/legacy/package.json': manifest('legacy', { '@backstage/backend-common': '^0.21.7' }),
      'plugins/node_modules/dep/package.json': manifest('dep'),
      'tools/script/package.json': manifest('script'),
    });
    const layout = discoverPackages(root);
    assert.deepEqual(layout, {
      source: 'package.json workspaces',
      packages: [
        { dir: join(root, 'packages/app'), name: 'app', usesBackstage: false },
        { dir: join(root, 'plugins/group/catalog-backend'), name: 'catalog-backend', usesBackstage: true },
      ],
      usesBackstage: true,
    });
  });

  it('pnpm-workspace.yaml', () => {
    const root = tempDir('layout');
    writeTree(root, {
      'package.json': manifest('root'),
      'pnpm-workspace.yaml': "packages:\n  - 'backend'\n  - 'plugins/*'\n",
      'backend/package.json': manifest('backend', { '@backstage/backend-defaults': '^0.2.0' }),
      'plugins/todo/package.json': manifest('todo'),
    });
    const layout = discoverPackages(root);
    assert.equal(layout.source, 'pnpm-workspace.yaml');
    assert.deepEqual(layout.packages.map((p) => p.name), ['backend', 'todo']);
    assert.equal(layout.usesBackstage, true);
  });

  it("Backstage's layout without any workspace configuration; no Backstage dependency anywhere", () => {
    const root = tempDir('layout');
    writeTree(root, {
      'package.json': manifest('root', { typescript: '5.4.5' }),
      'plugins/notes/package.json': manifest('notes', { express: '4' }),
      'packages/cli/package.json': manifest('cli'),
    });
    assert.deepEqual(discoverPackages(root), {
      source: 'packages/* and plugins/*',
      packages: [
        { dir: join(root, 'packages/cli'), name: 'cli', usesBackstage: false },
        { dir: join(root, 'plugins/notes'), name: 'notes', usesBackstage: false },
      ],
      usesBackstage: false,
    });
  });

  it('a single plugin repository: its own package.json decides', () => {
    const root = tempDir('layout');
    writeTree(root, { 'package.json': JSON.stringify({ name: 'plugin', devDependencies: { '@backstage/cli': '^0.26.0' } }) });
    assert.deepEqual(discoverPackages(root), { source: 'no packages', packages: [], usesBackstage: true });
  });
});

describe('workspace walk', () => {
  const SOURCE = 'export const a = 1;\n';

  it('walks sources and app-config files; skips dependencies, build output, ignored and excluded files', async () => {
    const root = tempDir('walk');
    writeTree(root, {
      '.gitignore': '*.gen.ts\n',
      'app-config.yaml': 'app: {}\n',
      'README.md': '# readme\n',
      'src/a.ts': SOURCE,
      'src/b.gen.ts': SOURCE,
      'src/types.d.ts': SOURCE,
      'src/skip/c.ts': SOURCE,
      'src/nested/.gitignore': 'local.ts\n',
      'src/nested/local.ts': SOURCE,
      'src/nested/kept.tsx': SOURCE,
      'node_modules/x/index.js': SOURCE,
      'dist/index.js': SOURCE,
      'dist-types/index.ts': SOURCE,
      'build/index.js': SOURCE,
      'coverage/lcov.js': SOURCE,
    });
    const excludes = (path: string) => path.split(sep).includes('skip');
    const walked: string[] = [];
    for await (const file of walkWorkspaceFolder(root, { excludes })) walked.push(file.slice(root.length + 1));
    assert.deepEqual(walked, ['app-config.yaml', 'src/a.ts', 'src/nested/kept.tsx']);

    // Single files (watcher events) get the same answer as the walk.
    const expectations: Record<string, boolean> = {
      'src/a.ts': true,
      'src/nested/kept.tsx': true,
      'app-config.yaml': true,
      'src/b.gen.ts': false,
      'src/nested/local.ts': false,
      'src/skip/c.ts': false,
      'dist/index.js': false,
      'node_modules/x/index.js': false,
      'coverage/lcov.js': false,
      'README.md': false,
    };
    for (const [path, expected] of Object.entries(expectations)) {
      assert.equal(isWalked(root, join(root, path), excludes), expected, path);
    }
  });
});
