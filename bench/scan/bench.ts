// Whole-workspace speed and memory, as ratios to baselines measured in the same run:
//   1. `check` on a synthetic Backstage monorepo (default 10,000 source files, ~1% with old
//      patterns) against reading every file in Node, and against a bare TypeScript parse of
//      every file (each baseline a fresh Node process that walks the same tree): without the
//      results cache (every file read, every file with a trigger word parsed), with it over
//      an unchanged tree, and with it after 1% of the files were edited;
//   2. the language server's memory after a workspace scan of that tree (JSON-RPC, with
//      workspaceDiagnostics on): RSS and heap, before and after a full GC;
//   3. the lazy TypeScript load: `check` on a tree where no file has a trigger word, with the
//      shipped bundle and with a bundle built without the lazy facade (the old way).
//   npm run bench:scan      (builds dist/, then runs this)
// Options: --files N (default 10000), --runs N (default 3), --keep (leave the tree in /tmp).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { needsParse } from '../../server/src/engine/prefilter';
import { collectSourceFiles } from '../../server/src/cli/files/walk';
import { allRules } from '../../server/src/rules';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/heap';
import { fileUri, LspClient } from '../../test/support/lsp';
import { generateMonorepo } from './generate';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const PROBE = join(__dirname, 'probe.cjs');
const TARGET_CHECK_VS_READ = 2;
const TARGET_SERVER_MB = 250;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The baselines walk like the CLI does (no node_modules, no build output) so all read the same files.
const WALK = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const SKIP = new Set(['node_modules', '.git', 'dist', 'dist-types', 'build', 'coverage']);
const SOURCE = /\\.(ts|tsx|mts|cts|js|jsx|cjs|mjs)$/;
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { if (!SKIP.has(entry.name)) yield* files(path); }
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}`;
const READ_ALL = `${WALK}
let chars = 0;
for (const file of files(process.argv[1])) chars += readFileSync(file, 'utf8').length;
if (chars === 0) throw new Error('read nothing');`;
const PARSE_ALL = `${WALK}
const ts = require('typescript');
const kind = (f) => f.endsWith('x') ? (f.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX) : /\\.[mc]?ts$/.test(f) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
for (const file of files(process.argv[1])) ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind(file));`;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/**
 * Runs a fresh Node process `runs` times; median wall time and median CPU time (all threads).
 * `beforeEach` runs before each, untimed.
 */
function timeProcess(args: string[], runs: number, beforeEach: (run: number) => void = () => {}, cwd = ROOT): Timing {
  const probeOut = join(mkdtempSync(join(tmpdir(), 'bench-probe-')), 'probe.json');
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < runs; run++) {
    beforeEach(run);
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--require', PROBE, ...args], {
      cwd,
      env: { ...process.env, BENCH_PROBE_OUT: probeOut },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    walls.push(performance.now() - start);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    cpus.push((JSON.parse(readFileSync(probeOut, 'utf8')) as { cpuMs: number }).cpuMs);
  }
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

function table(rows: [string, Timing][], baseline: Timing, second?: Timing): void {
  const head = `| ${'measurement'.padEnd(46)} | ${'wall ms'.padStart(8)} | ${'CPU ms'.padStart(8)} | ${'wall vs read'.padStart(12)} | ${'CPU vs read'.padStart(11)} |${second ? ` ${'wall vs parse'.padStart(13)} |` : ''}`;
  console.log(head);
  console.log(head.replace(/[^|]/g, '-'));
  for (const [label, t] of rows) {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(
      `| ${label.padEnd(46)} | ${t.wallMs.toFixed(0).padStart(8)} | ${t.cpuMs.toFixed(0).padStart(8)} | ${ratio(t.wallMs, baseline.wallMs).padStart(12)} | ${ratio(t.cpuMs, baseline.cpuMs).padStart(11)} |${second ? ` ${ratio(t.wallMs, second.wallMs).padStart(13)} |` : ''}`,
    );
  }
}

async function serverMemory(root: string): Promise<{ scanMs: number; shown: number; before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage }> {
  const probeOut = join(mkdtempSync(join(tmpdir(), 'bench-probe-')), 'memory.json');
  const started = performance.now();
  const client = await LspClient.start({
    settings: { workspaceDiagnostics: 'on' },
    workspace: { folders: [{ uri: fileUri(root), name: 'monorepo' }] },
    // Started the way the VS Code client starts it (its heap limit included).
    nodeArgs: [...SERVER_NODE_OPTIONS, '--expose-gc', '--require', PROBE],
    env: { ...process.env, BENCH_PROBE_OUT: probeOut },
  });
  try {
    await client.nextProgress('end', 30 * 60_000);
    const scanMs = performance.now() - started;
    const shown = new Set(client.published.filter((p) => p.diagnostics.length > 0).map((p) => p.uri)).size;
    process.kill(client.pid!, 'SIGUSR2');
    const deadline = Date.now() + 30_000;
    while (!existsSync(probeOut) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const memory = JSON.parse(readFileSync(probeOut, 'utf8')) as { before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage };
    return { scanMs, shown, ...memory };
  } finally {
    await client.stop();
  }
}

/** The CLI bundled the way it was before the lazy facade: TypeScript inside, loaded at start. */
async function eagerCli(dir: string): Promise<string> {
  const outfile = join(dir, 'cli-eager.js');
  await esbuild.build({ entryPoints: [join(ROOT, 'server/src/cli.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  return outfile;
}

async function main(): Promise<void> {
  const fileCount = option('files', 10_000);
  const runs = option('runs', 3);
  const work = mkdtempSync(join(tmpdir(), 'bench-scan-'));
  const root = join(work, 'monorepo');
  try {
    const generated = generateMonorepo(root, { files: fileCount });
    const walked = collectSourceFiles([root], root).files;
    const parsed = walked.filter((t) => needsParse(t.absolute, readFileSync(t.absolute, 'utf8'), { rules: allRules })).length;
    console.log(
      `bench:scan  ${generated.files} source files (${(generated.bytes / 1e6).toFixed(1)} MB), ${generated.legacyFiles.length} with old auth patterns; ` +
        `${parsed} (${((100 * parsed) / walked.length).toFixed(1)}%) pass the trigger prefilter`,
    );
    console.log(`node ${process.version}, ${availableParallelism()} cores, ${allRules.length} rules, medians of ${runs} runs (fresh processes)\n`);

    const read = timeProcess(['-e', READ_ALL, root], runs);
    const parse = timeProcess(['-e', PARSE_ALL, root], runs);
    const jobs = availableParallelism();
    // As a user runs it: `check .` at the monorepo's root.
    const inTree = (args: string[], times = runs, beforeEach?: (run: number) => void) => timeProcess([CLI, 'check', '.', ...args], times, beforeEach, root);
    const check = inTree(['--format', 'json', '--no-cache']);
    const serial = inTree(['--format', 'json', '--jobs', '1', '--no-cache']);
    // The results cache: filled by one untimed run, then used over the unchanged tree, then
    // after 1% of the files were edited before each run (a pull request's worth).
    const cached = ['--format', 'json', '--cache-location', join(work, 'check-cache')];
    inTree(cached, 1);
    const warm = inTree(cached);
    const edited = walked.filter((_, i) => i % 100 === 50).map((t) => t.absolute);
    const afterEdits = inTree(cached, runs, (run) => {
      for (const file of edited) appendFileSync(file, `// edited before run ${run}\n`);
    });
    table(
      [
        ['read every file (baseline)', read],
        ['bare TypeScript parse of every file', parse],
        [`cli check . --no-cache (--jobs ${jobs}, default)`, check],
        ['cli check . --no-cache --jobs 1', serial],
        ['cli check ., results cache, nothing changed', warm],
        [`cli check ., results cache, ${edited.length} files edited`, afterEdits],
      ],
      read,
      parse,
    );
    const verdict = (label: string, t: Timing) => {
      const ratio = t.wallMs / read.wallMs;
      console.log(`  ${label}: ${ratio <= TARGET_CHECK_VS_READ ? 'yes' : 'NO'} (${ratio.toFixed(2)}x wall, ${(t.cpuMs / read.cpuMs).toFixed(2)}x CPU)`);
    };
    console.log(`\ncheck within ${TARGET_CHECK_VS_READ}x of reading every file:`);
    verdict('without the cache', check);
    verdict('with the cache, nothing changed', warm);
    verdict(`with the cache, ${edited.length} files edited`, afterEdits);

    const memory = await serverMemory(root);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(`\nlanguage server after a workspace scan (${(memory.scanMs / 1000).toFixed(1)} s from start to progress end, ${memory.shown} files with problems shown):`);
    console.log(`  RSS ${mb(memory.before.rss)}, heap used ${mb(memory.before.heapUsed)} of ${mb(memory.before.heapTotal)}; after a full GC: RSS ${mb(memory.after.rss)}, heap used ${mb(memory.after.heapUsed)}`);
    console.log(`  under ${TARGET_SERVER_MB} MB: ${memory.before.rss / 1024 / 1024 < TARGET_SERVER_MB ? 'yes' : 'NO'}`);

    // 3. The cheap path: nothing to parse, so TypeScript should never load.
    const plain = join(work, 'plain');
    const plainFiles: Record<string, string> = {};
    for (let i = 0; i < 500; i++) plainFiles[`src/module${i}.ts`] = `export function twice${i}(n: number): number {\n  return n * 2;\n}\n`;
    mkdirSync(join(plain, 'src'), { recursive: true });
    for (const [path, text] of Object.entries(plainFiles)) writeFileSync(join(plain, path), text);
    const eager = await eagerCli(work);
    const lazyRun = timeProcess([CLI, 'check', plain, '--no-cache'], runs * 2);
    const eagerRun = timeProcess([eager, 'check', plain, '--no-cache'], runs * 2);
    console.log(`\ncheck on 500 files without a trigger word (TypeScript never needed):\n`);
    table(
      [
        ['bundle with TypeScript loaded at start (before)', eagerRun],
        ['shipped bundle, TypeScript loaded lazily', lazyRun],
      ],
      eagerRun,
    );
    console.log('(ratios here are to the eager bundle)');
  } finally {
    if (process.argv.includes('--keep')) console.log(`\ntree kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
