import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excludeTest } from '../../server/src/lsp/exclude';
import { parseSettings } from '../../server/src/lsp/settings';

describe('backstageAuth.exclude', () => {
  const roots = ['/repo'];

  it('matches paths relative to a workspace folder', () => {
    const excludes = excludeTest(['**/generated/**', 'plugins/legacy-*/**'], roots);
    assert.equal(excludes('/repo/packages/backend/src/generated/api.ts'), true);
    assert.equal(excludes('/repo/plugins/legacy-todo/src/router.ts'), true);
    assert.equal(excludes('/repo/plugins/todo/src/router.ts'), false);
    // Relative patterns are anchored at the folder, not at any depth.
    assert.equal(excludes('/repo/nested/plugins/legacy-todo/src/router.ts'), false);
  });

  it('matches absolute patterns and dot folders', () => {
    assert.equal(excludeTest(['/elsewhere/**'], roots)('/elsewhere/a.ts'), true);
    assert.equal(excludeTest(['**/fixtures/**'], roots)('/repo/.github/fixtures/a.ts'), true);
  });

  it('excludes nothing without patterns', () => {
    assert.equal(excludeTest([], roots)('/repo/a.ts'), false);
  });

  it('is read from the settings: a list of strings, anything else ignored with a problem', () => {
    assert.deepEqual(parseSettings({ exclude: ['**/gen/**', ''] }).settings.exclude, ['**/gen/**']);
    const wrong = parseSettings({ exclude: '**/gen/**' });
    assert.deepEqual(wrong.settings.exclude, []);
    assert.deepEqual(wrong.problems, ['backstageAuth.exclude: expected a list of glob patterns']);
  });
});

describe('backstageAuth.migrationTarget', () => {
  it('is auto unless set to a target; anything else is ignored with a problem', () => {
    assert.equal(parseSettings({}).settings.migrationTarget, 'auto');
    assert.equal(parseSettings({ migrationTarget: 'new-backend-only' }).settings.migrationTarget, 'new-backend-only');
    assert.equal(parseSettings({ migrationTarget: 'legacy-compatible' }).settings.migrationTarget, 'legacy-compatible');
    const wrong = parseSettings({ migrationTarget: 'latest' });
    assert.equal(wrong.settings.migrationTarget, 'auto');
    assert.deepEqual(wrong.problems, ['backstageAuth.migrationTarget: expected one of auto, legacy-compatible, new-backend-only']);
  });
});
