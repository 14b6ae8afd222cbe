// Every fixed fixture must compile against the real @backstage/* packages of its target:
// legacy-compatible outputs against the 1.24/1.25-era set pinned in devDependencies,
// new-backend-only outputs against bs-1x (backend-plugin-api 1.x, see sets/sets.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MigrationTarget } from '../../server/src/engine/targets';
import { loadCases } from '../support/fixtures';
import { compileErrors, ensureInstalled, SET_OF_TARGET, targetOfFixtureFile } from './sets/sets';

describe('typecheck of fixed fixtures against the pinned Backstage packages', () => {
  const roots: Record<MigrationTarget, string[]> = { 'legacy-compatible': [], 'new-backend-only': [] };
  for (const fixture of loadCases()) {
    if (fixture.options.noTypecheck) continue;
    for (const file of fixture.files) {
      if (!/\.tsx?$/.test(file.path)) continue;
      const outputName = fixture.folder ? join('output', file.path) : `output${file.path.slice(file.path.lastIndexOf('.'))}`;
      roots[targetOfFixtureFile(fixture, file)].push(join(fixture.dir, outputName));
    }
  }

  it(`compiles ${roots['legacy-compatible'].length} legacy-compatible outputs against the root set (1.24/1.25 era)`, () => {
    assert.deepEqual(compileErrors(roots['legacy-compatible'], SET_OF_TARGET['legacy-compatible']), []);
  });

  it(`compiles ${roots['new-backend-only'].length} new-backend-only outputs against bs-1x (backend-plugin-api 1.x)`, { timeout: 20 * 60_000 }, () => {
    assert.ok(roots['new-backend-only'].length > 0, 'no new-backend-only fixture cases');
    const set = SET_OF_TARGET['new-backend-only']!;
    const failed = ensureInstalled(set);
    assert.equal(failed, undefined);
    assert.deepEqual(compileErrors(roots['new-backend-only'], set), []);
  });
});
