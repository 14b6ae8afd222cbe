import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { withRulesTable } from '../../scripts/rules-table';

it('README lists exactly the registered rules (run `npm run docs:rules` after adding one)', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  assert.equal(withRulesTable(readme), readme);
});
