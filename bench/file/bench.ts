// File-level latency of the language server on a ~2,000-line legacy plugin router, as ratios
// to a bare TypeScript parse of the same text measured in the same run (medians, after warm-up).
//   npm run bench:file      (builds dist/, then runs this)
// Options: --lines N (default 2000), --rounds N (default 5), --runs N per block (default 8), --warmup N (default 15),
// --fix-runs N (default 5). The server's JIT needs about 15 analyses of a file this size to
// settle, so the warm-up is long: an editor's server is warm after a few minutes of typing.
import { performance } from 'node:perf_hooks';
import { ts } from 'ts-morph';
import { analyze } from '../../server/src/engine/engine';
import { allRules } from '../../server/src/rules';
import { SERVER_NODE_OPTIONS } from '../../server/src/lsp/heap';
import { isCodeAction, LspClient } from '../../test/support/lsp';
import { generateLegacyRouter } from './generate';

const TARGET_DIAGNOSTICS_RATIO = 3;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timedBlock(runs: number, once: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main(): Promise<void> {
  const lines = option('lines', 2000);
  const runs = option('runs', 8);
  const roundCount = option('rounds', 5);
  const warmup = option('warmup', 15);
  const fixRuns = option('fix-runs', 5);
  const text = generateLegacyRouter(lines);
  const fileName = '/bench/plugins/library-backend/src/service/router.ts';

  // The server as the VS Code client starts it (its heap settings included).
  const client = await LspClient.start({ settings: { debounceMs: 0 }, nodeArgs: [...SERVER_NODE_OPTIONS] });
  let opened = 0;
  const openFresh = async () => {
    // A new document each time: nothing is cached for it.
    const uri = `file:///bench/plugins/library-backend/src/service/router-${opened++}.ts`;
    await client.open(uri, text, 1);
    return uri;
  };

  // The baseline: the one parse every analysis needs, exactly as the engine calls it.
  const parseOnce = () => void ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const analyzeOnce = () => void analyze(fileName, text, { rules: allRules });
  let findings = 0;
  const diagnosticsOnce = async () => {
    const uri = await openFresh();
    findings = (await client.diagnostics(uri, 1)).length;
    await client.close(uri);
  };
  // Each measurement runs in a block of its own (steady state: it pays for its own garbage and
  // no other's), and the three blocks alternate round after round, so load on this shared
  // machine drifts over all of them alike; a ratio is the median of the rounds' own ratios.
  // (diagnostics: the close is inside the timed block; it is one small notification.)
  for (let i = 0; i < warmup; i++) {
    parseOnce();
    analyzeOnce();
    await diagnosticsOnce();
  }
  const rounds: { parse: number; analyze: number; diagnostics: number }[] = [];
  for (let round = 0; round < roundCount; round++) {
    rounds.push({
      parse: await timedBlock(runs, parseOnce),
      analyze: await timedBlock(runs, analyzeOnce),
      diagnostics: await timedBlock(runs, diagnosticsOnce),
    });
  }
  const parse = median(rounds.map((r) => r.parse));
  const engineAnalyze = median(rounds.map((r) => r.analyze));
  const diagnostics = median(rounds.map((r) => r.diagnostics));
  const analyzeRatio = median(rounds.map((r) => r.analyze / r.parse));
  const diagnosticsRatio = median(rounds.map((r) => r.diagnostics / r.parse));

  // Fix-all as `editor.codeActionsOnSave` runs it: request the source action, resolve its edit.
  const fixAllTimes: number[] = [];
  let edits = 0;
  for (let i = -1; i < fixRuns; i++) {
    const uri = await openFresh();
    await client.diagnostics(uri, 1);
    const start = performance.now();
    const items = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.backstageAuth']);
    const action = items.filter(isCodeAction)[0];
    const edit = action ? await client.editOf(action) : undefined;
    if (i >= 0) fixAllTimes.push(performance.now() - start);
    edits = edit?.documentChanges?.reduce((n, change) => n + ('edits' in change ? change.edits.length : 0), 0) ?? 0;
    await client.close(uri);
  }
  await client.stop();
  const fixAll = median(fixAllTimes);

  const row = (label: string, ms: number, ratio: number) =>
    `| ${label.padEnd(44)} | ${ms.toFixed(1).padStart(9)} | ${`${ratio.toFixed(2)}x`.padStart(8)} |`;
  console.log(`bench:file  ${text.split('\n').length} lines, ${text.length} characters, ${findings} diagnostics, fix-all: ${edits} edits`);
  console.log(`node ${process.version}, ${allRules.length} rules; ${roundCount} rounds after ${warmup} warm-ups, each a block of ${runs} parses, ${runs} analyses, ${runs} didOpens;`);
  console.log(`"vs parse" is the median of the rounds' own ratios of block medians (fix-all: median of ${fixRuns} runs after 1, vs the median parse)\n`);
  console.log(`| ${'measurement'.padEnd(44)} | ${'median ms'.padStart(9)} | ${'vs parse'.padStart(8)} |`);
  console.log(`|${'-'.repeat(46)}|${'-'.repeat(11)}|${'-'.repeat(10)}|`);
  console.log(row('bare ts.createSourceFile parse (baseline)', parse, 1));
  console.log(row('engine analyze, in process', engineAnalyze, analyzeRatio));
  console.log(row('didOpen -> publishDiagnostics (debounce 0)', diagnostics, diagnosticsRatio));
  console.log(row('fix-all: source.fixAll code action + resolve', fixAll, fixAll / parse));
  const ratio = diagnosticsRatio;
  console.log(`\ndiagnostics within ${TARGET_DIAGNOSTICS_RATIO}x the bare parse: ${ratio <= TARGET_DIAGNOSTICS_RATIO ? 'yes' : 'NO'} (${ratio.toFixed(2)}x)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
