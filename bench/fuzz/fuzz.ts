// A longer fuzz run than the unit test's: every fixture input and output, mutated
// `--iterations` times in total (spread evenly), every fix option checked, fix-all checked on
// a share of them.
//   npm run bench:fuzz -- --seed 7 --iterations 20000 [--fix-all-share 0.3] [--show 5]
// Prints counts per mutation and per problem kind; each problem comes with the seed, target
// and iteration that reproduce it (test/support/fuzz.ts `fuzzTarget`). Exit code 1 on problems.
import { performance } from 'node:perf_hooks';
import { emptyRun, fuzzTarget, fuzzTargets, type FuzzTarget } from '../../test/support/fuzz';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number (got ${process.argv[index + 1]})`);
  return value;
}

const seed = option('seed', 1);
const iterations = option('iterations', 5000);
const fixAllShare = option('fix-all-share', 0.3);
const show = option('show', 5);

const targets: FuzzTarget[] = fuzzTargets();
const perTarget = Math.max(1, Math.ceil(iterations / targets.length));
const run = emptyRun();
const started = performance.now();
for (const target of targets) fuzzTarget(target, seed, perTarget, { fixSample: 1, fixAllSample: fixAllShare }, run);
const seconds = (performance.now() - started) / 1000;

console.log(`seed ${seed}: ${run.mutations} mutations of ${targets.length} fixture files in ${seconds.toFixed(1)} s`);
console.log(`  by mutation: ${Object.entries(run.byMutation).map(([m, n]) => `${m} ${n}`).join(', ')}`);
console.log(`  fix options checked: ${run.fixesTried}, fix-all checked: ${run.fixAllRuns}`);
const kinds = new Map<string, number>();
for (const p of run.problems) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
console.log(`  problems: ${run.problems.length}${[...kinds].map(([k, n]) => `, ${k} ${n}`).join('')}`);
for (const p of run.problems.slice(0, show)) {
  console.log(`\n[${p.kind}] ${p.target} (${p.mutation}, seed ${p.seed}, iteration ${p.iteration})\n  ${p.detail.split('\n')[0]}`);
  console.log(`  input: ${JSON.stringify(p.text)}`);
}
process.exitCode = run.problems.length > 0 ? 1 : 0;
