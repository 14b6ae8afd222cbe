import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { suppressionEdit } from '../../server/src/engine/suppressions';
import { engineOptions } from '../support/engine';

const source = [
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  'export interface Options {',
  '  permissions: PermissionEvaluator;',
  '  fallback: PermissionEvaluator;',
  '}',
  '',
].join('\n');

const rulesAt = (text: string) =>
  analyze('/p/router.ts', text, engineOptions()).findings.map((f) => `${f.ruleId}@${f.range.start}`);

describe('inline suppressions', () => {
  it('the quick-fix edit inserts an indented comment naming the rule, which hides that finding only', () => {
    const { findings } = analyze('/p/router.ts', source, engineOptions());
    assert.equal(findings.length, 2);
    const edit = suppressionEdit(source, findings[0]);
    const suppressed = applyEdits(source, [edit]);
    assert.equal(
      suppressed.split('\n')[2],
      '  // backstage-auth-ignore-next-line permission-evaluator-type',
    );
    assert.deepEqual(rulesAt(suppressed), [`permission-evaluator-type@${findings[1].range.start + edit.newText.length}`]);
  });

  it('a directive without rule ids hides every rule on the next line; other ids hide nothing', () => {
    const all = source.replace('  fallback', '  // backstage-auth-ignore-next-line\n  fallback');
    assert.equal(rulesAt(all).length, 1);
    const other = source.replace('  fallback', '  // backstage-auth-ignore-next-line token-manager-get-token\n  fallback');
    assert.equal(rulesAt(other).length, 2);
  });

  it('keeps CRLF line endings in the inserted comment', () => {
    const crlf = source.replace(/\n/g, '\r\n');
    const { findings } = analyze('/p/router.ts', crlf, engineOptions());
    assert.equal(suppressionEdit(crlf, findings[0]).newText, '  // backstage-auth-ignore-next-line permission-evaluator-type\r\n');
  });
});
