// Seeded mutation fuzzing of the engine: damaged versions of real inputs (what an editor sends
// while someone types, pastes or merges), and the promises the engine makes about them.
import { ts } from 'ts-morph';
import { analyze, fixAll, fixFinding, syntaxErrorsIn, type EngineOptions } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { engineOptions, memoryHost, VIRTUAL_ROOT } from './engine';
import { loadCases } from './fixtures';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** Token ranges of the text (comments and whitespace excluded), from the TypeScript scanner. */
function tokens(text: string): { start: number; end: number }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.JSX, text);
  const found: { start: number; end: number }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    found.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
  }
  return found;
}

const splitLines = (text: string) => text.split(/(?<=\n)/);

// Bytes an editor can receive: control characters, lone surrogates, quotes, braces, a BOM,
// non-ASCII letters. (NUL and U+FFFD make the engine skip the file, so they are rarer.)
const NOISE = ['\u0001', '\u001b', '\u007f', '\ud800', '\udc00', '`', "'", '"', '{', '}', '(', ')', '<', '>', '/*', '*/', '//', '\\', '\r', '\n', '\u2028', '\uFEFF', 'é', '😀', '${', '\t', ';', ','];

export const MUTATIONS = {
  deleteToken(text: string, random: Random): string {
    const all = tokens(text);
    if (all.length === 0) return text;
    const token = pick(random, all);
    return text.slice(0, token.start) + text.slice(token.end);
  },
  truncate(text: string, random: Random): string {
    return text.slice(0, between(random, 0, text.length));
  },
  duplicateLine(text: string, random: Random): string {
    const lines = splitLines(text);
    const at = between(random, 0, lines.length - 1);
    lines.splice(at, 0, lines[at]);
    return lines.join('');
  },
  swapLines(text: string, random: Random): string {
    const lines = splitLines(text);
    if (lines.length < 2) return text;
    const a = between(random, 0, lines.length - 1);
    const b = between(random, 0, lines.length - 1);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('');
  },
  insertRandomBytes(text: string, random: Random): string {
    const at = between(random, 0, text.length);
    const count = between(random, 1, 4);
    let noise = '';
    for (let i = 0; i < count; i++) noise += random() < 0.02 ? pick(random, ['\u0000', '\uFFFD']) : pick(random, NOISE);
    return text.slice(0, at) + noise + text.slice(at);
  },
  unbalanceBraces(text: string, random: Random): string {
    const braces = [...text.matchAll(/[{}()[\]]/g)].map((m) => m.index!);
    if (braces.length === 0 || random() < 0.5) {
      const at = between(random, 0, text.length);
      return text.slice(0, at) + pick(random, ['{', '}', '(', ')', '[', ']']) + text.slice(at);
    }
    const at = pick(random, braces);
    return text.slice(0, at) + text.slice(at + 1);
  },
} as const;

export type MutationName = keyof typeof MUTATIONS;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

export function mutate(text: string, random: Random): { mutation: MutationName; text: string } {
  const mutation = pick(random, MUTATION_NAMES);
  return { mutation, text: MUTATIONS[mutation](text, random) };
}

export interface FuzzProblem {
  /** Which promise broke. */
  kind: 'threw' | 'rule-failed' | 'bad-edits' | 'fix-does-not-parse' | 'fix-all-not-idempotent';
  detail: string;
  fileName: string;
  text: string;
}

export interface FuzzCheckOptions {
  /** Check this share of the fix options (0..1). */
  fixSample: number;
  /** Also check that fix-all settles (when the text has a preferred fix). */
  fixAll: boolean;
}

/**
 * Runs the engine over one (mutated) text and checks: nothing throws; rules do not fail;
 * every fix offered (sampled) gives edits that reproduce its text, and that text parses;
 * fix-all settles (fixing its own output changes nothing) and its edits reproduce its text.
 */
export function checkText(
  fileName: string,
  text: string,
  options: EngineOptions,
  random: Random,
  check: FuzzCheckOptions,
): { problems: FuzzProblem[]; fixesTried: number; fixAllRuns: number } {
  const problems: FuzzProblem[] = [];
  const problem = (kind: FuzzProblem['kind'], detail: string) => problems.push({ kind, detail, fileName, text });
  let fixesTried = 0;
  let fixAllRuns = 0;
  try {
    const analysis = analyze(fileName, text, options);
    for (const failure of analysis.failures) problem('rule-failed', `${failure.ruleId}: ${failure.error}`);
    for (const finding of analysis.findings) {
      for (const option of finding.fixes) {
        if (random() >= check.fixSample) continue;
        fixesTried++;
        const ref = { ruleId: finding.ruleId, start: finding.range.start, optionId: option.id };
        const result = fixFinding(fileName, text, ref, options);
        if (!result.ok) continue;
        if (applyEdits(text, result.edits) !== result.text) problem('bad-edits', `${finding.ruleId}/${option.id}`);
        const errors = syntaxErrorsIn(fileName, result.text);
        if (errors.length > 0) problem('fix-does-not-parse', `${finding.ruleId}/${option.id}: ${errors[0]}`);
      }
    }
    if (check.fixAll && analysis.findings.some((f) => f.fixes.some((o) => o.preferred))) {
      fixAllRuns++;
      const once = fixAll(fileName, text, options);
      if (applyEdits(text, once.edits) !== once.text) problem('bad-edits', 'fix-all');
      const twice = fixAll(fileName, once.text, options).text;
      if (twice !== once.text) problem('fix-all-not-idempotent', firstDifference(once.text, twice));
    }
  } catch (error) {
    problem('threw', error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  return { problems, fixesTried, fixAllRuns };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `line ${line}: ${JSON.stringify(a.slice(i, i + 60))} became ${JSON.stringify(b.slice(i, i + 60))}`;
}

export interface FuzzTarget {
  /** Shown in reports, and part of the target's own seed. */
  name: string;
  fileName: string;
  text: string;
  options: EngineOptions;
}

export interface FuzzRun {
  mutations: number;
  byMutation: Record<MutationName, number>;
  fixesTried: number;
  fixAllRuns: number;
  problems: (FuzzProblem & { target: string; mutation: MutationName; seed: number; iteration: number })[];
}

/** A seed of its own for every target, so one target's run does not depend on the others. */
export function targetSeed(seed: number, name: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** `iterations` mutations of `target`, each checked; fix-all runs on a `fixAllSample` share. */
export function fuzzTarget(
  target: FuzzTarget,
  seed: number,
  iterations: number,
  sample: { fixSample: number; fixAllSample: number },
  run: FuzzRun,
): void {
  const random = seededRandom(targetSeed(seed, target.name));
  for (let iteration = 0; iteration < iterations; iteration++) {
    const { mutation, text } = mutate(target.text, random);
    const checkFixAll = random() < sample.fixAllSample;
    const result = checkText(target.fileName, text, target.options, random, { fixSample: sample.fixSample, fixAll: checkFixAll });
    run.mutations++;
    run.byMutation[mutation]++;
    run.fixesTried += result.fixesTried;
    run.fixAllRuns += result.fixAllRuns;
    for (const problem of result.problems) run.problems.push({ ...problem, target: target.name, mutation, seed, iteration });
  }
}

export function emptyRun(): FuzzRun {
  return {
    mutations: 0,
    byMutation: Object.fromEntries(MUTATION_NAMES.map((m) => [m, 0])) as Record<MutationName, number>,
    fixesTried: 0,
    fixAllRuns: 0,
    problems: [],
  };
}

/**
 * What the fuzzers mutate: every input and every expected output of every fixture case (old
 * code, and code already migrated), with the case's other files of the same side as siblings.
 */
export function fuzzTargets(): FuzzTarget[] {
  return loadCases().flatMap((fixture) =>
    (['input', 'output'] as const).flatMap((side) => {
      const host = memoryHost(Object.fromEntries(fixture.files.map((f) => [f.path, f[side]])));
      return fixture.files.map((file) => ({
        name: `${fixture.rule}/${fixture.name}/${side}/${file.path}`,
        fileName: `${VIRTUAL_ROOT}/${file.path}`,
        text: file[side],
        options: engineOptions(host, fixture.options.target),
      }));
    }),
  );
}
