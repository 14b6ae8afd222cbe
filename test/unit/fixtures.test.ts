// One generic runner for every fixture case of every rule (test/fixtures/<rule>/<case>).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, syntaxErrorsIn } from '../../server/src/engine/engine';
import { isConfigFile } from '../../server/src/engine/config';
import { isSourceFile } from '../../server/src/engine/source';
import { ruleById } from '../../server/src/rules';
import { loadCases } from '../support/fixtures';
import { commentsOf, engineOptions, fixWithRule, memoryHost, VIRTUAL_ROOT } from '../support/engine';

const cases = loadCases();

describe('fixtures', () => {
  it('exist for every rule (at least two cases each)', { skip: !!process.env.FIXTURES }, () => {
    const { allRules } = require('../../server/src/rules') as typeof import('../../server/src/rules');
    for (const rule of allRules) {
      const count = cases.filter((c) => c.rule === rule.id).length;
      assert.ok(count >= 2, `rule ${rule.id} has ${count} fixture cases`);
    }
  });

  for (const fixture of cases) {
    describe(`${fixture.rule}/${fixture.name}`, () => {
      assert.ok(ruleById(fixture.rule), `fixture folder ${fixture.rule} names no rule`);
      const inputs = Object.fromEntries(fixture.files.map((f) => [f.path, f.input]));
      const outputs = Object.fromEntries(fixture.files.map((f) => [f.path, f.output]));

      for (const file of fixture.files) {
        const fileName = `${VIRTUAL_ROOT}/${file.path}`;

        it(`${file.path}: fixing gives exactly the expected output`, () => {
          const fixed = fixWithRule(fileName, file.input, fixture.rule, engineOptions(memoryHost(inputs), fixture.options.target), fixture.options.choose);
          assert.equal(fixed, file.output);
        });

        it(`${file.path}: fixing again changes nothing`, () => {
          const again = fixWithRule(fileName, file.output, fixture.rule, engineOptions(memoryHost(outputs), fixture.options.target), fixture.options.choose);
          assert.equal(again, file.output);
        });

        // Cases may carry a package.json and lockfile (the versions that pick the target).
        if (isSourceFile(file.path) || isConfigFile(file.path)) {
          it(`${file.path}: the output parses`, () => {
            assert.deepEqual(syntaxErrorsIn(fileName, file.output), []);
          });
        }

        if (!fixture.options.dropsComments) {
          it(`${file.path}: every comment survives`, () => {
            const after = commentsOf(file.output, file.path);
            for (const comment of commentsOf(file.input, file.path)) assert.ok(after.includes(comment), `lost comment: ${comment}`);
          });
        }
      }

      if (fixture.expectedFindings !== undefined) {
        it('reports exactly the expected findings', () => {
          const actual = fixture.files.flatMap((file) => {
            const fileName = `${VIRTUAL_ROOT}/${file.path}`;
            const text = file.input;
            const { findings } = analyze(fileName, text, engineOptions(memoryHost(inputs), fixture.options.target));
            return findings
              .filter((f) => f.ruleId === fixture.rule)
              .map((f) => {
                const start = lineAndColumn(text, f.range.start);
                const end = lineAndColumn(text, f.range.end);
                return {
                  file: file.path,
                  range: `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`,
                  message: f.message,
                  fixes: f.fixes.map((o) => `${o.id}${o.preferred ? ' (preferred)' : ''}`),
                  ...(f.notFixableReason ? { notFixableReason: f.notFixableReason } : {}),
                };
              });
          });
          assert.deepEqual(actual, fixture.expectedFindings);
        });
      }
    });
  }
});

function lineAndColumn(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
