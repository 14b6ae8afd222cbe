// The cross-rule inputs are realistic code and their fixed versions still compile: both sets are
// compiled against the pinned Backstage packages (test/unit/cross-rule.test.ts holds the fixed
// versions equal to what "fix all" produces).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileErrors } from '../support/typecheck';

const CROSS_RULE = join(__dirname, '..', 'golden', 'cross-rule');

describe('typecheck of the cross-rule cases against the pinned Backstage packages', () => {
  const roots = readdirSync(CROSS_RULE)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(CROSS_RULE, name));

  it(`compiles ${roots.length} files (before and after) without errors`, () => {
    assert.ok(roots.some((r) => r.endsWith('.after.ts')) && roots.some((r) => r.endsWith('.before.ts')));
    assert.deepEqual(compileErrors(roots), []);
  });
});
