// Which files a run reads: the walk and its .gitignore handling, checked against git itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectSourceFiles, engineReads } from '../../server/src/cli/files/walk';
import { tempDir, writeTree } from './helpers';

const SOURCE = 'export const value = 1;\n';

/** A repository that exercises the gitignore rules people actually write. */
const TREE: Record<string, string> = {
  '.gitignore': [
    '# generated code',
    '*.gen.ts',
    '!important.gen.ts',
    'build/',
    '/top-only.ts',
    'docs/**/*.ts',
    '**/tmp',
    'lib/*.js',
    '\\#hash.ts',
    'trailing.ts   ',
    '[Tt]emp*.ts',
    'out',
    '',
  ].join('\n'),
  'a.ts': SOURCE,
  'x.gen.ts': SOURCE,
  'important.gen.ts': SOURCE,
  'build/out.ts': SOURCE,
  'src/build/out.ts': SOURCE,
  'top-only.ts': SOURCE,
  'src/top-only.ts': SOURCE,
  'docs/guide/example.ts': SOURCE,
  'docs/example.ts': SOURCE,
  'src/tmp/t.ts': SOURCE,
  'lib/a.js': SOURCE,
  'lib/sub/b.js': SOURCE,
  '#hash.ts': SOURCE,
  'trailing.ts': SOURCE,
  'Temp1.ts': SOURCE,
  'temp2.ts': SOURCE,
  'src/Temp3.ts': SOURCE,
  'TEMP4.ts': SOURCE,
  'out/o.ts': SOURCE,
  'src/out/o.ts': SOURCE,
  'src/types.d.ts': SOURCE,
  'app-config.yaml': 'backend:\n  baseUrl: http://localhost:7007\n',
  'packages/a/.gitignore': 'local.ts\n!/build/\n/anchored.ts\nsub/deep.ts\n',
  'packages/a/local.ts': SOURCE,
  'packages/a/src/local.ts': SOURCE,
  'packages/a/build/keep.ts': SOURCE,
  'packages/a/anchored.ts': SOURCE,
  'packages/a/src/anchored.ts': SOURCE,
  'packages/a/sub/deep.ts': SOURCE,
  'packages/a/x/sub/deep.ts': SOURCE,
  'packages/a/x.gen.ts': SOURCE,
  'packages/c/.gitignore': '*\n!*/\n!*.ts\n',
  'packages/c/one.ts': SOURCE,
  'packages/c/one.js': SOURCE,
  'packages/c/inner/two.ts': SOURCE,
  'packages/c/inner/two.mjs': SOURCE,
  'app/[id]/.gitignore': 'draft.tsx\n',
  'app/[id]/page.tsx': SOURCE,
  'app/[id]/draft.tsx': SOURCE,
  'app/d/draft.tsx': SOURCE,
  'app/i/draft.tsx': SOURCE,
};

function walked(paths: string[], cwd: string): string[] {
  return collectSourceFiles(paths, cwd).files.map((f) => f.display);
}

/** The files the engine reads that git would not ignore in `root` (made a repository here). */
function filesGitKeeps(root: string): string[] {
  execFileSync('git', ['init', '-q'], { cwd: root });
  return execFileSync('git', ['-c', 'core.ignorecase=false', 'ls-files', '-z', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((path) => path && engineReads(path))
    .sort();
}

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('cli walk', () => {
  it('takes exactly the files git does not ignore (git ls-files as the reference)', { skip: !hasGit() && 'git is not installed' }, () => {
    const root = tempDir('walk');
    writeTree(root, TREE);
    const untracked = filesGitKeeps(root);
    assert.deepEqual(walked(['.'], root), untracked);
    // The reference itself is not trivial: these are the files git keeps.
    assert.deepEqual(untracked, [
      'TEMP4.ts',
      'a.ts',
      'app-config.yaml',
      'app/[id]/page.tsx',
      'app/d/draft.tsx',
      'app/i/draft.tsx',
      'important.gen.ts',
      'lib/sub/b.js',
      'packages/a/build/keep.ts',
      'packages/a/src/anchored.ts',
      'packages/a/x/sub/deep.ts',
      'packages/c/inner/two.ts',
      'packages/c/one.ts',
      'src/top-only.ts',
    ]);
  });

  it('without negations (names and anchored paths matched apart), still exactly what git keeps', { skip: !hasGit() && 'git is not installed' }, () => {
    const root = tempDir('walk-plain');
    writeTree(root, {
      '.gitignore': ['node_modules/', 'dist/', '*.local.ts', '/scripts/', 'docs/**/*.ts', '[Tt]mp*', 'cache', 'a/b/c.ts', ''].join('\n'),
      'index.ts': SOURCE,
      'app.local.ts': SOURCE,
      'src/app.local.ts': SOURCE,
      'src/dist/keep-not.ts': SOURCE,
      'scripts/run.ts': SOURCE,
      'src/scripts/run.ts': SOURCE,
      'docs/guide/x.ts': SOURCE,
      'src/docs/x.ts': SOURCE,
      'tmp1.ts': SOURCE,
      'src/Tmp/inner.ts': SOURCE,
      'cache/c.ts': SOURCE,
      'src/cache': SOURCE,
      'src/cache.ts': SOURCE,
      'a/b/c.ts': SOURCE,
      'x/a/b/c.ts': SOURCE,
      'plugins/p/.gitignore': '/gen/\nfixtures/*.ts\nlocal.ts\n',
      'plugins/p/gen/g.ts': SOURCE,
      'plugins/p/src/gen/g.ts': SOURCE,
      'plugins/p/fixtures/f.ts': SOURCE,
      'plugins/p/src/fixtures/f.ts': SOURCE,
      'plugins/p/fixtures/deep/f.ts': SOURCE,
      'plugins/p/src/local.ts': SOURCE,
      'plugins/q/local.ts': SOURCE,
    });
    const untracked = filesGitKeeps(root);
    assert.deepEqual(walked(['.'], root), untracked);
    assert.deepEqual(untracked, [
      'index.ts',
      'plugins/p/fixtures/deep/f.ts',
      'plugins/p/src/fixtures/f.ts',
      'plugins/p/src/gen/g.ts',
      'plugins/q/local.ts',
      'src/cache.ts',
      'src/docs/x.ts',
      'src/scripts/run.ts',
      'x/a/b/c.ts',
    ]);
  });

  it('an app repository .gitignore (yarn folders re-included, nested rules), answered by name: exactly what git keeps', { skip: !hasGit() && 'git is not installed' }, () => {
    const root = tempDir('walk-app');
    writeTree(root, {
      '.gitignore': [
        '# dependencies and output',
        'node_modules/',
        'dist/',
        'dist-types/',
        'coverage/',
        '*.local.yaml',
        '*-credentials.yaml',
        '.env',
        'site',
        '# yarn',
        '.pnp.*',
        '.yarn/*',
        '!.yarn/patches',
        '!.yarn/plugins',
        '',
      ].join('\n'),
      '.pnp.cjs': SOURCE,
      '.pnp.loader.mjs': SOURCE,
      '.yarn/cache/pkg.js': SOURCE,
      '.yarn/patches/fix.js': SOURCE,
      '.yarn/plugins/plugin.cjs': SOURCE,
      '.yarn/releases/yarn.cjs': SOURCE,
      'app-config.yaml': 'app:\n  title: Demo\n',
      'app-config.local.yaml': 'app:\n  title: Mine\n',
      'app-config.prod-credentials.yaml': 'auth: {}\n',
      'dist/index.js': SOURCE,
      'site/index.ts': SOURCE,
      'packages/backend/src/index.ts': SOURCE,
      'packages/backend/dist/index.js': SOURCE,
      'plugins/a/site.ts': SOURCE,
      'plugins/a/src/site/page.ts': SOURCE,
      'plugins/p/.gitignore': 'generated/\n/local-only.ts\n*.snap.ts\n!keep.snap.ts\n!build/\n',
      'plugins/p/generated/g.ts': SOURCE,
      'plugins/p/src/generated/g.ts': SOURCE,
      'plugins/p/local-only.ts': SOURCE,
      'plugins/p/src/local-only.ts': SOURCE,
      'plugins/p/src/a.snap.ts': SOURCE,
      'plugins/p/src/keep.snap.ts': SOURCE,
      'plugins/p/build/b.ts': SOURCE,
      'plugins/q/src/a.snap.ts': SOURCE,
    });
    const untracked = filesGitKeeps(root);
    assert.deepEqual(walked(['.'], root), untracked);
    assert.deepEqual(untracked, [
      '.yarn/patches/fix.js',
      '.yarn/plugins/plugin.cjs',
      'app-config.yaml',
      'packages/backend/src/index.ts',
      'plugins/a/site.ts',
      'plugins/p/build/b.ts',
      'plugins/p/src/keep.snap.ts',
      'plugins/p/src/local-only.ts',
      'plugins/q/src/a.snap.ts',
    ]);
  });

  it('a subfolder of a repository gets the ignore rules of the folders above it', () => {
    const root = tempDir('walk-up');
    writeTree(root, TREE);
    mkdirSync(join(root, '.git'));
    const kept = ['build/keep.ts', 'src/anchored.ts', 'x/sub/deep.ts'];
    assert.deepEqual(walked(['packages/a'], root), kept.map((p) => `packages/a/${p}`));
    assert.deepEqual(walked(['.'], join(root, 'packages', 'a')), kept);
  });

  it('a folder or file named on the command line is read even when ignored', () => {
    const root = tempDir('named');
    writeTree(root, TREE);
    mkdirSync(join(root, '.git'));
    assert.deepEqual(walked(['build', 'x.gen.ts'], root), ['build/out.ts', 'x.gen.ts']);
  });

  it('skips node_modules, dist and .git at any depth, and does not follow links', () => {
    const root = tempDir('skips');
    writeTree(root, {
      'src/index.ts': SOURCE,
      'node_modules/pkg/index.ts': SOURCE,
      'packages/a/node_modules/pkg/index.ts': SOURCE,
      'packages/a/dist/index.js': SOURCE,
      '.git/hooks/pre-commit.js': SOURCE,
      'outside/secret.ts': SOURCE,
    });
    symlinkSync(join(root, 'outside'), join(root, 'src', 'linked'));
    symlinkSync(join(root, 'src', 'index.ts'), join(root, 'src', 'alias.ts'));
    assert.deepEqual(walked(['src', 'packages'], root), ['src/index.ts']);
  });

  it('a named pipe is skipped, not read (reading it would block)', { skip: (process.platform === 'win32' || !hasMkfifo()) && 'no mkfifo here' }, () => {
    const root = tempDir('fifo');
    execFileSync('mkfifo', [join(root, 'pipe.ts')]);
    const { files, skipped } = collectSourceFiles(['pipe.ts'], root);
    assert.deepEqual({ files, skipped }, {
      files: [],
      skipped: [{ path: 'pipe.ts', reason: 'not a regular file', ioError: false }],
    });
  });
});

function hasMkfifo(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v mkfifo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
