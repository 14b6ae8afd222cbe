// `fix` and uncommitted work: real temporary git repositories, git run without a shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkUncommittedChanges, gitRunner } from '../../server/src/cli/files/gitGuard';
import { main } from '../../server/src/cli/main';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(name = 'guard'): string {
  // realpath: git prints the resolved top level, and messages name it.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `backstage-auth-${name}-`)));
  made.push(dir);
  return dir;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

const ROUTER = [
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
].join('\n');
const ROUTER_FIXED = [
  "import type { PermissionsService } from '@backstage/backend-plugin-api';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionsService;',
  '}',
  '',
].join('\n');

/** A committed plugin: src/router.ts (to fix) and README.md. */
function repo(name = 'guard'): string {
  const root = tempDir(name);
  write(root, { 'plugins/bookmarks/src/router.ts': ROUTER, 'README.md': '# bookmarks\n' });
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'initial');
  return root;
}

const routerOf = (root: string) => join(root, 'plugins/bookmarks/src/router.ts');

async function fix(cwd: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['fix', '--rule', 'permission-evaluator-type', ...args], {
    cwd,
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('git guard: which working trees count as clean', () => {
  it('a folder outside any repository: fine', () => {
    const root = tempDir();
    write(root, { 'router.ts': ROUTER });
    assert.deepEqual(checkUncommittedChanges([join(root, 'router.ts')]), { ok: true });
  });

  it('a clean repository: fine', () => {
    assert.deepEqual(checkUncommittedChanges([routerOf(repo())]), { ok: true });
  });

  it('a change anywhere in the repository refuses, even in a file fix would not touch', () => {
    const root = repo();
    write(root, { 'README.md': '# bookmarks (draft)\n' });
    assert.deepEqual(checkUncommittedChanges([routerOf(root)]), {
      ok: false,
      reason: [
        `${root} has uncommitted changes (git status --porcelain):`,
        '   M README.md',
        'Nothing was written. Commit or stash them first, so the fixes can be reviewed and undone on their own,',
        'or run again with --force.',
      ].join('\n'),
    });
  });

  it('staged and untracked files count as uncommitted too', () => {
    const root = repo();
    write(root, Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`notes/n${i}.md`, 'x\n'])));
    write(root, { 'plugins/bookmarks/src/new.ts': 'export {};\n' });
    git(root, 'add', 'plugins/bookmarks/src/new.ts');
    assert.deepEqual(checkUncommittedChanges([routerOf(root)]), {
      ok: false,
      reason: [
        `${root} has uncommitted changes (git status --porcelain):`,
        '  A  plugins/bookmarks/src/new.ts',
        '  ?? notes/',
        'Nothing was written. Commit or stash them first, so the fixes can be reviewed and undone on their own,',
        'or run again with --force.',
      ].join('\n'),
    });
  });

  it('more than five changed paths: the first five, then how many more', () => {
    const root = repo();
    write(root, Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`n${i}.md`, 'x\n'])));
    const result = checkUncommittedChanges([routerOf(root)]);
    assert.deepEqual((result as { reason: string }).reason.split('\n').slice(1, 7), [
      '  ?? n0.md',
      '  ?? n1.md',
      '  ?? n2.md',
      '  ?? n3.md',
      '  ?? n4.md',
      '  ... and 2 more',
    ]);
  });

  it('every repository holding a file is checked: one clean, one dirty refuses naming the dirty one', () => {
    const clean = repo('clean');
    const dirty = repo('dirty');
    write(dirty, { 'scratch.txt': 'wip\n' });
    const result = checkUncommittedChanges([routerOf(clean), routerOf(dirty)]);
    assert.equal(result.ok, false);
    assert.equal((result as { reason: string }).reason.split('\n')[0], `${dirty} has uncommitted changes (git status --porcelain):`);
  });

  it('git not installed: fine, with a note saying the check was not made', () => {
    const root = repo();
    write(root, { 'README.md': 'changed\n' });
    assert.deepEqual(checkUncommittedChanges([routerOf(root)], gitRunner(join(root, 'no-such-git'))), {
      ok: true,
      note: 'git was not found, so fix could not check for uncommitted changes',
    });
  });

  it('git failing for another reason (an unsafe owner): refused, with git\'s message', () => {
    const root = tempDir();
    const result = checkUncommittedChanges([join(root, 'x.ts')], () => ({
      code: 128,
      stdout: '',
      stderr: `fatal: detected dubious ownership in repository at '${root}'\nTo add an exception ...\n`,
    }));
    assert.deepEqual(result, {
      ok: false,
      reason: `git could not check ${root}: fatal: detected dubious ownership in repository at '${root}'`,
    });
  });

  it('runs git with an argument array, not a shell: a folder named like a command stays a name', () => {
    const root = tempDir();
    const odd = join(root, '$(touch pwned); `touch pwned2` & echo "x"');
    mkdirSync(odd);
    write(odd, { 'router.ts': ROUTER });
    git(odd, 'init', '-q');
    git(odd, 'add', '.');
    git(odd, 'commit', '-q', '-m', 'initial');
    assert.deepEqual(checkUncommittedChanges([join(odd, 'router.ts')]), { ok: true });
    for (const where of [root, odd, process.cwd()]) {
      assert.equal(existsSync(join(where, 'pwned')) || existsSync(join(where, 'pwned2')), false);
    }
  });
});

describe('git guard: fix through the CLI entry point', () => {
  it('refuses to write into a dirty repository: exit 2, the report says what it would fix, nothing written', async () => {
    const root = repo();
    write(root, { 'README.md': 'changed\n' });
    const run = await fix(root);
    assert.equal(run.code, 2);
    assert.equal(readFileSync(routerOf(root), 'utf8'), ROUTER);
    assert.equal(
      run.stdout,
      [
        'plugins/bookmarks/src/router.ts',
        '  would fix: `PermissionEvaluator` cannot take credentials; use `PermissionsService`.  [permission-evaluator-type]',
        '',
        "(no package.json)  target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used.",
        'Would fix 1 finding in 1 file; 1 file checked.',
        '',
      ].join('\n'),
    );
    assert.match(run.stderr, /^error: .* has uncommitted changes \(git status --porcelain\):\n {3}M README\.md\n/);
  });

  it('--force writes anyway', async () => {
    const root = repo();
    write(root, { 'README.md': 'changed\n' });
    const run = await fix(root, '--force');
    assert.equal(run.code, 0);
    assert.equal(readFileSync(routerOf(root), 'utf8'), ROUTER_FIXED);
  });

  it('a clean repository is fixed; --dry-run never asks git (it writes nothing)', async () => {
    const clean = repo();
    assert.equal((await fix(clean)).code, 0);
    assert.equal(readFileSync(routerOf(clean), 'utf8'), ROUTER_FIXED);

    const dirty = repo();
    write(dirty, { 'README.md': 'changed\n' });
    const dry = await fix(dirty, '--dry-run');
    assert.equal(dry.code, 0);
    assert.equal(dry.stderr.includes('uncommitted'), false);
    assert.equal(readFileSync(routerOf(dirty), 'utf8'), ROUTER);
  });
});
