// The bundled example is the product's showcase: what `fix` makes of it (run until it settles,
// exactly as the CLI does it) must be the reviewed goldens in test/golden/, file for file, and
// what is left must be exactly the recorded list. This test only compares; after a deliberate
// change run `npm run golden:examples` and review the diff line by line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fixExamples, GOLDEN_SUMMARY, GOLDEN_TREE, sourceFiles, type FixedExamples } from '../golden/fixExamples';

describe('the bundled example, fixed', () => {
  let fixed: FixedExamples;
  const golden = sourceFiles(GOLDEN_TREE);
  before(async () => {
    fixed = await fixExamples();
  });

  it('has the same source files as the goldens', () => {
    assert.deepEqual([...fixed.files.keys()], [...golden.keys()]);
  });

  for (const [path, expected] of golden) {
    it(`${path} equals its golden`, () => {
      assert.equal(fixed.files.get(path), expected);
    });
  }

  it('takes the recorded fix runs and leaves exactly the recorded findings', () => {
    assert.deepEqual(fixed.summary, JSON.parse(readFileSync(GOLDEN_SUMMARY, 'utf8')));
  });
});
