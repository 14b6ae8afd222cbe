// Where an analysis spends its time, rule by rule: the bench:file router (2,000 lines) and,
// optionally, every file of a folder that passes the trigger prefilter. Each rule's detect is
// timed inside one normal analysis (so facts shared through ctx.shared are charged to the
// first rule that asks for them), next to the bare parse and the whole analysis.
//   node --import tsx bench/rules/bench.ts [--lines 2000] [--runs 20] [--folder <path>]
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/engine/engine';
import { needsParse } from '../../server/src/engine/prefilter';
import { parseSource } from '../../server/src/engine/source';
import type { AnyRule } from '../../server/src/engine/types';
import { collectSourceFiles } from '../../server/src/cli/files/walk';
import { flattenForDetection } from '../../server/src/engine/preorder';
import { callsNamed, findAll, identifiersBelow, nodesOfKind } from '../../server/src/rules/shared/ast';
import { ts } from 'ts-morph';
import { allRules } from '../../server/src/rules';
import { generateLegacyRouter } from '../file/generate';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

interface Sample {
  fileName: string;
  text: string;
}

function timedRules(spent: Map<string, number>): AnyRule[] {
  return allRules.map((rule) => {
    const detect = rule.detect as (ctx: unknown) => ReturnType<AnyRule['detect']>;
    return {
      ...rule,
      detect(ctx: unknown) {
        const start = performance.now();
        try {
          return detect(ctx);
        } finally {
          spent.set(rule.id, (spent.get(rule.id) ?? 0) + performance.now() - start);
        }
      },
    } as AnyRule;
  });
}

function measure(label: string, samples: Sample[], runs: number): void {
  const spent = new Map<string, number>();
  const rules = timedRules(spent);
  const warm = () => samples.forEach((s) => analyze(s.fileName, s.text, { rules: allRules }));
  for (let i = 0; i < 5; i++) warm();

  let parse = 0;
  let whole = 0;
  for (let run = 0; run < runs; run++) {
    for (const s of samples) {
      let start = performance.now();
      parseSource(s.fileName, s.text);
      parse += performance.now() - start;
      start = performance.now();
      analyze(s.fileName, s.text, { rules });
      whole += performance.now() - start;
    }
  }
  const per = (ms: number) => ms / runs;
  const row = (name: string, ms: number) =>
    `| ${name.padEnd(38)} | ${per(ms).toFixed(2).padStart(10)} | ${`${(ms / parse).toFixed(2)}x`.padStart(9)} |`;
  console.log(`\n${label}: ${samples.length} file(s), ${samples.reduce((n, s) => n + s.text.split('\n').length, 0)} lines, ms per pass (mean of ${runs})\n`);
  console.log(`| ${'rule'.padEnd(38)} | ${'ms'.padStart(10)} | ${'vs parse'.padStart(9)} |`);
  console.log(`|${'-'.repeat(40)}|${'-'.repeat(12)}|${'-'.repeat(11)}|`);
  console.log(row('bare parse (baseline)', parse));
  console.log(row('whole analysis (parse + rules)', whole));
  for (const [id, ms] of [...spent].sort((a, b) => b[1] - a[1])) console.log(row(id, ms));
}

const runs = Number(option('runs') ?? 20);
measure('bench:file router', [{ fileName: '/bench/plugins/library-backend/src/service/router.ts', text: generateLegacyRouter(Number(option('lines') ?? 2000)) }], runs);

const folder = option('folder');
if (folder) {
  const samples = collectSourceFiles([folder], process.cwd())
    .files.map((t) => ({ fileName: t.absolute, text: readFileSync(t.absolute, 'utf8') }))
    .filter((s) => needsParse(s.fileName, s.text, { rules: allRules }));
  measure(`files of ${folder} that pass the prefilter`, samples, Math.max(1, Math.floor(runs / 10)));
}

// What the flattened detection tree (server/src/engine/preorder.ts) saves: flattening once, then
// lookups, against the recursive full-tree walk every search would otherwise make.
{
  const text = generateLegacyRouter(Number(option('lines') ?? 2000));
  const time = (work: () => void) => {
    for (let i = 0; i < 5; i++) work();
    const start = performance.now();
    for (let i = 0; i < runs; i++) work();
    return (performance.now() - start) / runs;
  };
  const plain = parseSource('/bench/router.ts', text);
  const walkMs = time(() => findAll(plain, ts.isCallExpression));
  const flattenMs = time(() => flattenForDetection(parseSource('/bench/router.ts', text))) - time(() => parseSource('/bench/router.ts', text));
  const flat = parseSource('/bench/router.ts', text);
  flattenForDetection(flat);
  const lookupMs = time(() => {
    callsNamed(flat, ['getToken']);
    identifiersBelow(flat, 'identity');
    nodesOfKind(flat, ts.SyntaxKind.TypeReference);
  });
  console.log(`\ndetection index on the bench:file router (ms per call):`);
  console.log(`  one recursive full-tree walk (findAll on an unflattened tree): ${walkMs.toFixed(2)}`);
  console.log(`  flattening once (order, kinds):                              ${flattenMs.toFixed(2)}`);
  console.log(`  three lookups in it (first ones build name tables):          ${lookupMs.toFixed(3)}`);
}
