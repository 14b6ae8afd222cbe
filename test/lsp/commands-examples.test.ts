// Each guided command run over JSON-RPC against a fresh copy of examples/, its workspace edit
// applied to the copy the way the client applies it, and the whole tree compared byte for byte:
// files the command changes with test/lsp/__expected__/examples/<scenario>/ (or the migration
// golden, test/golden/examples/), every other file with what it was before.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type {
  AuthPolicyTargets,
  EditResult,
  GuestSetupResult,
  MigrationResult,
  PluginLocation,
} from '../../server/src/lsp/commands/protocol';
import { allRules } from '../../server/src/rules';
import { applyTextEdits, fileUri, LspClient } from '../support/lsp';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const GOLDEN = join(__dirname, '..', 'golden', 'examples');
const EXPECTED = join(__dirname, '__expected__', 'examples');
const MODULE = '@backstage/plugin-auth-backend-module-guest-provider';

const PLUGIN = 'plugins/bookmarks-backend/src/plugin.ts';
const DIGEST_MODULE = 'plugins/bookmarks-backend-module-digest/src/module.ts';
const ROUTER = 'plugins/bookmarks-backend/src/service/router.ts';
const BACKEND_INDEX = 'packages/backend/src/index.ts';

/** Every file below `root` by forward-slash path, sorted. */
function readTree(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else found.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  visit(root);
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

/** A scratch copy of examples/, plus the files a scenario places in it. */
class ExamplesCopy {
  readonly root: string;
  /** The tree before any command ran. */
  private readonly original: Map<string, string>;

  /** `edits`: a file's new text from its old one, or null to remove it. */
  constructor(scratch: string, placed: Record<string, string> = {}, edits: Record<string, ((text: string) => string) | null> = {}) {
    this.root = mkdtempSync(join(scratch, 'copy-'));
    cpSync(EXAMPLES, this.root, { recursive: true });
    for (const [path, text] of Object.entries(placed)) this.write(path, text);
    for (const [path, edit] of Object.entries(edits)) {
      if (edit === null) {
        rmSync(join(this.root, path));
        continue;
      }
      const before = this.read(path);
      const after = edit(before);
      assert.notEqual(after, before, `the scenario's edit of ${path} changed nothing`);
      this.write(path, after);
    }
    this.original = readTree(this.root);
  }

  uri(path: string): string {
    return fileUri(join(this.root, path));
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), text);
  }

  /**
   * Applies a workspace edit as the client does (every edit of a file at once, against the file on
   * disk: no document is open, so each must carry version null); returns the paths it changed.
   */
  apply(edit: WorkspaceEdit): string[] {
    assert.equal(edit.changes, undefined, 'the client declared documentChanges support');
    const changed: string[] = [];
    for (const change of edit.documentChanges ?? []) {
      assert.ok('textDocument' in change, 'only text document edits');
      const { textDocument, edits } = change as TextDocumentEdit;
      assert.equal(textDocument.version, null, `${textDocument.uri} is not open, so its edit is not versioned`);
      const path = relative(this.root, fileURLToPath(textDocument.uri)).split(sep).join('/');
      assert.ok(!changed.includes(path), `one entry per file (${path})`);
      this.write(path, applyTextEdits(this.read(path), edits as TextEdit[]));
      changed.push(path);
    }
    return changed;
  }

  /**
   * The whole tree: the files of `expectedDirs` (first that has the path wins) where they
   * exist, every other file as it was before the commands ran.
   */
  assertTree(...expectedDirs: string[]): void {
    const expected = new Map(this.original);
    for (const dir of [...expectedDirs].reverse()) for (const [path, text] of readTree(dir)) expected.set(path, text);
    const actual = readTree(this.root);
    assert.deepEqual([...actual.keys()], [...expected.keys()].sort((a, b) => a.localeCompare(b)));
    for (const [path, text] of expected) assert.equal(actual.get(path), text, `${path} differs from the expected text`);
  }
}

function scenario(name: string): string {
  return join(EXPECTED, ...name.split('/'));
}

function title(ruleId: string): string {
  return allRules.find((rule) => rule.id === ruleId)!.title;
}

describe('commands on a copy of examples/', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'commands-examples-'));
  let client: LspClient;

  const execute = <T>(command: string, argument: unknown) =>
    client.connection.sendRequest<T>('workspace/executeCommand', { command, arguments: [argument] });

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('Add Auth Policy', () => {
    it('offers the bookmarks plugin and its digest module, nothing else', async () => {
      const copy = new ExamplesCopy(scratch);
      assert.deepEqual(await execute<PluginLocation[]>('backstageAuth.server.findPlugins', { folders: [fileUri(copy.root)] }), [
        { uri: copy.uri(DIGEST_MODULE), feature: 'module', pluginId: 'bookmarks', moduleId: 'digest', position: { line: 15, character: 4 } },
        { uri: copy.uri(PLUGIN), feature: 'plugin', pluginId: 'bookmarks', position: { line: 10, character: 4 } },
      ]);
    });

    it("lists the plugin's six routes, read from service/router.ts; only the health check is suggested", async () => {
      const copy = new ExamplesCopy(scratch);
      assert.deepEqual(await execute<AuthPolicyTargets>('backstageAuth.server.authPolicyTargets', { uri: copy.uri(PLUGIN) }), {
        ok: true,
        inits: [
          {
            uri: copy.uri(PLUGIN),
            feature: 'plugin',
            pluginId: 'bookmarks',
            position: { line: 10, character: 4 },
            routes: [
              { method: 'GET', path: '/health', policyPath: '/health', kind: 'health', covered: false, suggested: true },
              { method: 'GET', path: '/bookmarks', policyPath: '/bookmarks', kind: 'other', covered: false, suggested: false },
              { method: 'GET', path: '/popular', policyPath: '/popular', kind: 'other', covered: false, suggested: false },
              { method: 'POST', path: '/bookmarks', policyPath: '/bookmarks', kind: 'other', covered: false, suggested: false },
              {
                method: 'DELETE',
                path: '/bookmarks/:namespace/:kind/:name',
                policyPath: '/bookmarks/:namespace/:kind/:name',
                kind: 'other',
                covered: false,
                suggested: false,
              },
              { method: 'GET', path: '/digest-data', policyPath: '/digest-data', kind: 'other', covered: false, suggested: false },
            ],
          },
        ],
      });
    });

    it('lists no routes for the digest module (it mounts no router)', async () => {
      const copy = new ExamplesCopy(scratch);
      assert.deepEqual(await execute<AuthPolicyTargets>('backstageAuth.server.authPolicyTargets', { uri: copy.uri(DIGEST_MODULE) }), {
        ok: true,
        inits: [
          {
            uri: copy.uri(DIGEST_MODULE),
            feature: 'module',
            pluginId: 'bookmarks',
            moduleId: 'digest',
            position: { line: 15, character: 4 },
            routes: [],
          },
        ],
      });
    });

    // The paths the prompt offers (one per policy path), with the routes each then covers.
    const OFFERED: { path: string; name: string; covers: string[] }[] = [
      { path: '/health', name: 'health', covers: ['GET /health'] },
      // A prefix: also the DELETE route below it.
      { path: '/bookmarks', name: 'bookmarks', covers: ['GET /bookmarks', 'POST /bookmarks', 'DELETE /bookmarks/:namespace/:kind/:name'] },
      { path: '/popular', name: 'popular', covers: ['GET /popular'] },
      { path: '/bookmarks/:namespace/:kind/:name', name: 'bookmark-entity', covers: ['DELETE /bookmarks/:namespace/:kind/:name'] },
      { path: '/digest-data', name: 'digest-data', covers: ['GET /digest-data'] },
    ];

    for (const { path, name, covers } of OFFERED) {
      for (const allow of ['unauthenticated', 'user-cookie'] as const) {
        it(`adds { path: '${path}', allow: '${allow}' } to the plugin's init, after httpRouter.use`, async () => {
          const copy = new ExamplesCopy(scratch);
          const result = await execute<EditResult>('backstageAuth.server.addAuthPolicy', {
            uri: copy.uri(PLUGIN),
            path,
            allow,
            position: { line: 10, character: 4 },
          });
          assert.ok(result.ok, JSON.stringify(result));
          assert.equal(result.summary, `Added an auth policy { path: '${path}', allow: '${allow}' }`);
          assert.deepEqual(copy.apply(result.edit), [PLUGIN]);
          copy.assertTree(scenario(`add-auth-policy/${name}.${allow}`));

          const targets = await execute<AuthPolicyTargets>('backstageAuth.server.authPolicyTargets', { uri: copy.uri(PLUGIN) });
          assert.ok(targets.ok);
          const covered = targets.inits[0].routes.filter((route) => route.covered).map((route) => `${route.method} ${route.path}`);
          assert.deepEqual(covered, covers);
          assert.deepEqual(
            targets.inits[0].routes.filter((route) => route.suggested).map((route) => route.path),
            path === '/health' ? [] : ['/health'],
          );

          // The same policy again is refused; the file stays as it is.
          assert.deepEqual(await execute('backstageAuth.server.addAuthPolicy', { uri: copy.uri(PLUGIN), path, allow }), {
            ok: false,
            reason: `this init already adds the policy { path: '${path}', allow: '${allow}' }`,
          });
        });
      }
    }

    for (const allow of ['unauthenticated', 'user-cookie'] as const) {
      it(`adds httpRouter to the digest module's deps and init, and the policy where every run of init reaches it (${allow})`, async () => {
        const copy = new ExamplesCopy(scratch);
        const result = await execute<EditResult>('backstageAuth.server.addAuthPolicy', {
          uri: copy.uri(DIGEST_MODULE),
          path: '/digest',
          allow,
          position: { line: 15, character: 4 },
        });
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(copy.apply(result.edit), [DIGEST_MODULE]);
        copy.assertTree(scenario(`add-auth-policy/digest-module.${allow}`));
      });
    }
  });

  describe('Set Up Guest Provider', () => {
    /** What create-app puts next to examples/' files: the workspace root and the backend's manifest. */
    const REPO = {
      'package.json': '{\n  "name": "root",\n  "private": true,\n  "workspaces": ["packages/*", "plugins/*"]\n}\n',
      'packages/backend/package.json':
        '{\n  "name": "backend",\n  "version": "0.0.0",\n  "private": true,\n  "dependencies": {\n    "@backstage/plugin-auth-backend": "^0.22.5"\n  }\n}\n',
    };
    const NPM_LOCK = { 'package-lock.json': '{\n  "name": "root",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {}\n}\n' };
    const YARN_CLASSIC_LOCK = '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n';
    const YARN_BERRY_LOCK =
      '# This file is generated by running "yarn install" inside your project.\n# Manual changes might be lost - proceed with caution!\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n';
    const ALREADY_ON = 'Guest sign-in is already on for local development (auth.providers.guest).';
    const ADD_MODULE = { path: BACKEND_INDEX, summary: 'add the guest provider module to the backend' };
    const GUEST_ON = (path: string) => ({ path, summary: 'turn guest sign-in on (auth.providers.guest: {})' });
    const GUEST_OFF = { path: 'app-config.production.yaml', summary: 'keep guest sign-in off in production (auth.providers.guest: null)' };
    const LOCAL_CONFIG = '# Settings for this machine only (not committed).\nbackend:\n  database:\n    # Survives restarts, unlike :memory:.\n    connection: ./dev.sqlite3\n';

    /** Drops the lines that turn guest sign-in on (and its comment) from app-config.yaml. */
    const withoutGuestInBase = (text: string) => text.replace('    # Sign in without an account while developing locally.\n    guest: {}\n', '');
    const withoutGuestNull = (text: string) => text.replace('    guest: null\n', '');

    function npmInstall(root: string) {
      return {
        program: 'npm',
        args: ['install', MODULE, '--workspace', 'packages/backend'],
        cwd: root,
        display: `npm install ${MODULE} --workspace packages/backend`,
        packageManager: 'npm',
        evidence: 'package-lock.json',
      };
    }

    /** Plans, checks the plan against `expected` (install step, changes, annotations, notes) and applies its edit. */
    async function planAndApply(
      copy: ExamplesCopy,
      expected: { install: unknown; changes: { path: string; summary: string }[]; notes: string[] },
    ): Promise<void> {
      const result = await execute<GuestSetupResult>('backstageAuth.server.guestSetupPlan', { folder: fileUri(copy.root), preview: true });
      assert.ok(result.ok, JSON.stringify(result));
      const { edit, ...plan } = result;
      assert.deepEqual(plan, {
        ok: true,
        ...(expected.install === undefined ? {} : { install: expected.install }),
        changes: expected.changes.map((change) => ({ uri: copy.uri(change.path), ...change })),
        notes: expected.notes,
      });
      // One annotation per file, labelled with what the change does (the refactor preview's groups).
      assert.deepEqual(
        edit.changeAnnotations ?? {},
        Object.fromEntries(expected.changes.map(({ path, summary }) => [path, { label: summary, description: path, needsConfirmation: true }])),
      );
      for (const change of edit.documentChanges ?? []) {
        const path = relative(copy.root, fileURLToPath((change as TextDocumentEdit).textDocument.uri)).split(sep).join('/');
        for (const text of (change as TextDocumentEdit).edits) assert.equal((text as { annotationId?: string }).annotationId, path);
      }
      assert.deepEqual(copy.apply(edit), expected.changes.map((change) => change.path));
    }

    const PACKAGE_MANAGERS: { name: string; placed: Record<string, string>; install: (root: string) => unknown }[] = [
      { name: 'npm (package-lock.json)', placed: NPM_LOCK, install: npmInstall },
      {
        name: 'Yarn classic (a yarn.lock in the v1 format)',
        placed: { 'yarn.lock': YARN_CLASSIC_LOCK },
        install: (root) => ({
          program: 'yarn',
          args: ['--cwd', 'packages/backend', 'add', MODULE],
          cwd: root,
          display: `yarn --cwd packages/backend add ${MODULE}`,
          packageManager: 'Yarn 1 (classic)',
          evidence: 'yarn.lock in the Yarn 1 format',
        }),
      },
      {
        name: 'Yarn berry (a yarn.lock with __metadata)',
        placed: { 'yarn.lock': YARN_BERRY_LOCK, '.yarnrc.yml': 'nodeLinker: node-modules\n' },
        install: (root) => ({
          program: 'yarn',
          args: ['workspace', 'backend', 'add', MODULE],
          cwd: root,
          display: `yarn workspace backend add ${MODULE}`,
          packageManager: 'Yarn 2+ (berry)',
          evidence: 'yarn.lock has a __metadata entry',
        }),
      },
      {
        name: 'Yarn berry (.yarnrc.yml next to a yarn.lock not yet rewritten by Yarn 2+)',
        placed: { 'yarn.lock': YARN_CLASSIC_LOCK, '.yarnrc.yml': 'nodeLinker: node-modules\n' },
        install: (root) => ({
          program: 'yarn',
          args: ['workspace', 'backend', 'add', MODULE],
          cwd: root,
          display: `yarn workspace backend add ${MODULE}`,
          packageManager: 'Yarn 2+ (berry)',
          evidence: 'yarn.lock and .yarnrc.yml',
        }),
      },
      {
        name: 'pnpm (pnpm-lock.yaml)',
        placed: {
          'pnpm-lock.yaml': "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n",
          'pnpm-workspace.yaml': 'packages:\n  - packages/*\n  - plugins/*\n',
        },
        install: (root) => ({
          program: 'pnpm',
          args: ['--filter', 'backend', 'add', MODULE],
          cwd: root,
          display: `pnpm --filter backend add ${MODULE}`,
          packageManager: 'pnpm',
          evidence: 'pnpm-lock.yaml',
        }),
      },
      {
        name: 'several lockfiles, settled by "packageManager"',
        placed: { ...NPM_LOCK, 'yarn.lock': YARN_CLASSIC_LOCK, 'package.json': '{ "name": "root", "private": true, "packageManager": "yarn@1.22.22" }\n' },
        install: (root) => ({
          program: 'yarn',
          args: ['--cwd', 'packages/backend', 'add', MODULE],
          cwd: root,
          display: `yarn --cwd packages/backend add ${MODULE}`,
          packageManager: 'Yarn 1 (classic)',
          evidence: '"packageManager": "yarn@1.22.22" in package.json',
        }),
      },
    ];

    for (const { name, placed, install } of PACKAGE_MANAGERS) {
      it(`${name}: installs with it; adds only the backend.add line (guest is on in app-config.yaml, null in production)`, async () => {
        const copy = new ExamplesCopy(scratch, { ...REPO, ...placed });
        await planAndApply(copy, { install: install(copy.root), changes: [ADD_MODULE], notes: [ALREADY_ON] });
        copy.assertTree(scenario('guest-setup/module-only'));
      });
    }

    it('refuses when the package manager is unknown: no lockfile, or several and no "packageManager"', async () => {
      const none = new ExamplesCopy(scratch, REPO);
      assert.deepEqual(await execute('backstageAuth.server.guestSetupPlan', { folder: fileUri(none.root) }), {
        ok: false,
        reason: 'the package manager is unknown: the repo root has no yarn.lock, package-lock.json or pnpm-lock.yaml (run the install once first)',
      });
      const several = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK, 'yarn.lock': YARN_CLASSIC_LOCK });
      assert.deepEqual(await execute('backstageAuth.server.guestSetupPlan', { folder: fileUri(several.root) }), {
        ok: false,
        reason:
          'the package manager is unknown: the repo root has several lockfiles (yarn.lock, package-lock.json); set "packageManager" in package.json to say which one is in use',
      });
      none.assertTree();
      several.assertTree();
    });

    it('examples/ as it is has no packages/backend/package.json: refused, nothing changes', async () => {
      const copy = new ExamplesCopy(scratch, NPM_LOCK);
      assert.deepEqual(await execute('backstageAuth.server.guestSetupPlan', { folder: fileUri(copy.root) }), {
        ok: false,
        reason: 'there is no packages/backend/package.json (the layout `npx @backstage/create-app` makes)',
      });
      copy.assertTree();
    });

    it('no app-config.local.yaml: guest {} goes into app-config.yaml, guest: null into app-config.production.yaml', async () => {
      const copy = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK }, { 'app-config.yaml': withoutGuestInBase, 'app-config.production.yaml': withoutGuestNull });
      await planAndApply(copy, { install: npmInstall(copy.root), changes: [ADD_MODULE, GUEST_ON('app-config.yaml'), GUEST_OFF], notes: [] });
      copy.assertTree(scenario('guest-setup/no-guest'));
    });

    it('with app-config.local.yaml: guest {} goes there (comments kept); production is left alone', async () => {
      const copy = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK, 'app-config.local.yaml': LOCAL_CONFIG }, { 'app-config.yaml': withoutGuestInBase });
      await planAndApply(copy, { install: npmInstall(copy.root), changes: [ADD_MODULE, GUEST_ON('app-config.local.yaml')], notes: [] });
      copy.assertTree(scenario('guest-setup/local'));
    });

    it('with app-config.local.yaml and guest already on in app-config.yaml: only the backend.add line', async () => {
      const copy = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK, 'app-config.local.yaml': LOCAL_CONFIG });
      await planAndApply(copy, { install: npmInstall(copy.root), changes: [ADD_MODULE], notes: [ALREADY_ON] });
      copy.assertTree(scenario('guest-setup/module-only'));
    });

    it('guest on in app-config.yaml but not null in production: adds guest: null there', async () => {
      const copy = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK }, { 'app-config.production.yaml': withoutGuestNull });
      await planAndApply(copy, { install: npmInstall(copy.root), changes: [ADD_MODULE, GUEST_OFF], notes: [ALREADY_ON] });
      copy.assertTree(scenario('guest-setup/production-null'));
    });

    it('no production config: says where guest: null belongs instead of guessing a file', async () => {
      const copy = new ExamplesCopy(scratch, { ...REPO, ...NPM_LOCK }, { 'app-config.yaml': withoutGuestInBase, 'app-config.production.yaml': null });
      await planAndApply(copy, {
        install: npmInstall(copy.root),
        changes: [ADD_MODULE, GUEST_ON('app-config.yaml')],
        notes: [
          'app-config.yaml turns guest sign-in on and production loads it too, but this repo has no app-config.production.yaml: ' +
            'set `auth.providers.guest: null` in the config your production deployment loads (or move guest sign-in to app-config.local.yaml).',
        ],
      });
      copy.assertTree(scenario('guest-setup/no-production'));
    });

    it('everything in place: nothing to install, no edit, the notes say so', async () => {
      const copy = new ExamplesCopy(
        scratch,
        {
          ...REPO,
          ...NPM_LOCK,
          'packages/backend/package.json': `{\n  "name": "backend",\n  "dependencies": {\n    "@backstage/plugin-auth-backend": "^0.22.5",\n    "${MODULE}": "^0.1.4"\n  }\n}\n`,
        },
        { [BACKEND_INDEX]: (text) => text.replace("backend.add(import('@backstage/plugin-auth-backend'));\n", `$&backend.add(import('${MODULE}'));\n`) },
      );
      assert.deepEqual(await execute('backstageAuth.server.guestSetupPlan', { folder: fileUri(copy.root) }), {
        ok: true,
        edit: { documentChanges: [] },
        changes: [],
        notes: [`packages/backend/package.json already depends on ${MODULE}; nothing to install.`, `${BACKEND_INDEX} already adds the guest provider module.`, ALREADY_ON],
      });
      copy.assertTree();
    });
  });

  describe('Disable Default Auth Policy', () => {
    it('app-config.yaml: adds backend.auth under backend, the guest comment kept; a second run is refused', async () => {
      const copy = new ExamplesCopy(scratch);
      const uri = copy.uri('app-config.yaml');
      const result = await execute<EditResult>('backstageAuth.server.disableDefaultAuthPolicy', { uri });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.summary, 'Set backend.auth.dangerouslyDisableDefaultAuthPolicy: true');
      assert.deepEqual(copy.apply(result.edit), ['app-config.yaml']);
      copy.assertTree(scenario('disable-default-policy/base'));
      assert.deepEqual(await execute('backstageAuth.server.disableDefaultAuthPolicy', { uri }), {
        ok: false,
        reason: 'backend.auth.dangerouslyDisableDefaultAuthPolicy is already true in this file',
      });
    });

    it('app-config.local.yaml: adds it next to the other backend keys, comments kept', async () => {
      const copy = new ExamplesCopy(scratch, {
        'app-config.local.yaml': '# Settings for this machine only (not committed).\nbackend:\n  # Off while the bookmarks plugin moves to the new auth services.\n  auth:\n    keys:\n      - secret: ${BACKEND_SECRET}\n  database:\n    connection: ./dev.sqlite3 # survives restarts\n',
      });
      const result = await execute<EditResult>('backstageAuth.server.disableDefaultAuthPolicy', { uri: copy.uri('app-config.local.yaml') });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(copy.apply(result.edit), ['app-config.local.yaml']);
      copy.assertTree(scenario('disable-default-policy/local'));
    });

    it('refuses a source file', async () => {
      const copy = new ExamplesCopy(scratch);
      assert.deepEqual(await execute('backstageAuth.server.disableDefaultAuthPolicy', { uri: copy.uri(PLUGIN) }), {
        ok: false,
        reason: 'not an app-config*.yaml file',
      });
    });
  });

  describe('Migrate This File', () => {
    // Run file by file in the order a person would pick them: the plugin first, which has to wait
    // for its router, then the router, then the plugin again, then the rest.
    it('each file becomes its golden; the plugin waits for its router, and what is left is named', async () => {
      const copy = new ExamplesCopy(scratch);
      const migrate = (path: string) => execute<MigrationResult>('backstageAuth.server.migrateFile', { uri: copy.uri(path) });
      const absolute = (path: string) => join(copy.root, ...path.split('/'));
      const healthPolicy = {
        uri: copy.uri(PLUGIN),
        path: absolute(PLUGIN),
        range: { start: { line: 27, character: 8 }, end: { line: 27, character: 22 } },
        ruleId: 'missing-auth-policy',
        message: '`GET /health` (health check) in service/router.ts must work without a token, but no auth policy covers it, so the default auth policy rejects it with 401.',
        reason:
          "needs a person to choose a fix (Allow unauthenticated requests to /health | Allow signed-in browsers (user cookie) on /health); apply one from the editor's quick fixes",
      };

      const early = await migrate(PLUGIN);
      assert.deepEqual(early, {
        edit: { documentChanges: [] },
        filesChecked: 1,
        filesChanged: 0,
        applied: [],
        remaining: [
          {
            uri: copy.uri(PLUGIN),
            path: absolute(PLUGIN),
            range: { start: { line: 14, character: 8 }, end: { line: 15, character: 47 } },
            ruleId: 'plugin-deps-legacy-services',
            message: '`identity` and `tokenManager` are the old auth system; move to the new auth services.',
            reason:
              '`createRouter` still requires `tokenManager` in its options; migrate the router first (its router-auth-adapters finding and the calls that still use the old service), then run this fix again.',
          },
          healthPolicy,
        ],
        skipped: [],
      });

      const steps: { path: string; applied: [string, number][] }[] = [
        {
          path: ROUTER,
          applied: [
            ['permission-evaluator-type', 1],
            ['router-auth-adapters', 1],
            ['identity-get-identity', 4],
            ['bearer-token-forwarding', 2],
            ['token-manager-authenticate', 1],
            ['token-manager-get-token', 1],
            ['unused-legacy-binding', 1],
          ],
        },
        { path: PLUGIN, applied: [['plugin-deps-legacy-services', 1]] },
        { path: BACKEND_INDEX, applied: [['guest-provider-module', 1]] },
        { path: 'packages/backend/src/rootHttpRouter.ts', applied: [['contrib-auth-middleware', 1]] },
        { path: DIGEST_MODULE, applied: [['token-manager-get-token', 1], ['plugin-deps-legacy-services', 1]] },
      ];
      for (const { path, applied } of steps) {
        const result = await migrate(path);
        assert.deepEqual(
          result.applied,
          applied.map(([ruleId, count]) => ({ ruleId, title: title(ruleId), count })),
          path,
        );
        assert.deepEqual(result.remaining, path === PLUGIN ? [healthPolicy] : [], path);
        assert.deepEqual([result.filesChecked, result.filesChanged, result.skipped], [1, 1, []], path);
        assert.deepEqual(copy.apply(result.edit), [path]);
        assert.equal(copy.read(path), readFileSync(join(GOLDEN, path), 'utf8'), `${path} differs from its golden`);
      }
      // The files without findings: checked, nothing to change.
      for (const path of ['plugins/bookmarks-backend/src/service/standaloneServer.ts', 'app-config.yaml', 'app-config.production.yaml']) {
        assert.deepEqual(await migrate(path), { edit: { documentChanges: [] }, filesChecked: 1, filesChanged: 0, applied: [], remaining: [], skipped: [] });
      }
      copy.assertTree(GOLDEN);
    });
  });

  describe('Migrate Workspace', () => {
    const REMAINING_WHY = "needs a person to choose a fix (Allow unauthenticated requests to /health | Allow signed-in browsers (user cookie) on /health); apply one from the editor's quick fixes";
    const migrateWorkspace = (copy: ExamplesCopy, preview = false) =>
      execute<MigrationResult>('backstageAuth.server.migrateWorkspace', { folders: [fileUri(copy.root)], preview });

    it('one run applies every safe fix: the files equal the golden, only the /health policy is left for a person', async () => {
      const copy = new ExamplesCopy(scratch);
      const result = await migrateWorkspace(copy);
      assert.deepEqual(
        result.applied,
        [
          ['guest-provider-module', 1],
          ['contrib-auth-middleware', 1],
          ['token-manager-get-token', 2],
          ['plugin-deps-legacy-services', 2],
          ['permission-evaluator-type', 1],
          ['router-auth-adapters', 1],
          ['identity-get-identity', 4],
          ['bearer-token-forwarding', 2],
          ['token-manager-authenticate', 1],
          ['unused-legacy-binding', 1],
        ].map(([ruleId, count]) => ({ ruleId, title: title(ruleId as string), count })),
      );
      assert.deepEqual(result.remaining, [
        {
          uri: copy.uri(PLUGIN),
          path: PLUGIN,
          range: { start: { line: 27, character: 8 }, end: { line: 27, character: 22 } },
          ruleId: 'missing-auth-policy',
          message: '`GET /health` (health check) in service/router.ts must work without a token, but no auth policy covers it, so the default auth policy rejects it with 401.',
          reason: REMAINING_WHY,
        },
      ]);
      assert.deepEqual([result.filesChecked, result.filesChanged, result.skipped], [12, 5, []]);
      assert.deepEqual(copy.apply(result.edit).sort(), [BACKEND_INDEX, 'packages/backend/src/rootHttpRouter.ts', DIGEST_MODULE, PLUGIN, ROUTER].sort());
      copy.assertTree(GOLDEN);

      // Nothing more to do: a second run changes nothing and names the same finding.
      const again = await migrateWorkspace(copy);
      assert.deepEqual(again.edit, { documentChanges: [] });
      assert.deepEqual([again.applied, again.remaining, again.filesChanged], [[], result.remaining, 0]);
    });

    it('preview: the same edits, each annotated with its rule(s) and needing confirmation', async () => {
      const copy = new ExamplesCopy(scratch);
      const applied = await migrateWorkspace(new ExamplesCopy(scratch));
      const previewed = await migrateWorkspace(copy, true);
      const annotations = previewed.edit.changeAnnotations!;
      for (const annotation of Object.values(annotations)) assert.equal(annotation.needsConfirmation, true);
      for (const [id, annotation] of Object.entries(applied.edit.changeAnnotations!)) {
        assert.deepEqual(annotations[id], { ...annotation, needsConfirmation: true });
      }
      const ruleIds = new Set(previewed.applied.map((a) => a.ruleId));
      for (const change of previewed.edit.documentChanges!) {
        for (const edit of (change as TextDocumentEdit).edits) {
          const id = (edit as { annotationId?: string }).annotationId!;
          assert.ok(id.split('+').every((ruleId) => ruleIds.has(ruleId)), `${id} names the rules that made the edit`);
        }
      }
      copy.apply(previewed.edit);
      copy.assertTree(GOLDEN);
    });

    it('after Add Auth Policy for /health, nothing is left for a person', async () => {
      const copy = new ExamplesCopy(scratch);
      copy.apply((await migrateWorkspace(copy)).edit);
      const policy = await execute<EditResult>('backstageAuth.server.addAuthPolicy', { uri: copy.uri(PLUGIN), path: '/health', allow: 'unauthenticated' });
      assert.ok(policy.ok, JSON.stringify(policy));
      copy.apply(policy.edit);
      assert.equal(
        copy.read(PLUGIN),
        readFileSync(join(GOLDEN, PLUGIN), 'utf8').replace(
          '          }),\n        );\n',
          "          }),\n        );\n        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });\n",
        ),
      );
      const last = await migrateWorkspace(copy);
      assert.deepEqual([last.edit, last.applied, last.remaining], [{ documentChanges: [] }, [], []]);
    });
  });
});
