import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planGuestSetup } from '../../server/src/engine/setup/guestSetup';

const MODULE = '@backstage/plugin-auth-backend-module-guest-provider';

const INDEX = [
  "import { createBackend } from '@backstage/backend-defaults';",
  '',
  'const backend = createBackend();',
  "backend.add(import('@backstage/plugin-app-backend/alpha'));",
  '// sign-in',
  "backend.add(import('@backstage/plugin-auth-backend'));",
  "backend.add(import('@backstage/plugin-catalog-backend/alpha'));",
  'backend.start();',
  '',
].join('\n');

const INDEX_WITH_GUEST = INDEX.replace(
  "backend.add(import('@backstage/plugin-auth-backend'));\n",
  `backend.add(import('@backstage/plugin-auth-backend'));\nbackend.add(import('${MODULE}'));\n`,
);

const BASE_CONFIG = [
  'app:',
  '  title: Tea Shop Portal',
  '',
  'auth:',
  '  # GitHub for everyone; see the docs for more providers',
  '  providers:',
  '    github:',
  '      development:',
  '        clientId: ${AUTH_GITHUB_CLIENT_ID}',
  '',
].join('\n');

const PRODUCTION_CONFIG = 'app:\n  baseUrl: https://portal.tea.example\n';

function repo(overrides: Record<string, string | undefined> = {}) {
  const files: Record<string, string | undefined> = {
    'package.json': '{ "name": "root", "private": true, "workspaces": { "packages": ["packages/*", "plugins/*"] } }',
    'yarn.lock': '# yarn lockfile v1\n',
    'packages/backend/package.json': '{ "name": "backend", "dependencies": { "@backstage/plugin-auth-backend": "^0.22.0" } }',
    'packages/backend/src/index.ts': INDEX,
    'app-config.yaml': BASE_CONFIG,
    'app-config.production.yaml': PRODUCTION_CONFIG,
    ...overrides,
  };
  return (path: string) => files[path];
}

describe('guest provider setup plan', () => {
  it('without a local config: guest on in app-config.yaml, off in app-config.production.yaml', () => {
    assert.deepEqual(planGuestSetup(repo()), {
      ok: true,
      plan: {
        backend: { dir: 'packages/backend', name: 'backend' },
        install: {
          run: { program: 'yarn', args: ['--cwd', 'packages/backend', 'add', MODULE], cwd: '' },
          packageManager: 'Yarn 1 (classic)',
          evidence: 'yarn.lock in the Yarn 1 format',
        },
        changes: [
          { path: 'packages/backend/src/index.ts', before: INDEX, after: INDEX_WITH_GUEST, summary: 'add the guest provider module to the backend' },
          {
            path: 'app-config.yaml',
            before: BASE_CONFIG,
            after: BASE_CONFIG.replace('${AUTH_GITHUB_CLIENT_ID}\n', '${AUTH_GITHUB_CLIENT_ID}\n    guest: {}\n'),
            summary: 'turn guest sign-in on (auth.providers.guest: {})',
          },
          {
            path: 'app-config.production.yaml',
            before: PRODUCTION_CONFIG,
            after: `${PRODUCTION_CONFIG}auth:\n  providers:\n    guest: null\n`,
            summary: 'keep guest sign-in off in production (auth.providers.guest: null)',
          },
        ],
        notes: [],
      },
    });
  });

  it('with app-config.local.yaml: guest goes there, production is left alone', () => {
    const local = 'backend:\n  database:\n    client: better-sqlite3\n';
    const result = planGuestSetup(repo({ 'app-config.local.yaml': local, 'yarn.lock': '__metadata:\n  version: 8\n' }));
    assert.equal(result.ok, true);
    const plan = (result as Extract<typeof result, { ok: true }>).plan;
    assert.deepEqual(plan.install?.run, { program: 'yarn', args: ['workspace', 'backend', 'add', MODULE], cwd: '' });
    assert.deepEqual(
      plan.changes.map((c) => [c.path, c.after]),
      [
        ['packages/backend/src/index.ts', INDEX_WITH_GUEST],
        ['app-config.local.yaml', `${local}auth:\n  providers:\n    guest: {}\n`],
      ],
    );
    assert.deepEqual(plan.notes, []);
  });

  it('guest in app-config.yaml and no production config: says so instead of creating one', () => {
    const result = planGuestSetup(repo({ 'app-config.production.yaml': undefined, 'yarn.lock': undefined, 'package-lock.json': '{}' }));
    assert.equal(result.ok, true);
    const plan = (result as Extract<typeof result, { ok: true }>).plan;
    assert.deepEqual(plan.install?.run, { program: 'npm', args: ['install', MODULE, '--workspace', 'packages/backend'], cwd: '' });
    assert.deepEqual(plan.changes.map((c) => c.path), ['packages/backend/src/index.ts', 'app-config.yaml']);
    assert.deepEqual(plan.notes, [
      'app-config.yaml turns guest sign-in on and production loads it too, but this repo has no app-config.production.yaml: ' +
        'set `auth.providers.guest: null` in the config your production deployment loads (or move guest sign-in to app-config.local.yaml).',
    ]);
  });

  it('a repo that is already set up changes nothing and says what it found', () => {
    const result = planGuestSetup(
      repo({
        'packages/backend/package.json': `{ "name": "backend", "dependencies": { "${MODULE}": "^0.1.0" } }`,
        'packages/backend/src/index.ts': INDEX_WITH_GUEST,
        'app-config.local.yaml': 'auth:\n  providers:\n    guest: {}\n',
      }),
    );
    assert.deepEqual(result, {
      ok: true,
      plan: {
        backend: { dir: 'packages/backend', name: 'backend' },
        install: undefined,
        changes: [],
        notes: [
          `packages/backend/package.json already depends on ${MODULE}; nothing to install.`,
          'packages/backend/src/index.ts already adds the guest provider module.',
          'Guest sign-in is already on for local development (auth.providers.guest).',
        ],
      },
    });
  });

  it('refuses, with the reason, when a step cannot be done', () => {
    assert.deepEqual(planGuestSetup(repo({ 'packages/backend/package.json': undefined })), {
      ok: false,
      reason: 'there is no packages/backend/package.json (the layout `npx @backstage/create-app` makes)',
    });
    assert.deepEqual(planGuestSetup(repo({ 'yarn.lock': undefined })), {
      ok: false,
      reason: 'the package manager is unknown: the repo root has no yarn.lock, package-lock.json or pnpm-lock.yaml (run the install once first)',
    });
    assert.deepEqual(planGuestSetup(repo({ 'packages/backend/src/index.ts': "import { createBackend } from '@backstage/backend-defaults';\ncreateBackend().start();\n" })), {
      ok: false,
      reason: 'packages/backend/src/index.ts: this file does not add @backstage/plugin-auth-backend',
    });
    assert.deepEqual(planGuestSetup(repo({ 'app-config.yaml': 'auth: { providers: { github: {} } }\n' })), {
      ok: false,
      reason: 'app-config.yaml: `auth.providers` does not hold a block map, so `guest` cannot be added under it; add `auth.providers.guest` yourself',
    });
  });
});
