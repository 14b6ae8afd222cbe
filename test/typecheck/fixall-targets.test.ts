// Fixing everything in a legacy router gives code that compiles against the packages of the
// target it was fixed for (the text itself is checked in test/unit/versions-targets.test.ts).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXED_LEGACY_COMPATIBLE, FIXED_NEW_BACKEND_ONLY, LEGACY_ROUTER } from './sets/fixAllRouter';
import { compileErrors, ensureInstalled, REPO_ROOT, SET_OF_TARGET } from './sets/sets';

const DIR = join(REPO_ROOT, '.test-tmp', 'fixall-targets');

function written(name: string, text: string): string {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, name), text);
  return join(DIR, name);
}

describe('fix-all outputs per target', () => {
  it('the legacy input compiles against the root set, not against bs-1x', { timeout: 20 * 60_000 }, () => {
    const input = written('input.ts', LEGACY_ROUTER);
    assert.deepEqual(compileErrors([input], SET_OF_TARGET['legacy-compatible']), []);
    assert.equal(ensureInstalled(SET_OF_TARGET['new-backend-only']!), undefined);
    assert.notDeepEqual(compileErrors([input], SET_OF_TARGET['new-backend-only']), []);
  });

  it('legacy-compatible output compiles against the root set', () => {
    assert.deepEqual(compileErrors([written('legacy-compatible.ts', FIXED_LEGACY_COMPATIBLE)], SET_OF_TARGET['legacy-compatible']), []);
  });

  it('new-backend-only output compiles against bs-1x', { timeout: 20 * 60_000 }, () => {
    assert.equal(ensureInstalled(SET_OF_TARGET['new-backend-only']!), undefined);
    assert.deepEqual(compileErrors([written('new-backend-only.ts', FIXED_NEW_BACKEND_ONLY)], SET_OF_TARGET['new-backend-only']), []);
  });
});
