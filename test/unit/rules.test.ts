// Rule metadata, and the hover example of each rule: it is user documentation, so it must be
// exactly what the fix produces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRules } from '../../server/src/rules';
import { engineOptions, fixWithRule } from '../support/engine';

describe('rules', () => {
  it('have unique kebab-case ids', () => {
    const ids = allRules.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)]);
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('links to the official guide', () => {
        assert.match(rule.docsUrl, /^https:\/\/backstage\.io\/docs\//);
      });

      it('has triggers, a title and an explanation', () => {
        assert.ok(rule.triggers.length > 0);
        assert.ok(rule.title.length > 0 && rule.explanation.length > 40);
      });

      it('hover example: fixing "before" gives exactly "after"', () => {
        const fileName = `/virtual/example/${rule.example.fileName ?? 'router.ts'}`;
        const fixed = fixWithRule(fileName, rule.example.before, rule.id, engineOptions(), rule.example.option);
        assert.equal(fixed, rule.example.after);
      });
    });
  }
});
