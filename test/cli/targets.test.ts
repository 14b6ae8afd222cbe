// `check` and `fix` say which migration target each package got, from which versions, and why:
// one line per package in text, `targets` in JSON, run properties in SARIF. One temporary
// project per version range (with the lockfile kind a team on that range might use).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { runCli, tempDir, writeTree } from './helpers';

const BPA = '@backstage/backend-plugin-api';
const RULE = ['--rule', 'permissions-token-option'];

/** A scheduled job of our own that checks a permission with the plugin's own token. */
const REPORT = `import { PermissionsService, TokenManagerService } from '@backstage/backend-plugin-api';
import { createPermission } from '@backstage/plugin-permission-common';

export const costReportReadPermission = createPermission({ name: 'cost.report.read', attributes: { action: 'read' } });

export interface ReportOptions {
  permissions: PermissionsService;
  tokenManager: TokenManagerService;
}

/** The nightly cost report runs as the plugin itself, not on behalf of a user. */
export async function nightlyReport({ permissions, tokenManager }: ReportOptions) {
  const { token } = await tokenManager.getToken();
  const [decision] = await permissions.authorize([{ permission: costReportReadPermission }], { token });
  return decision.result;
}
`;

const MESSAGE = 'Permission checks take `{ credentials }`; the `token` option is deprecated.';
const findingLine = (path: string, severity: string, fixable: boolean) =>
  `${path}:14:96  ${severity}  ${MESSAGE}  [permissions-token-option]${fixable ? '  (fixable)' : ''}`;

/** The text report's line for a package: the explanation, lower-cased at the start, after the package.json. */
const targetLine = (packageJson: string, explanation: string) => `${packageJson}  ${explanation[0].toLowerCase()}${explanation.slice(1)}`;

const manifest = (name: string, range: string) => JSON.stringify({ name, version: '0.1.0', dependencies: { [BPA]: range } }, null, 2);

const yarnLock = (entries: [range: string, version: string][]) =>
  ['# yarn lockfile v1', '', '', ...entries.flatMap(([range, version]) => [`"${BPA}@${range}":`, `  version "${version}"`, '']) ].join('\n');

const NPM_LOCK_0_6_17 = JSON.stringify(
  {
    name: '@internal/plugin-cost-backend',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: '@internal/plugin-cost-backend', version: '0.1.0', dependencies: { [BPA]: '^0.6.14' } },
      [`node_modules/${BPA}`]: { version: '0.6.17' },
    },
  },
  null,
  2,
);

const PNPM_LOCK_1_0_1 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      '${BPA}':
        specifier: ^1.0.0
        version: 1.0.1(@types/express@4.17.21)

packages:

  '${BPA}@1.0.1':
    resolution: {integrity: sha512-AAAA}
`;

/** One plugin package at the root of its own repository. */
function project(range: string, lockfile: Record<string, string>): string {
  const root = tempDir('targets');
  writeTree(root, { 'package.json': manifest('@internal/plugin-cost-backend', range), ...lockfile, 'src/report.ts': REPORT });
  return root;
}

const TOO_OLD =
  'No migration target: @backstage/backend-plugin-api 0.6.10 (from yarn.lock) predates the auth services (added in 0.6.14, Backstage 1.24); upgrade it before migrating.';
const LEGACY =
  'Target legacy-compatible: @backstage/backend-plugin-api 0.6.17 (from package-lock.json) still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters.';
const NEW_BACKEND = 'Target new-backend-only: @backstage/backend-plugin-api 1.0.1 (from pnpm-lock.yaml) has no identity/tokenManager services.';

describe('cli: which migration target, from which versions, and why', { concurrency: availableParallelism() }, () => {
  it('backend-plugin-api before 0.6.14: no target; the finding says to upgrade first', async () => {
    const root = project('^0.6.0', { 'yarn.lock': yarnLock([['^0.6.0', '0.6.10']]) });
    const run = await runCli(['check', ...RULE], root);
    assert.equal(
      run.stdout,
      [
        findingLine('src/report.ts', 'warning', false),
        `    not auto-fixable: ${TOO_OLD}`,
        '',
        targetLine('package.json', TOO_OLD),
        '1 finding in 1 file (0 fixable); 1 file checked.',
        '',
      ].join('\n'),
    );
    assert.equal(run.code, 1);
    const json = JSON.parse((await runCli(['check', '--format', 'json', ...RULE], root)).stdout);
    assert.deepEqual(json.targets, [
      {
        packageJson: 'package.json',
        target: null,
        setting: 'auto',
        versions: { [BPA]: { version: '0.6.10', declared: '^0.6.0', locked: true, from: 'yarn.lock' } },
        explanation: TOO_OLD,
        files: ['src/report.ts'],
      },
    ]);
  });

  it('0.6.14 up to 1.0: legacy-compatible, the { token } option is a warning', async () => {
    const root = project('^0.6.14', { 'package-lock.json': NPM_LOCK_0_6_17 });
    const run = await runCli(['check', ...RULE], root);
    assert.equal(
      run.stdout,
      [
        findingLine('src/report.ts', 'warning', true),
        '',
        targetLine('package.json', LEGACY),
        '1 finding in 1 file (1 fixable); 1 file checked.',
        '',
      ].join('\n'),
    );
    const json = await runCli(['check', '--format', 'json', ...RULE], root);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(report), ['files', 'summary', 'targets'], 'the existing fields stay as they were');
    assert.deepEqual(report.summary, { files: 1, findings: 1, fixable: 1 });
    assert.deepEqual(report.targets, [
      {
        packageJson: 'package.json',
        target: 'legacy-compatible',
        setting: 'auto',
        versions: { [BPA]: { version: '0.6.17', declared: '^0.6.14', locked: true, from: 'package-lock.json' } },
        explanation: LEGACY,
        files: ['src/report.ts'],
      },
    ]);
    const sarif = JSON.parse((await runCli(['check', '--format', 'sarif', ...RULE], root)).stdout);
    assert.deepEqual(sarif.runs[0].properties, { migrationTargets: report.targets });
  });

  it('1.0 and later: new-backend-only, the { token } option is an error', async () => {
    const root = project('^1.0.0', { 'pnpm-lock.yaml': PNPM_LOCK_1_0_1 });
    const run = await runCli(['check', ...RULE], root);
    assert.equal(
      run.stdout,
      [
        findingLine('src/report.ts', 'error', true),
        '',
        targetLine('package.json', NEW_BACKEND),
        '1 finding in 1 file (1 fixable); 1 file checked.',
        '',
      ].join('\n'),
    );
    const dry = await runCli(['fix', '--dry-run', ...RULE], root);
    assert.equal(
      dry.stderr,
      [
        'src/report.ts',
        `  would fix: ${MESSAGE}  [permissions-token-option]`,
        '',
        targetLine('package.json', NEW_BACKEND),
        'Would fix 1 finding in 1 file; 1 file checked.',
        '',
      ].join('\n'),
    );
  });

  it('--target overrides the versions, and says so', async () => {
    const root = project('^1.0.0', { 'pnpm-lock.yaml': PNPM_LOCK_1_0_1 });
    const run = await runCli(['check', '--target', 'legacy-compatible', ...RULE], root);
    const explanation =
      'Target legacy-compatible: set explicitly (overriding the versions found). Detected: @backstage/backend-plugin-api 1.0.1 (from pnpm-lock.yaml) has no identity/tokenManager services.';
    assert.deepEqual(run.stdout.split('\n').slice(1), ['', targetLine('package.json', explanation), '1 finding in 1 file (1 fixable); 1 file checked.', '']);
    const json = JSON.parse((await runCli(['check', '--format', 'json', '--target', 'legacy-compatible', ...RULE], root)).stdout);
    assert.deepEqual(
      json.targets.map((t: Record<string, unknown>) => ({ target: t.target, setting: t.setting, explanation: t.explanation })),
      [{ target: 'legacy-compatible', setting: 'legacy-compatible', explanation }],
    );
  });

  it('a monorepo: one line per package, however many of its files have findings', async () => {
    const root = tempDir('targets-monorepo');
    writeTree(root, {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['plugins/*'] }, null, 2),
      'yarn.lock': yarnLock([['^0.6.14', '0.6.17'], ['^1.0.0', '1.0.1']]),
      'plugins/cost-backend/package.json': manifest('@internal/plugin-cost-backend', '^0.6.14'),
      'plugins/cost-backend/src/report.ts': REPORT,
      'plugins/cost-backend/src/weekly.ts': REPORT,
      'plugins/notes-backend/package.json': manifest('@internal/plugin-notes-backend', '^1.0.0'),
      'plugins/notes-backend/src/report.ts': REPORT,
    });
    const run = await runCli(['check', ...RULE, 'plugins'], root);
    assert.equal(
      run.stdout,
      [
        findingLine('plugins/cost-backend/src/report.ts', 'warning', true),
        findingLine('plugins/cost-backend/src/weekly.ts', 'warning', true),
        findingLine('plugins/notes-backend/src/report.ts', 'error', true),
        '',
        targetLine('plugins/cost-backend/package.json', LEGACY.replace('package-lock.json', 'yarn.lock')),
        targetLine('plugins/notes-backend/package.json', NEW_BACKEND.replace('pnpm-lock.yaml', 'yarn.lock')),
        '3 findings in 3 files (3 fixable); 3 files checked.',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runCli(['check', '--format', 'json', ...RULE, 'plugins'], root)).stdout);
    assert.deepEqual(
      json.targets.map((t: { packageJson: string; files: string[]; versions: Record<string, { from: string }> }) => [t.packageJson, t.files, t.versions[BPA].from]),
      [
        ['plugins/cost-backend/package.json', ['plugins/cost-backend/src/report.ts', 'plugins/cost-backend/src/weekly.ts'], 'yarn.lock'],
        ['plugins/notes-backend/package.json', ['plugins/notes-backend/src/report.ts'], 'yarn.lock'],
      ],
    );
  });
});
