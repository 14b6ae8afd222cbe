// The fixed bundled example (its goldens, which test/unit/examples.test.ts holds equal to what
// `fix` produces) compiles against the pinned Backstage packages, like the fixture outputs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GOLDEN_TREE, sourceFiles } from '../golden/fixExamples';
import { compileErrors } from '../support/typecheck';

/** Fixed files that cannot be compiled here, and why. */
const NOT_COMPILED: Record<string, string> = {
  'packages/backend/src/index.ts':
    'the backend entry point imports @backstage/backend-defaults and the installed plugins, which are not in the pinned set',
};

describe('typecheck of the fixed example against the pinned Backstage packages', () => {
  const sources = [...sourceFiles(GOLDEN_TREE).keys()].filter((path) => /\.tsx?$/.test(path));
  const roots = sources.filter((path) => !(path in NOT_COMPILED)).map((path) => join(GOLDEN_TREE, path));

  it('leaves out only the files it says why for', () => {
    assert.deepEqual(sources.filter((path) => path in NOT_COMPILED), Object.keys(NOT_COMPILED));
  });

  it(`compiles its ${roots.length} files without errors`, () => {
    assert.deepEqual(compileErrors(roots), []);
  });
});
