import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimalEdits } from '../../server/src/engine/edits';
import { fixAll } from '../../server/src/engine/engine';
import { attributeEdits } from '../../server/src/engine/setup/ruleAttribution';
import type { TextEdit } from '../../server/src/engine/types';
import { engineOptions } from '../support/engine';

const edit = (start: number, end: number, newText: string): TextEdit => ({ range: { start, end }, newText });

describe('attributing fix-all edits to rules', () => {
  it('maps each fix back through the fixes before it', () => {
    const original = 'abc\ndef\nghi\n';
    const a = [edit(0, 3, 'ABCDE')]; // 'ABCDE\ndef\nghi\n'
    const b = [edit(10, 13, 'G')]; //   'ABCDE\ndef\nG\n'
    const c = [edit(5, 5, '!')]; //     'ABCDE!\ndef\nG\n' (right after the text rule a wrote)
    const final = 'ABCDE!\ndef\nG\n';
    const combined = minimalEdits(original, final);
    assert.deepEqual(combined, [edit(0, 3, 'ABCDE!'), edit(8, 11, 'G')]);
    const applied = [
      { ruleId: 'rule-a', edits: a },
      { ruleId: 'rule-b', edits: b },
      { ruleId: 'rule-c', edits: c },
    ];
    assert.deepEqual(attributeEdits(combined, applied), [
      { edit: combined[0], ruleIds: ['rule-a', 'rule-c'] },
      { edit: combined[1], ruleIds: ['rule-b'] },
    ]);
  });

  it('an edit no fix touched has no rule', () => {
    assert.deepEqual(attributeEdits([edit(20, 21, 'x')], [{ ruleId: 'a', edits: [edit(0, 1, 'y')] }]), [
      { edit: edit(20, 21, 'x'), ruleIds: [] },
    ]);
  });

  it('attributes the edits of a real fix-all', () => {
    const source = [
      "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
      'export interface Options {',
      '  permissions: PermissionEvaluator;',
      '}',
      '',
    ].join('\n');
    const result = fixAll('/p/router.ts', source, engineOptions());
    assert.ok(result.edits.length > 0);
    const attributed = attributeEdits(result.edits, result.applied);
    assert.deepEqual(
      attributed.map((a) => a.ruleIds),
      result.edits.map(() => ['permission-evaluator-type']),
    );
  });
});
