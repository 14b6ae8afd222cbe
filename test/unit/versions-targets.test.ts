// Targets end to end: which target a file gets and why, what it does to severities and fixes,
// and that fixing everything converges to each target's shape (no finding left behind).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, explainTargetFor, fixAll, targetChoiceFor } from '../../server/src/engine/engine';
import { chooseTarget, explainTarget } from '../../server/src/engine/targets';
import type { VersionFacts } from '../../server/src/engine/versions';
import { engineOptions, memoryHost, VIRTUAL_ROOT } from '../support/engine';
import { FIXED_LEGACY_COMPATIBLE, FIXED_NEW_BACKEND_ONLY, LEGACY_ROUTER } from '../typecheck/sets/fixAllRouter';

const BPA = '@backstage/backend-plugin-api';
const ROUTER = `${VIRTUAL_ROOT}/src/service/router.ts`;

function packageJson(dependencies: Record<string, string>): string {
  return JSON.stringify({ name: '@internal/plugin-incident-notes-backend', dependencies }, null, 2);
}

/** A yarn classic lockfile resolving `range` of backend-plugin-api to `version`. */
const yarnLock = (range: string, version: string) =>
  ['# yarn lockfile v1', '', '', `"@backstage/backend-plugin-api@${range}":`, `  version "${version}"`, ''].join('\n');

describe('migration targets', () => {
  it('explains the target from the resolved version, the range, or its absence', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { 'package.json': packageJson({ [BPA]: '^1.2.0' }), 'yarn.lock': yarnLock('^1.2.0', '1.2.0') },
        'Target new-backend-only: @backstage/backend-plugin-api 1.2.0 (from yarn.lock) has no identity/tokenManager services.',
      ],
      [
        { 'package.json': packageJson({ [BPA]: '^0.6.17' }) },
        'Target legacy-compatible: @backstage/backend-plugin-api 0.6.17 (the lowest of ^0.6.17 in package.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.',
      ],
      [
        { 'package.json': packageJson({ [BPA]: '^0.6.0' }), 'yarn.lock': yarnLock('^0.6.0', '0.6.10') },
        'No migration target: @backstage/backend-plugin-api 0.6.10 (from yarn.lock) predates the auth services (added in 0.6.14, Backstage 1.24); upgrade it before migrating.',
      ],
      [
        { 'package.json': packageJson({ '@backstage/plugin-auth-node': '^0.5.2' }) },
        'Target new-backend-only: @backstage/plugin-auth-node 0.5.2 (the lowest of ^0.5.2 in package.json) requires @backstage/backend-plugin-api 1.x, which has no identity/tokenManager services.',
      ],
      [
        { 'package.json': packageJson({ express: '^4.17.1' }) },
        "Target legacy-compatible: package.json does not depend on @backstage/backend-plugin-api, so the migration guide's shape is used.",
      ],
      [{}, "Target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used."],
    ];
    for (const [files, explanation] of cases) {
      assert.equal(explainTargetFor(ROUTER, { host: memoryHost(files) }), explanation);
    }
  });

  it('an explicit target wins, and says when it overrides the versions', () => {
    const files = { 'package.json': packageJson({ [BPA]: '^0.6.17' }) };
    assert.equal(
      explainTargetFor(ROUTER, { host: memoryHost(files), target: 'new-backend-only' }),
      'Target new-backend-only: set explicitly (overriding the versions found). Detected: @backstage/backend-plugin-api 0.6.17 (the lowest of ^0.6.17 in package.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.',
    );
    assert.equal(
      explainTargetFor(ROUTER, { host: memoryHost(files), target: 'legacy-compatible' }),
      'Target legacy-compatible: set explicitly. Detected: @backstage/backend-plugin-api 0.6.17 (the lowest of ^0.6.17 in package.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.',
    );
    const old: VersionFacts = { packages: { [BPA]: { version: '0.6.10', locked: true, from: '/x/yarn.lock' } } };
    assert.equal(chooseTarget(old).authServicesMissing, true);
    assert.equal(chooseTarget(old, 'legacy-compatible').authServicesMissing, false);
    assert.match(explainTarget(chooseTarget(old, 'legacy-compatible')), /^Target legacy-compatible: set explicitly \(overriding the versions found\)\./);
    assert.equal(targetChoiceFor(ROUTER, {}).target, 'legacy-compatible');
  });
});

const PERMISSION_ROUTER = [
    "import { TokenManager } from '@backstage/backend-common';",
    "import { CatalogClient } from '@backstage/catalog-client';",
    "import { getBearerTokenFromAuthorizationHeader } from '@backstage/plugin-auth-node';",
    "import { createPermission, PermissionEvaluator } from '@backstage/plugin-permission-common';",
    "import { Router } from 'express';",
    '',
    "const noteDelete = createPermission({ name: 'incident.note.delete', attributes: { action: 'delete' } });",
    '',
    'export async function createRouter(options: { permissions: PermissionEvaluator; catalog: CatalogClient; tokenManager: TokenManager }) {',
    '  const { permissions, catalog, tokenManager } = options;',
    '  const router = Router();',
    "  router.delete('/notes/:id', async (req, res) => {",
    "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
    '    await permissions.authorize([{ permission: noteDelete }], { token });',
    '    res.status(204).end();',
    '  });',
    '  // Nightly clean-up runs as the plugin itself.',
    "  router.post('/cleanup', async (_req, res) => {",
    '    const { token } = await tokenManager.getToken();',
    '    await permissions.authorize([{ permission: noteDelete }], { token });',
    '    res.status(202).end();',
    '  });',
    "  router.get('/teams/:name', async (req, res) => {",
    "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
    '    res.json(await catalog.getEntityByRef(`group:default/${req.params.name}`, { token }));',
    '  });',
    '  return router;',
    '}',
    '',
  ].join('\n');

describe('severities that follow versions', () => {
  const findingsWith = (permissionCommon: string, severities?: Record<string, 'hint'>) => {
    const files = {
      'package.json': packageJson({ [BPA]: '^0.6.17', '@backstage/plugin-permission-common': permissionCommon }),
      'src/service/router.ts': PERMISSION_ROUTER,
    };
    return analyze(ROUTER, PERMISSION_ROUTER, { ...engineOptions(memoryHost(files)), severities }).findings.map(
      (f) => `${f.ruleId} ${f.severity} line ${PERMISSION_ROUTER.slice(0, f.range.start).split('\n').length}`,
    );
  };

  it('plugin-permission-common 0.7: a { token } permission option is deprecated, a warning', () => {
    assert.deepEqual(findingsWith('^0.7.13'), [
      'router-auth-adapters warning line 9',
      'permission-evaluator-type warning line 9',
      'bearer-token-forwarding warning line 13',
      'permissions-token-option warning line 20',
      'bearer-token-forwarding warning line 24',
    ]);
  });

  it('plugin-permission-common 0.8: it no longer compiles, so findings about it are errors (a user setting still wins)', () => {
    // The bearer token on line 13 goes to a permission check; the one on line 24 only to the catalog.
    assert.deepEqual(findingsWith('^0.8.1'), [
      'router-auth-adapters warning line 9',
      'permission-evaluator-type warning line 9',
      'bearer-token-forwarding error line 13',
      'permissions-token-option error line 20',
      'bearer-token-forwarding warning line 24',
    ]);
    assert.equal(findingsWith('^0.8.1', { 'permissions-token-option': 'hint' })[3], 'permissions-token-option hint line 20');
  });
});

describe('backend-plugin-api before the auth services', () => {
  it('offers no fix, says why on every finding, and reports the version once', () => {
    const files = {
      'package.json': packageJson({ [BPA]: '^0.6.0' }),
      'yarn.lock': yarnLock('^0.6.0', '0.6.10'),
      'src/service/router.ts': PERMISSION_ROUTER,
    };
    const { findings } = analyze(ROUTER, PERMISSION_ROUTER, engineOptions(memoryHost(files)));
    const reason =
      'No migration target: @backstage/backend-plugin-api 0.6.10 (from yarn.lock) predates the auth services (added in 0.6.14, Backstage 1.24); upgrade it before migrating.';
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.fixes.length, f.notFixableReason === reason]),
      [
        ['auth-services-unavailable', 0, false],
        ['router-auth-adapters', 0, true],
        ['permission-evaluator-type', 0, true],
        ['bearer-token-forwarding', 0, true],
        ['permissions-token-option', 0, true],
        ['bearer-token-forwarding', 0, true],
      ],
    );
    assert.equal(fixAll(ROUTER, PERMISSION_ROUTER, engineOptions(memoryHost(files))).text, PERMISSION_ROUTER);
    // Set by hand, the target is taken at its word.
    const forced = analyze(ROUTER, PERMISSION_ROUTER, engineOptions(memoryHost(files), 'legacy-compatible'));
    assert.ok(forced.findings.filter((f) => f.ruleId !== 'auth-services-unavailable').every((f) => f.fixes.length > 0));
  });
});

describe('fixing everything converges to the target shape', () => {
  const files = { 'src/service/router.ts': LEGACY_ROUTER };
  for (const [target, expected] of [
    ['legacy-compatible', FIXED_LEGACY_COMPATIBLE],
    ['new-backend-only', FIXED_NEW_BACKEND_ONLY],
  ] as const) {
    it(target, () => {
      const result = fixAll(ROUTER, LEGACY_ROUTER, engineOptions(memoryHost(files), target));
      assert.equal(result.text, expected);
      assert.deepEqual(result.remaining, []);
    });
  }
});
