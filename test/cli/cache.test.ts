// The results cache of `check`: a run with it reports exactly what a run without it reports,
// whatever changed in between (the file, a sibling its rules read, the package's versions, a
// deleted file), and a run over an unchanged tree loads no TypeScript at all.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckCache } from '../../server/src/cli/cache/checkCache';
import { hashText, ReadState, type ReadFingerprint } from '../../server/src/cli/cache/readState';
import { stampOf } from '../../server/src/cli/files/read';
import { diskHost } from '../../server/src/engine/host';
import { runHost } from '../../server/src/engine/runHost';
import { allRules } from '../../server/src/rules';
import { runCli, runProbed, tempDir, writeTree } from './helpers';

const PLUGIN = 'plugins/bookmarks-backend';

/** A bookmarks plugin still on the old backend system: its router takes `identity`. */
const LEGACY_ROUTER = `import { LoggerService } from '@backstage/backend-plugin-api';
import { IdentityApi } from '@backstage/plugin-auth-node';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  logger: LoggerService;
  identity: IdentityApi;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, identity } = options;
  const router = Router();
  router.get('/bookmarks', async (req, res) => {
    const caller = await identity.getIdentity({ request: req });
    logger.info(\`bookmarks of \${caller?.identity.userEntityRef ?? 'a guest'}\`);
    res.json([]);
  });
  return router;
}
`;

/** The same router once migrated: nothing in it needs \`discovery\` from its callers. */
const MIGRATED_ROUTER = `import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, httpAuth } = options;
  const router = Router();
  router.get('/bookmarks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    logger.info(\`bookmarks of \${credentials.principal.userEntityRef}\`);
    res.json([]);
  });
  return router;
}
`;

const STANDALONE_SERVER = `import { createServiceBuilder, loadBackendConfig } from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DefaultIdentityClient } from '@backstage/plugin-auth-node';
import { Server } from 'http';
import { createRouter } from './router';

/** \`yarn start\` in the plugin folder: the bookmarks API on its own. */
export async function startStandaloneServer(logger: LoggerService): Promise<Server> {
  const config = await loadBackendConfig({ logger, argv: process.argv });
  const identity = DefaultIdentityClient.create({ discovery: { getBaseUrl: async () => '', getExternalBaseUrl: async () => '' } });
  const router = await createRouter({ logger, identity });
  return await createServiceBuilder(module).setPort(config.getNumber('backend.listen.port')).addRouter('/bookmarks', router).start();
}
`;

const packageJson = (pluginApi: string) =>
  `${JSON.stringify(
    {
      name: '@internal/plugin-bookmarks-backend',
      version: '0.1.0',
      dependencies: {
        '@backstage/backend-common': '^0.21.6',
        '@backstage/backend-plugin-api': pluginApi,
        '@backstage/plugin-auth-node': '^0.4.11',
      },
    },
    null,
    2,
  )}\n`;

function writeBookmarks(root: string): void {
  writeTree(root, {
    'package.json': `${JSON.stringify({ name: 'root', private: true, workspaces: { packages: ['plugins/*'] } }, null, 2)}\n`,
    [`${PLUGIN}/package.json`]: packageJson('^0.6.18'),
    [`${PLUGIN}/src/service/router.ts`]: LEGACY_ROUTER,
    [`${PLUGIN}/src/service/standaloneServer.ts`]: STANDALONE_SERVER,
    [`${PLUGIN}/src/util.ts`]: 'export const PAGE_SIZE = 50;\n',
  });
}

/** Rule ids per file of a JSON report. */
function rulesByFile(stdout: string): Record<string, string[]> {
  const report = JSON.parse(stdout) as { files: { path: string; findings: { rule: string }[] }[] };
  return Object.fromEntries(report.files.map((f) => [f.path, f.findings.map((x) => x.rule)]));
}

function onlyFile(folder: string): string {
  const names = readdirSync(folder);
  assert.equal(names.length, 1, `one cache file in ${folder}: ${names.join(', ')}`);
  return join(folder, names[0]);
}

/** Stamps are trusted only for files older than 2 s (see checkCache.ts): let the tree age. */
const AGE_MS = 2_100;

describe('cli check: results cache', () => {
  let root: string;
  let cacheDir: string;
  const cached = () => runProbed(['check', '.', '--format', 'json', '--cache-location', cacheDir], root);
  const uncached = () => runCli(['check', '.', '--format', 'json', '--no-cache'], root);

  before(async () => {
    root = tempDir('cache');
    cacheDir = join(root, '.check-cache');
    writeBookmarks(root);
    await sleep(AGE_MS);
  });

  it('a second run over an unchanged tree reports the same without loading TypeScript, and writes nothing', async () => {
    const first = await cached();
    const reference = await uncached();
    assert.equal(first.stdout, reference.stdout);
    assert.deepEqual(rulesByFile(first.stdout), {
      [`${PLUGIN}/src/service/router.ts`]: ['router-auth-adapters', 'identity-get-identity'],
      [`${PLUGIN}/src/service/standaloneServer.ts`]: ['create-router-discovery'],
    }, first.stdout);
    assert.equal(first.typescriptLoaded, true);
    const file = onlyFile(cacheDir);
    const written = { text: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs };

    const second = await cached();
    assert.deepEqual(
      { code: second.code, stdout: second.stdout, stderr: second.stderr, typescriptLoaded: second.typescriptLoaded },
      { code: 1, stdout: first.stdout, stderr: '', typescriptLoaded: false },
    );
    assert.deepEqual({ text: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs }, written);
  });

  it('reuses what it kept: a result edited in the cache file is what the next run reports', async () => {
    await cached();
    const file = onlyFile(cacheDir);
    const store = JSON.parse(readFileSync(file, 'utf8')) as { analyzed: Record<string, { analysis: { findings: { message: string }[] } }> };
    // Kept relative to the folder the first run started in.
    store.analyzed[`${PLUGIN}/src/service/standaloneServer.ts`].analysis.findings[0].message = 'kept by the cache';
    writeFileSync(file, JSON.stringify(store));
    const messages = (stdout: string) =>
      (JSON.parse(stdout) as { files: { findings: { message: string }[] }[] }).files.flatMap((f) => f.findings.map((x) => x.message));

    assert.ok(messages((await cached()).stdout).includes('kept by the cache'));
    assert.ok(!messages((await uncached()).stdout).includes('kept by the cache'));
    rmSync(cacheDir, { recursive: true });
  });

  it('a change to the router (a sibling the caller was judged by) is seen in the caller', async () => {
    await cached();
    writeFileSync(join(root, PLUGIN, 'src/service/router.ts'), MIGRATED_ROUTER);
    const after = await cached();
    assert.equal(after.stdout, (await uncached()).stdout);
    // The migrated router takes no `identity`, so the standalone server no longer needs discovery (it passes an unknown option now).
    assert.equal(rulesByFile(after.stdout)[`${PLUGIN}/src/service/standaloneServer.ts`], undefined, after.stdout);
    writeFileSync(join(root, PLUGIN, 'src/service/router.ts'), LEGACY_ROUTER);
    assert.equal((await cached()).stdout, (await uncached()).stdout);
  });

  it('a change of the package versions (the migration target) is seen', async () => {
    const before = await cached();
    writeFileSync(join(root, PLUGIN, 'package.json'), packageJson('^1.0.0'));
    const after = await cached();
    const reference = await uncached();
    assert.equal(after.stdout, reference.stdout);
    assert.notEqual(after.stdout, before.stdout);
    writeFileSync(join(root, PLUGIN, 'package.json'), packageJson('^0.6.18'));
    assert.equal((await cached()).stdout, before.stdout);
  });

  it('a run over one file does not vouch for the others: a version change it saw is still seen in its neighbours', async () => {
    const before = await cached();
    writeFileSync(join(root, PLUGIN, 'package.json'), packageJson('^1.0.0'));
    // Only the standalone server is checked: it is analyzed again under the new versions.
    const one = `${PLUGIN}/src/service/standaloneServer.ts`;
    await runCli(['check', one, '--format', 'json', '--cache-location', cacheDir], root);
    // The router next to it was analyzed under the old versions: it must be again.
    const after = await cached();
    assert.equal(after.stdout, (await uncached()).stdout);
    const routerMessages = (stdout: string) =>
      (JSON.parse(stdout) as { files: { path: string; findings: { message: string }[] }[] }).files
        .filter((f) => f.path === `${PLUGIN}/src/service/router.ts`)
        .flatMap((f) => f.findings.map((x) => x.message));
    // Under @backstage/backend-plugin-api 1.x the router is told to take httpAuth, not to bridge.
    assert.notDeepEqual(routerMessages(after.stdout), routerMessages(before.stdout));
    writeFileSync(join(root, PLUGIN, 'package.json'), packageJson('^0.6.18'));
    assert.equal((await cached()).stdout, before.stdout);
  });

  it('a deleted sibling and a touched file (same text, new times) are seen', async () => {
    await cached();
    const router = join(root, PLUGIN, 'src/service/router.ts');
    rmSync(router);
    assert.equal((await cached()).stdout, (await uncached()).stdout);
    writeFileSync(router, LEGACY_ROUTER);
    const server = join(root, PLUGIN, 'src/service/standaloneServer.ts');
    utimesSync(server, new Date(), new Date());
    assert.equal((await cached()).stdout, (await uncached()).stdout);
  });

  it('a damaged cache file is rebuilt, and the report is unchanged', async () => {
    await cached();
    const file = onlyFile(cacheDir);
    writeFileSync(file, '{"format": 6, "clean": {"tru');
    const run = await cached();
    assert.deepEqual({ stdout: run.stdout, stderr: run.stderr }, { stdout: (await uncached()).stdout, stderr: '' });
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { format: number }).format, 6);
  });

  it('another rule set or --target keeps a cache file of its own; files of other builds are removed', async () => {
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir);
    writeFileSync(join(cacheDir, 'check-000000000000-000000000000.json'), '{}');
    writeFileSync(join(cacheDir, 'notes.txt'), 'not ours\n');
    writeFileSync(join(cacheDir, 'check-results.json'), '{"mine": true}\n');
    await cached();
    await runCli(['check', '.', '--cache-location', cacheDir, '--rule', 'create-router-discovery'], root);
    await runCli(['check', '.', '--cache-location', cacheDir, '--target', 'new-backend-only'], root);
    const names = readdirSync(cacheDir).sort();
    assert.equal(names.length, 5, names.join(', '));
    assert.ok(!names.includes('check-000000000000-000000000000.json'));
    // The user's own files stay, even one named like ours.
    assert.ok(names.includes('notes.txt') && names.includes('check-results.json'));
    const ours = names.filter((n) => /^check-[0-9a-f]{12}-[0-9a-f]{12}\.json$/.test(n));
    assert.equal(ours.length, 3, names.join(', '));
    assert.equal(new Set(ours.map((n) => n.slice(0, 'check-'.length + 12))).size, 1);
  });
  it('a run from another folder uses the same entries (they are kept relative to where the first run started)', async () => {
    await cached();
    const plugin = join(root, PLUGIN);
    const run = await runProbed(['check', '.', '--format', 'json', '--cache-location', cacheDir], plugin);
    assert.equal(run.stdout, (await runCli(['check', '.', '--format', 'json', '--no-cache'], plugin)).stdout);
    assert.equal(run.typescriptLoaded, false);
  });
});

describe('cli check: where the cache is kept', () => {
  it('by default in node_modules/.cache of the nearest folder up that has node_modules', async () => {
    const root = tempDir('cache-default');
    writeBookmarks(root);
    mkdirSync(join(root, 'node_modules'));
    const run = await runCli(['check', '.'], join(root, PLUGIN));
    assert.equal(run.code, 1);
    assert.match(onlyFile(join(root, 'node_modules/.cache/backstage-auth-migrate')), /check-[0-9a-f]{12}-[0-9a-f]{12}\.json$/);
  });

  it('nowhere without node_modules up the tree, nor with --no-cache', async () => {
    const root = tempDir('cache-none');
    writeBookmarks(root);
    const before = readdirSync(root, { recursive: true }).sort();
    assert.equal((await runCli(['check', '.'], root)).code, 1);
    mkdirSync(join(root, 'node_modules'));
    assert.equal((await runCli(['check', '.', '--no-cache'], root)).code, 1);
    assert.deepEqual(readdirSync(root, { recursive: true }).sort(), [...before, 'node_modules'].sort());
  });

  it('an unwritable cache folder is a warning; the report is complete', async () => {
    const root = tempDir('cache-readonly');
    writeBookmarks(root);
    // A folder inside a file: no one can create it, not even root.
    const run = await runCli(['check', '.', '--format', 'json', '--cache-location', 'package.json/cache'], root);
    assert.equal(run.stdout, (await runCli(['check', '.', '--format', 'json', '--no-cache'], root)).stdout);
    const where = join(root, 'package.json', 'cache').replace(/[/\\.]/g, '\\$&');
    assert.match(run.stderr, new RegExp(`^warning: could not write the results cache ${where}/check-[0-9a-f]{12}-[0-9a-f]{12}\\.json \\(ENOTDIR\\)\n$`));
  });

  it('--no-cache and --cache-location exclude each other', async () => {
    const run = await runCli(['check', '.', '--no-cache', '--cache-location', 'x'], tempDir('cache-usage'));
    assert.deepEqual(
      { code: run.code, stderr: run.stderr },
      { code: 2, stderr: "backstage-auth-migrate: --no-cache and --cache-location exclude each other\nRun 'backstage-auth-migrate --help' for usage.\n" },
    );
  });
});

describe('CheckCache: a stamp vouches only for a file that had not changed for 2 s', () => {
  it('a file written just now is looked at again; one that had aged is recalled by its stamp', async () => {
    const root = tempDir('cache-stamps');
    const aged = join(root, 'aged.ts');
    writeFileSync(aged, 'export const a = 1;\n');
    await sleep(AGE_MS);
    const fresh = join(root, 'fresh.ts');
    writeFileSync(fresh, 'export const b = 2;\n');
    const options = { rules: allRules, host: runHost(diskHost()) };
    const path = join(root, 'cache.json');
    const cache = CheckCache.open(path, options, root);
    for (const file of [aged, fresh]) cache.rememberClean(file, stampOf(statSync(file)));
    const analysis = { findings: [], failures: [] };
    const reads: ReadFingerprint[] = [[join(root, 'missing.ts'), null, null]];
    cache.remember(join(root, 'parsed.ts'), 'x', stampOf(statSync(aged)), analysis, reads);
    assert.equal(cache.save(), undefined);

    const reopened = CheckCache.open(path, options, root);
    assert.deepEqual(reopened.recall(aged), { analysis, needsText: false });
    assert.equal(reopened.recall(fresh), undefined);
    // A sibling that appeared where the rules once found nothing makes the result stale.
    writeFileSync(join(root, 'missing.ts'), 'export {};\n');
    assert.equal(CheckCache.open(path, { rules: allRules, host: runHost(diskHost()) }, root).lookup(join(root, 'parsed.ts'), 'x', stampOf(statSync(aged))), undefined);
    assert.ok(existsSync(path));
  });
});

describe('ReadState: whether a kept read still holds', () => {
  it('a stamp kept with the hash answers without reading; a changed stamp falls back to the text; a missing file to one stat', async () => {
    const root = tempDir('read-state');
    const router = join(root, 'router.ts');
    writeFileSync(router, 'export const a = 1;\n');
    await sleep(AGE_MS);
    const reads: string[] = [];
    const host = { readFile: (path: string) => (reads.push(path), readFileSync(path, 'utf8')) };
    const state = new ReadState(host);
    const stamp = state.trustedStampNow(router);
    assert.notEqual(stamp, null);
    // A wrong hash with the right stamp: the stamp is believed, nothing is read.
    assert.equal(state.holds(router, ['router.ts', null, 'not-the-hash', stamp]), true);
    assert.deepEqual(reads, []);
    // Without a stamp the text is read and hashed, once per run.
    assert.equal(state.holds(router, ['router.ts', null, hashText('export const a = 1;\n'), null]), true);
    assert.equal(state.holds(router, ['router.ts', null, 'not-the-hash', null]), false);
    assert.deepEqual(reads, [router]);
    // A stamp that no longer matches (the file was touched or rewritten): back to the text.
    const later = new ReadState(host);
    utimesSync(router, new Date(), new Date());
    assert.equal(later.holds(router, ['router.ts', null, 'not-the-hash', stamp]), false);
    assert.equal(later.holds(router, ['router.ts', null, hashText('export const a = 1;\n'), stamp]), true);
    assert.deepEqual(reads, [router, router]);
    // Missing then, missing now; missing now but there then.
    assert.equal(later.holds(join(root, 'gone.ts'), ['gone.ts', null, null, null]), true);
    assert.equal(later.holds(join(root, 'gone.ts'), ['gone.ts', null, 'some-hash', 'some-stamp']), false);
    assert.deepEqual(reads, [router, router]);
    // A file written just now has no stamp to trust.
    assert.equal(later.trustedStampNow(router), null);
  });

  it("a folder this run listed answers for what is not in it, without asking the file system", () => {
    const root = tempDir('read-state-listing');
    writeFileSync(join(root, 'package.json'), '{}\n');
    const listedBefore = readdirSync(root, { withFileTypes: true });
    // Written after the listing: the run goes by what it listed, as its walk did.
    writeFileSync(join(root, 'yarn.lock'), '# yarn lockfile v1\n');
    const state = new ReadState(diskHost(), new Map([[root, listedBefore]]));
    assert.equal(state.holds(join(root, 'yarn.lock'), ['yarn.lock', 64_000_000, null, null]), true);
    assert.equal(state.holds(join(root, 'package.json'), ['package.json', null, hashText('{}\n'), null]), true);
    // Without the listing, the file system is asked.
    assert.equal(new ReadState(diskHost()).holds(join(root, 'yarn.lock'), ['yarn.lock', 64_000_000, null, null]), false);
  });
});

