// Seeded fuzzing over every fixture input and output (deterministic: the same mutations on every run).
// Damaged code must never make the engine throw; any fix it still offers must reparse, and
// fix-all must settle. The longer run is `npm run bench:fuzz`; a problem found there becomes a
// unit test of its own (see hardening-input.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rule } from '../../server/src/engine/types';
import { permissionEvaluatorType } from '../../server/src/rules/permission-evaluator-type';
import { checkText, emptyRun, fuzzTarget, fuzzTargets, MUTATION_NAMES, MUTATIONS, seededRandom } from '../support/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20240424);
const TOTAL_MUTATIONS = 2000;
const SAMPLE = { fixSample: 0.25, fixAllSample: 0.05 };

const targets = fuzzTargets();
const perTarget = Math.ceil(TOTAL_MUTATIONS / Math.max(1, targets.length));

describe('fuzz: the mutations themselves', () => {
  it('are deterministic for a seed', () => {
    const text = 'const a = { b: [1, 2] };\nfunction f() {\n  return a;\n}\n';
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return MUTATION_NAMES.map((name) => MUTATIONS[name](text, random));
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
  });

  it('each damages the text the way its name says', () => {
    const text = 'const a = 1;\nconst b = 2;\n';
    const random = seededRandom(3);
    assert.ok(text.startsWith(MUTATIONS.truncate(text, random)));
    assert.equal(MUTATIONS.duplicateLine(text, random).split('\n').length, 4);
    assert.deepEqual(MUTATIONS.swapLines('a\nb', () => 0.9).split('\n').sort(), ['a', 'b']);
    assert.ok(MUTATIONS.deleteToken(text, random).length < text.length);
    assert.ok(MUTATIONS.insertRandomBytes(text, random).length > text.length);
    assert.notEqual(MUTATIONS.unbalanceBraces('f({ a: [1] });', random), 'f({ a: [1] });');
  });
});

describe('fuzz: the checks catch what they are for', () => {
  it('a rule that throws on damaged input is reported with the text that made it throw', () => {
    const fragile: Rule = {
      ...permissionEvaluatorType,
      id: 'fragile',
      detect: (ctx) => {
        if (!ctx.text.includes('}')) throw new Error('no closing brace');
        return [];
      },
    };
    const text = 'interface A { p: PermissionEvaluator; }';
    const result = checkText('/p/a.ts', text.replace('}', ''), { rules: [fragile] }, seededRandom(1), { fixSample: 1, fixAll: true });
    assert.deepEqual(result.problems, [
      { kind: 'rule-failed', detail: 'fragile: no closing brace', fileName: '/p/a.ts', text: 'interface A { p: PermissionEvaluator; ' },
    ]);
  });

  it('fix options and fix-all are checked when offered', () => {
    const text = "import { PermissionEvaluator } from '@backstage/plugin-permission-common';\nlet p: PermissionEvaluator;\n";
    const result = checkText('/p/a.ts', text, { rules: [permissionEvaluatorType] }, seededRandom(1), { fixSample: 1, fixAll: true });
    assert.deepEqual(result, { problems: [], fixesTried: 1, fixAllRuns: 1 });
  });
});

describe(`fuzz: ${perTarget} mutations of each of ${targets.length} fixture files (seed ${SEED})`, () => {
  for (const target of targets) {
    it(target.name, () => {
      const run = emptyRun();
      fuzzTarget(target, SEED, perTarget, SAMPLE, run);
      assert.equal(run.mutations, perTarget);
      // A problem prints its kind, detail and the exact mutated text: paste it into a unit test.
      assert.deepEqual(
        run.problems.map((p) => ({ kind: p.kind, detail: p.detail.split('\n')[0], iteration: p.iteration, text: p.text })),
        [],
      );
    });
  }
});
