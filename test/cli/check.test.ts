// `check`, `rules`, `--help`, `--version` and usage errors, through the built CLI.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { permissionEvaluatorType } from '../../server/src/rules/permission-evaluator-type';
import { runCli, tempDir, writeTree } from './helpers';
import { ACCESS, BROKEN, INDEX, pluginTree, ROUTER } from './plugin';

const RULE = ['--rule', 'permission-evaluator-type'];
const MESSAGE = '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.';
const VERSION = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

/** The plugin, plus a file that does not parse (its finding is reported, not fixable). */
function plugin(): string {
  const root = tempDir('check');
  writeTree(root, { ...pluginTree(), 'src/broken.ts': BROKEN });
  return root;
}

function finding(line: number, character: number, fixable: boolean) {
  return {
    rule: 'permission-evaluator-type',
    severity: 'warning',
    message: MESSAGE,
    range: { start: { line, character }, end: { line, character: character + 'PermissionEvaluator'.length } },
    fixable,
  };
}

/** The plugin's package.json does not name backend-plugin-api: the guide's target, by default. */
const GUIDE_TARGET = "Target legacy-compatible: package.json does not depend on @backstage/backend-plugin-api, so the migration guide's shape is used.";
const GUIDE_TARGET_LINE = `package.json  t${GUIDE_TARGET.slice(1)}`;
/** No package.json anywhere up the tree. */
const NO_PACKAGE_LINE = "(no package.json)  target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used.";

const PLUGIN_JSON = {
  files: [
    { path: 'src/broken.ts', findings: [finding(2, 35, false)] },
    { path: 'src/service/access.ts', findings: [finding(4, 42, true), finding(6, 21, true)] },
    { path: 'src/service/router.ts', findings: [finding(11, 15, true)] },
  ],
  summary: { files: 4, findings: 4, fixable: 3 },
  targets: [
    {
      packageJson: 'package.json',
      target: 'legacy-compatible',
      setting: 'auto',
      versions: {},
      explanation: GUIDE_TARGET,
      files: ['src/broken.ts', 'src/service/access.ts', 'src/service/router.ts'],
    },
  ],
};

describe('cli check', { concurrency: availableParallelism() }, () => {
  it('json: exact report, 0-based ranges, sorted files, node_modules and dist not read; exit 1', async () => {
    const run = await runCli(['check', '--format', 'json', ...RULE], plugin());
    assert.equal(run.stdout, JSON.stringify(PLUGIN_JSON, null, 2) + '\n');
    assert.equal(run.stderr, '');
    assert.equal(run.code, 1);
  });

  it('text: one compiler-style line per finding, the reason when not fixable, a summary', async () => {
    const run = await runCli(['check', ...RULE], plugin());
    assert.equal(
      run.stdout,
      [
        `src/broken.ts:3:36  warning  ${MESSAGE}  [permission-evaluator-type]`,
        '    not auto-fixable: the file has syntax errors; fix them first',
        `src/service/access.ts:5:43  warning  ${MESSAGE}  [permission-evaluator-type]  (fixable)`,
        `src/service/access.ts:7:22  warning  ${MESSAGE}  [permission-evaluator-type]  (fixable)`,
        `src/service/router.ts:12:16  warning  ${MESSAGE}  [permission-evaluator-type]  (fixable)`,
        '',
        GUIDE_TARGET_LINE,
        '4 findings in 3 files (3 fixable); 4 files checked.',
        '',
      ].join('\n'),
    );
    assert.equal(run.code, 1);
  });

  it('without --rule runs every rule (the permission findings are among them)', async () => {
    const run = await runCli(['check', '--format', 'json'], plugin());
    const report = JSON.parse(run.stdout) as typeof PLUGIN_JSON;
    const ours = report.files
      .map((f) => ({ path: f.path, findings: f.findings.filter((x) => x.rule === 'permission-evaluator-type') }))
      .filter((f) => f.findings.length > 0);
    assert.deepEqual(ours, PLUGIN_JSON.files);
    assert.equal(report.summary.files, 4);
    assert.equal(run.code, 1);
  });

  it('no findings: exit 0, empty files list, summary counts the files checked', async () => {
    const root = tempDir('clean');
    writeTree(root, { 'src/index.ts': INDEX, 'src/other.mjs': 'export const x = 1;\n' });
    const json = await runCli(['check', '--format', 'json'], root);
    assert.equal(json.stdout, JSON.stringify({ files: [], summary: { files: 2, findings: 0, fixable: 0 }, targets: [] }, null, 2) + '\n');
    assert.equal(json.code, 0);
    const text = await runCli(['check'], root);
    assert.equal(text.stdout, 'No findings; 2 files checked.\n');
    assert.equal(text.code, 0);
  });

  it('paths are relative to the current folder, for named files and folders alike', async () => {
    const root = tempDir('paths');
    writeTree(root, {
      'plugins/bookmarks/src/router.ts': ROUTER,
      'plugins/bookmarks/src/access.ts': ACCESS,
      'plugins/bookmarks/docs/README.md': '# Bookmarks\n',
    });
    const named = await runCli(['check', ...RULE, 'plugins/bookmarks/src/router.ts'], root);
    assert.equal(
      named.stdout,
      `plugins/bookmarks/src/router.ts:12:16  warning  ${MESSAGE}  [permission-evaluator-type]  (fixable)\n\n` +
        `${NO_PACKAGE_LINE}\n` +
        '1 finding in 1 file (1 fixable); 1 file checked.\n',
    );
    const fromBelow = await runCli(['check', '--format', 'json', ...RULE, '../src'], join(root, 'plugins', 'bookmarks', 'docs'));
    assert.deepEqual(
      (JSON.parse(fromBelow.stdout) as typeof PLUGIN_JSON).files.map((f) => f.path),
      ['../src/access.ts', '../src/router.ts'],
    );
    // The same file named twice (directly and through its folder) is checked once.
    const twice = await runCli(['check', '--format', 'json', ...RULE, 'plugins', 'plugins/bookmarks/src/router.ts'], root);
    assert.equal((JSON.parse(twice.stdout) as typeof PLUGIN_JSON).summary.files, 2);
  });

  it('binary, oversized and non-source files are skipped with a reason, not a crash', async () => {
    const root = tempDir('skip');
    writeTree(root, {
      'src/router.ts': ROUTER,
      'src/logo.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]),
      'src/latin1.ts': Buffer.from('// caf\xe9\nexport {};\n', 'latin1'),
      'src/huge.ts': `${ACCESS}\n${'// padding\n'.repeat(300)}`,
      'README.md': '# bookmarks\n',
    });
    const args = ['check', ...RULE, '--max-file-size', '2000', 'src', 'README.md'];
    const json = await runCli([...args, '--format', 'json'], root);
    assert.deepEqual(JSON.parse(json.stdout), {
      files: [{ path: 'src/router.ts', findings: [finding(11, 15, true)] }],
      skipped: [
        { path: 'README.md', reason: 'not a file the tool reads (.ts .mts .cts .tsx .js .cjs .mjs .jsx or app-config*.yaml)' },
        { path: 'src/huge.ts', reason: 'larger than 2000 bytes (raise --max-file-size to check it)' },
        { path: 'src/latin1.ts', reason: 'not UTF-8 text' },
        { path: 'src/logo.ts', reason: 'binary file (it contains NUL bytes)' },
      ],
      summary: { files: 1, findings: 1, fixable: 1 },
      targets: [
        {
          packageJson: null,
          target: 'legacy-compatible',
          setting: 'auto',
          versions: {},
          explanation: "Target legacy-compatible: no package.json was found for this file, so the migration guide's shape is used.",
          files: ['src/router.ts'],
        },
      ],
    });
    assert.equal(json.code, 1, 'skipping a file does not change the exit code');
    const text = await runCli(args, root);
    assert.deepEqual(text.stdout.split('\n').slice(1), [
      'README.md  skipped: not a file the tool reads (.ts .mts .cts .tsx .js .cjs .mjs .jsx or app-config*.yaml)',
      'src/huge.ts  skipped: larger than 2000 bytes (raise --max-file-size to check it)',
      'src/latin1.ts  skipped: not UTF-8 text',
      'src/logo.ts  skipped: binary file (it contains NUL bytes)',
      '',
      NO_PACKAGE_LINE,
      '1 finding in 1 file (1 fixable); 1 file checked, 4 skipped.',
      '',
    ]);
  });

  it('an unreadable file is reported and makes the exit code 2', { skip: process.getuid?.() === 0 && 'root reads any file' }, async () => {
    const root = tempDir('unreadable');
    writeTree(root, { 'src/router.ts': ROUTER, 'src/secret.ts': ACCESS });
    chmodSync(join(root, 'src', 'secret.ts'), 0);
    const run = await runCli(['check', '--format', 'json', ...RULE], root);
    assert.deepEqual(JSON.parse(run.stdout).skipped, [{ path: 'src/secret.ts', reason: 'cannot read the file (EACCES)' }]);
    assert.equal(run.stderr, 'error: src/secret.ts: cannot read the file (EACCES)\n');
    assert.equal(run.code, 2);
  });

  it('.gitignore files are respected (root and nested, negation, directory-only, anchored, **)', async () => {
    const root = tempDir('gitignore');
    writeTree(root, {
      '.gitignore': 'generated/\n*.local.ts\n!keep.local.ts\n/scratch.ts\n**/fixtures/**/*.ts\n',
      'scratch.ts': ACCESS,
      'src/scratch.ts': ACCESS,
      'src/generated/client.ts': ACCESS,
      'src/dev.local.ts': ACCESS,
      'src/keep.local.ts': ACCESS,
      'src/test/fixtures/deep/case.ts': ACCESS,
      'packages/a/.gitignore': 'legacy.ts\n!/generated/\n',
      'packages/a/legacy.ts': ACCESS,
      'packages/a/src/legacy.ts': ACCESS,
      'packages/a/generated/api.ts': ACCESS,
    });
    const run = await runCli(['check', '--format', 'json', ...RULE], root);
    assert.deepEqual(
      (JSON.parse(run.stdout) as typeof PLUGIN_JSON).files.map((f) => f.path),
      ['packages/a/generated/api.ts', 'src/keep.local.ts', 'src/scratch.ts'],
    );
  });

  it('sarif: a valid 2.1.0 log with the rules that ran and 1-based regions', async () => {
    const root = plugin();
    writeTree(root, { 'src/logo.ts': Buffer.from([0, 1, 2]) });
    const run = await runCli(['check', '--format', 'sarif', ...RULE], root);
    assert.equal(run.code, 1);
    assertSarifShape(JSON.parse(run.stdout));
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'backstage-auth-migrate');
    assert.equal(sarifRun.tool.driver.version, VERSION);
    assert.deepEqual(sarifRun.tool.driver.rules.map((r: { id: string }) => r.id), ['permission-evaluator-type']);
    assert.deepEqual(
      {
        ...sarifRun.tool.driver.rules[0],
        fullDescription: undefined,
        help: undefined,
      },
      {
        id: 'permission-evaluator-type',
        name: 'PermissionEvaluatorType',
        shortDescription: { text: permissionEvaluatorType.title },
        fullDescription: undefined,
        helpUri: permissionEvaluatorType.docsUrl,
        help: undefined,
        defaultConfiguration: { level: 'warning' },
      },
    );
    assert.deepEqual(sarifRun.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(root).href + '/' } });
    assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
    assert.deepEqual(sarifRun.results[0], {
      ruleId: 'permission-evaluator-type',
      ruleIndex: 0,
      level: 'warning',
      message: { text: MESSAGE },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 36, endLine: 3, endColumn: 55 },
          },
        },
      ],
      properties: { fixable: false, notFixableReason: 'the file has syntax errors; fix them first' },
    });
    assert.deepEqual(
      sarifRun.results.map((r: SarifResult) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region?.startLine}`),
      ['src/broken.ts:3', 'src/service/access.ts:5', 'src/service/access.ts:7', 'src/service/router.ts:12'],
    );
    assert.ok(sarifRun.results.every((r: Record<string, unknown>) => !('fixes' in r)), 'fixes are not exported');
    assert.deepEqual(sarifRun.properties, { migrationTargets: PLUGIN_JSON.targets });
    assert.deepEqual(sarifRun.invocations, [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'note',
            message: { text: 'skipped: binary file (it contains NUL bytes)' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/logo.ts', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});

describe('cli usage', { concurrency: availableParallelism() }, () => {
  const usage = (message: string) => `backstage-auth-migrate: ${message}\nRun 'backstage-auth-migrate --help' for usage.\n`;
  // Every parse error is covered in args.test.ts; these go through the process end to end.
  const cases: [string[], string][] = [
    [[], 'missing command (check, fix or rules)'],
    [['check', '--fix'], "unknown option '--fix' for 'check'"],
    [['check', '--format', 'xml'], "--format must be one of text, json, sarif (got 'xml')"],
    [['fix', '--rule', 'no-such-rule'], "unknown rule 'no-such-rule' (list them with: backstage-auth-migrate rules)"],
    [['check', 'src', 'missing.ts'], 'no such file or folder: missing.ts'],
    [['fix', 'nowhere'], 'no such file or folder: nowhere'],
  ];
  for (const [args, message] of cases) {
    it(`${JSON.stringify(args)}: exit 2, "${message}"`, async () => {
      const root = tempDir('usage');
      writeTree(root, { 'src/router.ts': ROUTER });
      const run = await runCli(args, root);
      assert.equal(run.stderr, usage(message));
      assert.equal(run.stdout, '');
      assert.equal(run.code, 2);
    });
  }

  it('--version prints the package version', async () => {
    const run = await runCli(['--version'], tempDir('version'));
    assert.deepEqual(run, { code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('--help documents the commands, the JSON summary and the exit codes', async () => {
    const main = await runCli(['--help'], tempDir('help'));
    assert.equal(main.code, 0);
    assert.match(main.stdout, /^Usage: backstage-auth-migrate <command> \[options\]\n/);
    for (const command of ['check [paths...]', 'fix [paths...]', 'rules']) assert.ok(main.stdout.includes(command), command);
    const check = await runCli(['check', '--help'], tempDir('help'));
    assert.ok(check.stdout.includes('summary.files counts every file checked'));
    assert.ok(check.stdout.includes('"skipped": [{ "path", "reason" }]'));
    assert.ok(check.stdout.includes('"targets": [{ "packageJson", "target", "setting", "versions", "explanation",'));
    const fix = await runCli(['fix', '-h'], tempDir('help'));
    assert.ok(fix.stdout.includes('--dry-run'));
  });

  it('rules: ids, severities, titles and docs links', async () => {
    const json = await runCli(['rules', '--format', 'json'], tempDir('rules'));
    assert.equal(json.code, 0);
    const { rules } = JSON.parse(json.stdout) as { rules: Record<string, unknown>[] };
    assert.deepEqual(
      rules.find((r) => r.id === 'permission-evaluator-type'),
      {
        id: 'permission-evaluator-type',
        severity: 'warning',
        title: permissionEvaluatorType.title,
        docsUrl: permissionEvaluatorType.docsUrl,
        fixable: true,
      },
    );
    const text = await runCli(['rules'], tempDir('rules'));
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('permission-evaluator-type '));
    assert.match(lines[at], /^permission-evaluator-type +warning +PermissionEvaluator -> PermissionsService$/);
    assert.equal(lines[at + 1].trim(), permissionEvaluatorType.docsUrl);
    assert.equal(lines.filter((l) => l && !l.startsWith(' ')).length, rules.length);
  });
});

interface SarifResult {
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
}

/**
 * The parts of the SARIF 2.1.0 schema a consumer relies on: required properties, their types
 * and allowed values (no network, so the schema itself is not fetched).
 */
function assertSarifShape(log: Record<string, any>): void {
  const isText = (m: unknown) => typeof m === 'object' && m !== null && typeof (m as { text?: unknown }).text === 'string';
  const isPositive = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  assert.equal(log.version, '2.1.0');
  assert.ok(Array.isArray(log.runs) && log.runs.length === 1);
  for (const run of log.runs) {
    const driver = run.tool?.driver;
    assert.equal(typeof driver?.name, 'string', 'runs[].tool.driver.name is required');
    assert.ok(Array.isArray(driver.rules));
    for (const rule of driver.rules) {
      assert.equal(typeof rule.id, 'string');
      assert.ok(isText(rule.shortDescription) && isText(rule.fullDescription));
      assert.doesNotThrow(() => new URL(rule.helpUri));
      assert.ok(['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(Array.isArray(run.results));
    for (const result of run.results) {
      assert.ok(isText(result.message), 'results[].message.text is required');
      assert.equal(driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at ruleId');
      assert.ok(['none', 'note', 'warning', 'error'].includes(result.level));
      for (const location of result.locations) {
        const physical = location.physicalLocation;
        assert.ok(!physical.artifactLocation.uri.startsWith('/'), 'uri is relative to its uriBaseId');
        assert.ok(physical.artifactLocation.uriBaseId in run.originalUriBaseIds);
        const region = physical.region;
        assert.ok([region.startLine, region.startColumn, region.endLine, region.endColumn].every(isPositive));
        assert.ok(region.endLine > region.startLine || region.endColumn >= region.startColumn);
      }
    }
    for (const base of Object.values<{ uri: string }>(run.originalUriBaseIds)) assert.match(base.uri, /^file:\/\/.*\/$/);
    for (const invocation of run.invocations) {
      assert.equal(typeof invocation.executionSuccessful, 'boolean', 'invocations[].executionSuccessful is required');
      for (const note of invocation.toolExecutionNotifications) assert.ok(isText(note.message));
    }
  }
}
