// Every fixture case again with CRLF line endings, and again with a byte order mark: the fix
// must give exactly the expected output converted the same way (line breaks and BOM kept).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCases, type FixtureCase } from '../support/fixtures';
import { engineOptions, fixWithRule, memoryHost, VIRTUAL_ROOT } from '../support/engine';

const cases = loadCases();

const toCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const withBom = (text: string) => '\uFEFF' + text;

const VARIANTS: [string, (text: string) => string][] = [
  ['CRLF', toCrlf],
  ['BOM', withBom],
  ['CRLF + BOM', (text) => withBom(toCrlf(text))],
];

function fixConverted(fixture: FixtureCase, convert: (text: string) => string): void {
  const inputs = Object.fromEntries(fixture.files.map((f) => [f.path, convert(f.input)]));
  for (const file of fixture.files) {
    const fileName = `${VIRTUAL_ROOT}/${file.path}`;
    const fixed = fixWithRule(fileName, convert(file.input), fixture.rule, engineOptions(memoryHost(inputs), fixture.options.target), fixture.options.choose);
    assert.equal(fixed, convert(file.output), `${file.path}`);
  }
}

describe('line endings and byte order marks survive every fix', () => {
  for (const [variant, convert] of VARIANTS) {
    describe(variant, () => {
      for (const fixture of cases) {
        it(`${fixture.rule}/${fixture.name}`, () => fixConverted(fixture, convert));
      }
    });
  }
});
