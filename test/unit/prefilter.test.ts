// The shared prefilter (one search for every trigger word) decides exactly as the rules'
// own trigger lists do: for every fixture file, with all rules on, with some turned off, and
// for source and config files alike.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isConfigFile } from '../../server/src/engine/config';
import { needsParse, rulesTriggeredBy } from '../../server/src/engine/prefilter';
import { isConfigRule, type AnyRule } from '../../server/src/engine/types';
import { allRules } from '../../server/src/rules';

const FIXTURES = join(__dirname, '..', 'fixtures');

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? fixtureFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** What the engine's per-rule test says: an enabled rule of the file's language has a trigger in it. */
function expected(fileName: string, text: string, rules: readonly AnyRule[], severities: Record<string, 'off'>): boolean {
  const config = isConfigFile(fileName);
  return rulesTriggeredBy(text, { rules, severities }).some((rule) => isConfigRule(rule) === config);
}

describe('trigger prefilter', () => {
  const files = fixtureFiles(FIXTURES).filter((f) => /\.(ts|tsx|js|cjs|mjs|jsx|ya?ml)$/.test(f) && !f.endsWith('.d.ts'));
  const offHalf = Object.fromEntries(allRules.filter((_, i) => i % 2 === 0).map((rule) => [rule.id, 'off' as const]));

  it('agrees with the rules’ trigger lists on every fixture file', () => {
    assert.ok(files.length > 50);
    for (const severities of [{}, offHalf]) {
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        assert.equal(needsParse(file, text, { rules: allRules, severities }), expected(file, text, allRules, severities), file);
      }
    }
  });

  it('never parses a file with no trigger word, a file of another kind, or a refused file', () => {
    assert.equal(needsParse('/w/a.ts', 'export const a = 1;\n', { rules: allRules }), false);
    assert.equal(needsParse('/w/readme.md', 'PermissionEvaluator', { rules: allRules }), false);
    assert.equal(needsParse('/w/a.ts', 'PermissionEvaluator\u0000', { rules: allRules }), false);
    assert.equal(needsParse('/w/a.ts', 'const p: PermissionEvaluator = x;', { rules: allRules, maxFileSize: 10 }), false);
    assert.equal(needsParse('/w/a.ts', 'const p: PermissionEvaluator = x;', { rules: allRules }), true);
    // A config rule's trigger word does not make a source file worth parsing, nor the reverse.
    assert.equal(needsParse('/w/app-config.yaml', 'permissions: PermissionEvaluator\n', { rules: allRules }), false);
  });

  it('takes trigger words literally (no pattern characters)', () => {
    const rule = { ...allRules.find((r) => !isConfigRule(r))!, id: 'literal', triggers: ['Router(', 'a.b'] } as AnyRule;
    assert.equal(needsParse('/w/a.ts', 'createRouter(options)', { rules: [rule] }), true);
    assert.equal(needsParse('/w/a.ts', 'Router options', { rules: [rule] }), false);
    assert.equal(needsParse('/w/a.ts', 'axb', { rules: [rule] }), false);
  });
});
