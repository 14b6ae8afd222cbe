// `fix` and `fix --dry-run` through the built CLI: what is written, what is printed, exit codes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTree, runCli, tempDir, writeTree } from './helpers';
import { ACCESS, ACCESS_FIXED, BROKEN, pluginTree, ROUTER, ROUTER_FIXED } from './plugin';

const RULE = ['--rule', 'permission-evaluator-type'];
const MESSAGE = '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.';
/** The plugin's package.json does not name backend-plugin-api: the fixes aim for the guide's shape. */
const TARGET_LINE = "package.json  target legacy-compatible: package.json does not depend on @backstage/backend-plugin-api, so the migration guide's shape is used.";

function plugin(withBroken = true): string {
  const root = tempDir('fix');
  writeTree(root, { ...pluginTree(), ...(withBroken ? { 'src/broken.ts': BROKEN } : {}) });
  return root;
}

const PATCH = `diff --git a/src/service/access.ts b/src/service/access.ts
--- a/src/service/access.ts
+++ b/src/service/access.ts
@@ -1,10 +1,10 @@
-import type { PermissionEvaluator } from '@backstage/plugin-permission-common';
+import type { PermissionsService } from '@backstage/backend-plugin-api';
 
 /** Hands the evaluator to the bookmark store. */
 export class BookmarkAccess {
-  constructor(private readonly evaluator: PermissionEvaluator) {}
+  constructor(private readonly evaluator: PermissionsService) {}
 
-  get permissions(): PermissionEvaluator {
+  get permissions(): PermissionsService {
     return this.evaluator;
   }
 }
diff --git a/src/service/router.ts b/src/service/router.ts
--- a/src/service/router.ts
+++ b/src/service/router.ts
@@ -1,16 +1,15 @@
-import { LoggerService } from '@backstage/backend-plugin-api';
+import { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
 import {
   AuthorizeResult,
-  PermissionEvaluator,
 } from '@backstage/plugin-permission-common';
 import express from 'express';
 import Router from 'express-promise-router';
 
 export interface RouterOptions {
   logger: LoggerService;
   // Decides who may see which bookmark.
-  permissions: PermissionEvaluator;
+  permissions: PermissionsService;
 }
 
 export async function createRouter(options: RouterOptions): Promise<express.Router> {
   const { logger } = options;
`;

function report(verb: 'fixed' | 'would fix', summary: string): string {
  return [
    'src/broken.ts',
    `  needs a person: src/broken.ts:3:36  warning  ${MESSAGE}  [permission-evaluator-type]`,
    '    why: the file has syntax errors; fix them first',
    'src/service/access.ts',
    `  ${verb}: ${MESSAGE}  [permission-evaluator-type]`,
    `  ${verb}: ${MESSAGE}  [permission-evaluator-type]`,
    'src/service/router.ts',
    `  ${verb}: ${MESSAGE}  [permission-evaluator-type]`,
    '',
    TARGET_LINE,
    summary,
    '',
  ].join('\n');
}

describe('cli fix', { concurrency: availableParallelism() }, () => {
  it('--dry-run: a git-style unified diff on stdout, the report on stderr, nothing written', async () => {
    const root = plugin();
    const before = readTree(root);
    const run = await runCli(['fix', '--dry-run', ...RULE], root);
    assert.equal(run.stdout, PATCH);
    assert.equal(run.stderr, report('would fix', 'Would fix 3 findings in 2 files; 1 finding needs a person; 4 files checked.'));
    assert.equal(run.code, 1, 'a finding would remain');
    assert.deepEqual(readTree(root), before);
  });

  it('--dry-run output applies with git apply and gives what fix writes', { skip: !hasGit() && 'git is not installed' }, async () => {
    const applied = plugin();
    const fixed = plugin();
    const dry = await runCli(['fix', '--dry-run', ...RULE], applied);
    execFileSync('git', ['apply', '-'], { cwd: applied, input: dry.stdout });
    await runCli(['fix', ...RULE], fixed);
    assert.deepEqual(readTree(applied), readTree(fixed));
  });

  it('writes exactly the fixed files, reports per file, keeps the rest; exit 1 while findings remain', async () => {
    const root = plugin();
    chmodSync(join(root, 'src', 'service', 'router.ts'), 0o640);
    const before = readTree(root);
    const run = await runCli(['fix', ...RULE], root);
    assert.equal(run.stdout, report('fixed', 'Fixed 3 findings in 2 files; 1 finding needs a person; 4 files checked.'));
    assert.equal(run.stderr, '');
    assert.equal(run.code, 1);
    assert.deepEqual(readTree(root), {
      ...before,
      'src/service/access.ts': ACCESS_FIXED,
      'src/service/router.ts': ROUTER_FIXED,
    });
    assert.equal(statSync(join(root, 'src', 'service', 'router.ts')).mode & 0o777, 0o640, 'permissions kept');

    const again = await runCli(['fix', ...RULE], root);
    assert.equal(
      again.stdout,
      [
        'src/broken.ts',
        `  needs a person: src/broken.ts:3:36  warning  ${MESSAGE}  [permission-evaluator-type]`,
        '    why: the file has syntax errors; fix them first',
        '',
        TARGET_LINE,
        'Nothing fixed; 1 finding needs a person; 4 files checked.',
        '',
      ].join('\n'),
    );
    assert.equal(again.code, 1);
  });

  it('exit 0 when everything found was fixed, and a second run has nothing to do', async () => {
    const root = plugin(false);
    const run = await runCli(['fix', ...RULE, 'src/service'], root);
    assert.equal(
      run.stdout,
      [
        'src/service/access.ts',
        `  fixed: ${MESSAGE}  [permission-evaluator-type]`,
        `  fixed: ${MESSAGE}  [permission-evaluator-type]`,
        'src/service/router.ts',
        `  fixed: ${MESSAGE}  [permission-evaluator-type]`,
        '',
        TARGET_LINE,
        'Fixed 3 findings in 2 files; 2 files checked.',
        '',
      ].join('\n'),
    );
    assert.equal(run.code, 0);
    const again = await runCli(['fix', ...RULE, 'src/service'], root);
    assert.deepEqual(again, { code: 0, stdout: 'Nothing to fix; 2 files checked.\n', stderr: '' });
  });

  it('keeps a byte order mark and CRLF line ends', async () => {
    const root = tempDir('bom');
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    writeTree(root, { 'access.ts': `\uFEFF${crlf(ACCESS)}` });
    const run = await runCli(['fix', ...RULE], root);
    assert.equal(run.code, 0);
    assert.equal(readFileSync(join(root, 'access.ts'), 'utf8'), `\uFEFF${crlf(ACCESS_FIXED)}`);
  });

  it('a named symbolic link is written through, not replaced', async () => {
    const root = tempDir('link');
    writeTree(root, { 'src/router.ts': ROUTER });
    symlinkSync(join('src', 'router.ts'), join(root, 'router-link.ts'));
    const run = await runCli(['fix', ...RULE, 'router-link.ts'], root);
    assert.equal(run.code, 0);
    assert.ok(lstatSync(join(root, 'router-link.ts')).isSymbolicLink());
    assert.equal(readlinkSync(join(root, 'router-link.ts')), join('src', 'router.ts'));
    assert.equal(readFileSync(join(root, 'src', 'router.ts'), 'utf8'), ROUTER_FIXED);
  });

  it('files the walk skips are never written', async () => {
    const root = plugin(false);
    writeTree(root, { '.gitignore': 'src/service/access.ts\n' });
    await runCli(['fix', ...RULE], root);
    const after = readTree(root);
    assert.equal(after['src/service/access.ts'], ACCESS);
    assert.equal(after['node_modules/@backstage/legacy/index.ts'], ACCESS);
    assert.equal(after['dist/service/router.js'], ROUTER);
    assert.equal(after['src/service/router.ts'], ROUTER_FIXED);
  });
});

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
