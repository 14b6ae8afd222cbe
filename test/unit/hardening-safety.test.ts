// "Never weaken auth silently", checked over every fixture case: what runs without a person's
// choice (fix-all in the editor, on save, and the CLI's `fix`; every preferred quick fix) never
// adds an unauthenticated or cookie auth policy, never turns the default auth policy off,
// never allows guest sign-in outside development, and never turns guest sign-in on in a
// production config.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { configEnvironment } from '../../server/src/engine/config';
import { analyze, fixAll, fixFinding, preferredOption } from '../../server/src/engine/engine';
import { engineOptions, memoryHost, VIRTUAL_ROOT } from '../support/engine';
import { loadCases } from '../support/fixtures';

/** Words only a weaker auth setup contains. */
const WEAKENING = ['unauthenticated', 'user-cookie', 'dangerouslyDisableDefaultAuthPolicy', 'dangerouslyAllowOutsideDevelopment'];

const count = (text: string, word: string) => text.split(word).length - 1;

/** `auth.providers.guest` of a production config: set (not null) means guest sign-in is on. */
function guestOn(fileName: string, text: string): boolean {
  if (configEnvironment(fileName) !== 'production') return false;
  const guest = parseDocument(text).getIn(['auth', 'providers', 'guest']);
  return guest !== undefined && guest !== null;
}

/** What a rewrite added that weakens auth (empty when nothing). */
function weakenings(fileName: string, before: string, after: string): string[] {
  const added = WEAKENING.filter((word) => count(after, word) > count(before, word));
  if (guestOn(fileName, after) && !guestOn(fileName, before)) added.push('guest sign-in in production');
  return added;
}

describe('no fix weakens auth without an explicit choice', () => {
  for (const fixture of loadCases()) {
    it(`${fixture.rule}/${fixture.name}`, () => {
      const inputs = Object.fromEntries(fixture.files.map((f) => [f.path, f.input]));
      const options = engineOptions(memoryHost(inputs), fixture.options.target);
      for (const file of fixture.files) {
        const fileName = `${VIRTUAL_ROOT}/${file.path}`;
        const all = fixAll(fileName, file.input, options);
        assert.deepEqual(weakenings(fileName, file.input, all.text), [], `${file.path}: fix-all`);
        for (const finding of analyze(fileName, file.input, options).findings) {
          const option = preferredOption(finding);
          if (!option) continue;
          const result = fixFinding(fileName, file.input, { ruleId: finding.ruleId, start: finding.range.start, optionId: option.id }, options);
          if (result.ok) assert.deepEqual(weakenings(fileName, file.input, result.text), [], `${file.path}: ${finding.ruleId}/${option.id}`);
        }
      }
    });
  }

  it('the check itself sees each kind of weakening', () => {
    const base = "httpRouter.addAuthPolicy({ path: '/x', allow: 'user' });";
    assert.deepEqual(weakenings('/p/plugin.ts', base, base.replace("'user'", "'unauthenticated'")), ['unauthenticated']);
    assert.deepEqual(weakenings('/p/plugin.ts', base, base.replace("'user'", "'user-cookie'")), ['user-cookie']);
    const config = 'auth:\n  providers: {}\n';
    assert.deepEqual(weakenings('/p/app-config.production.yaml', config, 'auth:\n  providers:\n    guest: {}\n'), ['guest sign-in in production']);
    assert.deepEqual(weakenings('/p/app-config.local.yaml', config, 'auth:\n  providers:\n    guest: {}\n'), []);
    assert.deepEqual(
      weakenings('/p/app-config.yaml', 'backend: {}\n', 'backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n'),
      ['dangerouslyDisableDefaultAuthPolicy'],
    );
  });
});
