// `fix` over a copy of the bundled example (examples/), through the built CLI: one run makes
// the whole migration (the plugin's deps too, which wait for its router), so the tree equals
// the migration golden (test/golden/examples/) byte for byte, every other file unchanged; the
// dry run's patch gives the same tree; a second run has nothing left to fix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTree, runCli, tempDir } from './helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const GOLDEN = join(__dirname, '..', 'golden', 'examples');

/** A fresh copy of examples/ (in a temporary folder, so outside any git repository). */
function examplesCopy(): string {
  const root = tempDir('examples');
  cpSync(EXAMPLES, root, { recursive: true });
  return root;
}

/** examples/ with the golden's files in place of the originals. */
function migratedTree(): Record<string, string> {
  const expected = { ...readTree(EXAMPLES), ...readTree(GOLDEN) };
  return Object.fromEntries(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function assertTree(root: string): void {
  const actual = readTree(root);
  const expected = migratedTree();
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  for (const [path, text] of Object.entries(expected)) assert.equal(actual[path], text, `${path} differs from the expected text`);
}

const PLUGIN = 'plugins/bookmarks-backend/src/plugin.ts';
const HEALTH =
  `${PLUGIN}:28:9  information  \`GET /health\` (health check) in service/router.ts must work without a token, but no auth policy covers it, so the default auth policy rejects it with 401.  [missing-auth-policy]`;
const HEALTH_WHY =
  "    why: needs a person to choose a fix (Allow unauthenticated requests to /health | Allow signed-in browsers (user cookie) on /health); apply one from the editor's quick fixes";
const LEGACY_COMPATIBLE =
  'target legacy-compatible: @backstage/backend-plugin-api 0.6.17 (the lowest of ^0.6.17 in package.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.';
const GET_IDENTITY = "`getIdentity` is replaced by `httpAuth.credentials(req, { allow: ['user'] })`.  [identity-get-identity]";
const FORWARDING = 'The incoming bearer token is forwarded; read the caller with `httpAuth.credentials(req)` instead.  [bearer-token-forwarding]';
const getToken = (receiver: string) =>
  `\`${receiver}.getToken()\` issues a token every plugin accepts; issue one for the target plugin with \`auth.getPluginRequestToken\`.  [token-manager-get-token]`;

function report(verb: 'fixed' | 'would fix', summary: string): string {
  return [
    'packages/backend/src/index.ts',
    `  ${verb}: app-config.yaml enables \`auth.providers.guest\`, but this backend does not add \`@backstage/plugin-auth-backend-module-guest-provider\`, so guest sign-in is not available.  [guest-provider-module]`,
    'packages/backend/src/rootHttpRouter.ts',
    `  ${verb}: \`requireToken\` authenticates every API request itself (the contrib \`authenticate-api-requests\` recipe). Since 1.24 the default auth policy of the new backend system does this for every plugin.  [contrib-auth-middleware]`,
    'plugins/bookmarks-backend-module-digest/src/module.ts',
    `  ${verb}: ${getToken('tokens')}`,
    `  ${verb}: \`tokenManager\` is the old auth system; nothing here hands it on, so it can go.  [plugin-deps-legacy-services]`,
    PLUGIN,
    `  ${verb}: \`identity\` and \`tokenManager\` are the old auth system; depend on \`auth\` and \`httpAuth\` instead.  [plugin-deps-legacy-services]`,
    `  needs a person: ${HEALTH}`,
    HEALTH_WHY,
    'plugins/bookmarks-backend/src/service/router.ts',
    `  ${verb}: \`PermissionEvaluator\` cannot take credentials; use \`PermissionsService\`.  [permission-evaluator-type]`,
    `  ${verb}: \`createRouter\` takes \`identity\` and \`tokenManager\` but does not bridge to \`auth\` and \`httpAuth\` with \`createLegacyAuthAdapters\`.  [router-auth-adapters]`,
    `  ${verb}: ${GET_IDENTITY}`,
    `  ${verb}: \`getIdentity\` is replaced by \`httpAuth.credentials(req, { allow: ['user', 'service', 'none'] })\` and a principal type check.  [identity-get-identity]`,
    `  ${verb}: ${FORWARDING}`,
    `  ${verb}: ${GET_IDENTITY}`,
    `  ${verb}: ${FORWARDING}`,
    `  ${verb}: ${GET_IDENTITY}`,
    `  ${verb}: \`tokenManager.authenticate(token)\` checks the request's bearer token by hand; \`httpAuth.credentials(req, { allow: ['service'] })\` does the same check.  [token-manager-authenticate]`,
    `  ${verb}: ${getToken('tokenManager')}`,
    `  ${verb}: \`tokenManager\` is taken from the options but never used.  [unused-legacy-binding]`,
    '',
    `plugins/bookmarks-backend-module-digest/package.json  ${LEGACY_COMPATIBLE}`,
    `plugins/bookmarks-backend/package.json  ${LEGACY_COMPATIBLE}`,
    "(no package.json)  target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used.",
    summary,
    '',
  ].join('\n');
}

describe('cli fix on the bundled example', () => {
  it('one run writes the whole migration: the tree equals the golden, only the /health policy is left for a person', async () => {
    const root = examplesCopy();
    const run = await runCli(['fix', '.'], root);
    assert.equal(run.stdout, report('fixed', 'Fixed 16 findings in 5 files; 1 finding needs a person; 12 files checked.'));
    assert.equal(run.stderr, '');
    assert.equal(run.code, 1, 'the /health finding remains');
    assertTree(root);

    const again = await runCli(['fix', '.'], root);
    assert.equal(
      again.stdout,
      [
        PLUGIN,
        `  needs a person: ${HEALTH}`,
        HEALTH_WHY,
        '',
        `plugins/bookmarks-backend/package.json  ${LEGACY_COMPATIBLE}`,
        'Nothing fixed; 1 finding needs a person; 12 files checked.',
        '',
      ].join('\n'),
    );
    assert.equal(again.code, 1);
    assertTree(root);
  });

  it('--dry-run shows the whole migration (a patch per changed file, the report on stderr) and writes nothing', async () => {
    const root = examplesCopy();
    const before = readTree(root);
    const dry = await runCli(['fix', '--dry-run', '.'], root);
    assert.equal(dry.stderr, report('would fix', 'Would fix 16 findings in 5 files; 1 finding needs a person; 12 files checked.'));
    assert.equal(dry.code, 1);
    assert.deepEqual(readTree(root), before);
    assert.deepEqual(
      [...dry.stdout.matchAll(/^diff --git a\/(\S+) /gm)].map((match) => match[1]),
      [
        'packages/backend/src/index.ts',
        'packages/backend/src/rootHttpRouter.ts',
        'plugins/bookmarks-backend-module-digest/src/module.ts',
        PLUGIN,
        'plugins/bookmarks-backend/src/service/router.ts',
      ],
    );
  });

  it('the dry run\'s patch, applied with git apply, gives the golden tree', { skip: !hasGit() && 'git is not installed' }, async () => {
    const root = examplesCopy();
    const dry = await runCli(['fix', '--dry-run', '.'], root);
    execFileSync('git', ['apply', '-'], { cwd: root, input: dry.stdout });
    assertTree(root);
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
