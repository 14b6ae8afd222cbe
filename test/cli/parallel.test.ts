// `check` on worker threads reports exactly what a serial run reports, and a run that parses
// nothing never loads TypeScript. A probe preloaded into the CLI process counts the workers it
// starts and whether dist/ts-morph.js was loaded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateMonorepo } from '../../bench/scan/generate';
import { PARSES_PER_WORKER } from '../../server/src/cli/parallel/pool';
import { runProbed, tempDir, writeTree } from './helpers';

/** An API client whose comment names `TokenManager` (a trigger word): the file is parsed, and nothing is found. */
const client = (i: number) => `// Calls the items API with the caller's own token (no TokenManager involved).\nexport interface Api${i} {\n  get(id: string): Promise<string>;\n}\n\nexport class Client${i} implements Api${i} {\n  async get(id: string): Promise<string> {\n    return \`item \${id} of ${i}\`;\n  }\n}\n`;

describe('cli check on worker threads', () => {
  let root: string;

  before(() => {
    root = tempDir('parallel');
    generateMonorepo(root, { files: 300, legacyShare: 0.5 });
    // Enough files to parse for two workers, whatever the monorepo above holds.
    const extra: Record<string, string> = {};
    for (let i = 0; i < 2 * PARSES_PER_WORKER; i++) extra[`plugins/clients/src/client${i}.ts`] = client(i);
    writeTree(root, extra);
  });

  it('--jobs 2 gives the same JSON report, byte for byte, as --jobs 1', async () => {
    // Without the results cache (on by default here: the monorepo has node_modules), the second run would parse nothing.
    const serial = await runProbed(['check', '.', '--format', 'json', '--jobs', '1', '--no-cache'], root);
    const parallel = await runProbed(['check', '.', '--format', 'json', '--jobs', '2', '--no-cache'], root);
    assert.equal(serial.workers, 0);
    assert.equal(parallel.workers, 2);
    assert.equal(serial.code, 1);
    assert.equal(parallel.code, serial.code);
    assert.equal(parallel.stderr, serial.stderr);
    assert.equal(parallel.stdout, serial.stdout);
    const report = JSON.parse(serial.stdout) as { files: unknown[]; summary: { files: number; findings: number } };
    assert.ok(report.files.length > 10, `expected findings in many files, got ${report.files.length}`);
  });

  it('the text report (no progress line: stderr is not a terminal) is the same too', async () => {
    const serial = await runProbed(['check', 'plugins', '--jobs', '1', '--no-cache'], root);
    const parallel = await runProbed(['check', 'plugins', '--jobs', '2', '--no-cache'], root);
    assert.deepEqual({ workers: parallel.workers, code: parallel.code, stderr: parallel.stderr }, { workers: 2, code: 1, stderr: '' });
    assert.equal(parallel.stdout, serial.stdout);
  });

  it("the workers' results go into the results cache: the next run parses nothing and reports the same", async () => {
    const cacheDir = join(tempDir('parallel-cache'), 'cache');
    const reference = await runProbed(['check', '.', '--format', 'json', '--jobs', '1', '--no-cache'], root);
    const first = await runProbed(['check', '.', '--format', 'json', '--jobs', '2', '--cache-location', cacheDir], root);
    const second = await runProbed(['check', '.', '--format', 'json', '--jobs', '2', '--cache-location', cacheDir], root);
    // The workers parse (the probe sees this thread only: TypeScript stays out of it either way).
    assert.deepEqual([first.workers, first.typescriptLoaded], [2, false]);
    assert.deepEqual([second.workers, second.typescriptLoaded], [0, false]);
    assert.equal(first.stdout, reference.stdout);
    assert.equal(second.stdout, reference.stdout);
  });

  it('--jobs must be a whole number', async () => {
    const run = await runProbed(['check', '.', '--jobs', '0'], root);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--jobs must be a whole number from 1 to 9999 \(got '0'\)/);
  });
});

describe('cli check loads TypeScript only for a file that needs a parse', () => {
  const plain = (i: number) => `export const value${i} = ${i};\nexport function twice${i}(n: number): number {\n  return n * 2;\n}\n`;

  it('no trigger word anywhere: every file checked, no worker, no TypeScript', async () => {
    const root = tempDir('lazy');
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`src/file${i}.ts`] = plain(i);
    files['app-config.yaml'] = 'app:\n  title: Plain\n';
    writeTree(root, files);
    const run = await runProbed(['check', '.'], root);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, workers: run.workers, typescriptLoaded: run.typescriptLoaded, tsMorphLoaded: run.tsMorphLoaded },
      { code: 0, stdout: 'No findings; 41 files checked.\n', workers: 0, typescriptLoaded: false, tsMorphLoaded: false },
    );
  });

  it('one file with a trigger word: TypeScript is loaded to parse it, ts-morph is not (no fix)', async () => {
    const root = tempDir('lazy');
    writeTree(root, { 'src/plain.ts': plain(1), 'src/client.ts': client(1) });
    const run = await runProbed(['check', '.'], root);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, typescriptLoaded: run.typescriptLoaded, tsMorphLoaded: run.tsMorphLoaded },
      { code: 0, stdout: 'No findings; 2 files checked.\n', typescriptLoaded: true, tsMorphLoaded: false },
    );
  });

  it('a fix loads ts-morph, on the same TypeScript', async () => {
    const root = tempDir('lazy');
    const gate = (type: string, from: string) =>
      `import type { ${type} } from '${from}';\n\nexport function gate(permissions: ${type}) {\n  return permissions;\n}\n`;
    writeTree(root, { 'src/evaluator.ts': gate('PermissionEvaluator', '@backstage/plugin-permission-common') });
    const run = await runProbed(['fix', '.'], root);
    assert.deepEqual(
      { code: run.code, typescriptLoaded: run.typescriptLoaded, tsMorphLoaded: run.tsMorphLoaded },
      { code: 0, typescriptLoaded: true, tsMorphLoaded: true },
    );
    assert.equal(readFileSync(join(root, 'src/evaluator.ts'), 'utf8'), gate('PermissionsService', '@backstage/backend-plugin-api'));
  });
});
