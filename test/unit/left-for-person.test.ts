// whyLeftForPerson: the one decision behind "needs a person: ... why: ..." in the CLI's fix
// report and the language server's migrate commands, over a small rule made for the purpose.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whyNotFixable } from '../../server/src/cli/report';
import { analyze, fixAll, type EngineOptions } from '../../server/src/engine/engine';
import { whyLeftForPerson, type LeftForPersonWording } from '../../server/src/engine/leftForPerson';
import { ts } from 'ts-morph';
import { FixRefusal, type Rule, type RuleFinding } from '../../server/src/engine/types';
import { calleeName, findAll, stringValue } from '../../server/src/rules/shared/ast';

/**
 * Flags `legacyLookup('<mode>')`; the mode decides what the fix can do: `rename` renames the
 * call, `refuse` refuses, `unchanged` changes nothing, `choose` offers two options and no
 * preferred one, `none` offers no fix.
 */
const lookupRule: Rule = {
  id: 'legacy-lookup',
  title: 'Legacy lookup',
  severity: 'warning',
  docsUrl: 'https://backstage.io/docs/tutorials/auth-service-migration',
  explanation: 'legacyLookup is gone.',
  example: { before: "legacyLookup('rename');\n", after: "lookup('rename');\n" },
  triggers: ['legacyLookup'],
  detect(ctx) {
    const calls = findAll(ctx.sourceFile, ts.isCallExpression).filter((call) => calleeName(call) === 'legacyLookup');
    return calls.map((call): RuleFinding => {
      const mode = stringValue(call.arguments[0]) ?? '';
      const finding = { range: { start: call.getStart(ctx.sourceFile), end: call.getEnd() }, message: `legacyLookup (${mode})`, data: { mode } };
      if (mode === 'none') return { ...finding, notFixableReason: 'the lookup result is cached across plugins' };
      if (mode === 'choose') {
        return {
          ...finding,
          fixes: [
            { id: 'user', title: 'Look up as the user', preferred: false },
            { id: 'service', title: 'Look up as the service', preferred: false },
          ],
        };
      }
      return { ...finding, fixes: [{ id: 'rename', title: 'Use lookup', preferred: true }] };
    });
  },
  fix(ctx, finding) {
    if (finding.data?.mode === 'refuse') throw new FixRefusal('the lookup result is compared with a user token');
    if (finding.data?.mode === 'rename') ctx.sourceFile.getDescendantAtPos(finding.range.start)!.replaceWithText('lookup');
  },
};

const OPTIONS: EngineOptions = { rules: [lookupRule] };
const WORDING: LeftForPersonWording = { notFixable: whyNotFixable, runAgain: 'run it again' };
const FILE = '/repo/plugins/lookup-backend/src/router.ts';

/** The reason for the one finding in `text`, as fixAll would leave it. */
function reasonFor(text: string): string {
  const [finding] = analyze(FILE, text, OPTIONS).findings;
  return whyLeftForPerson(finding, FILE, text, OPTIONS, WORDING);
}

describe('whyLeftForPerson', () => {
  it('no fix at all: the finding says why', () => {
    assert.equal(reasonFor("legacyLookup('none');\n"), 'the lookup result is cached across plugins');
  });

  it('several fixes and no preferred one: a person chooses', () => {
    assert.equal(
      reasonFor("legacyLookup('choose');\n"),
      "needs a person to choose a fix (Look up as the user | Look up as the service); apply one from the editor's quick fixes",
    );
  });

  it('the preferred fix applies to the fixed text: run again', () => {
    assert.equal(reasonFor("legacyLookup('rename');\n"), 'run it again');
  });

  it('the preferred fix is refused: the refusal is the reason', () => {
    assert.equal(reasonFor("legacyLookup('refuse');\n"), 'the fix was refused: the lookup result is compared with a user token');
  });

  it("the engine's own refusal (the fix changes nothing) is reported the same way", () => {
    assert.equal(reasonFor("legacyLookup('unchanged');\n"), 'the fix was refused: the fix changed nothing');
  });

  it("over fixAll's remaining findings: each one with its reason, the fixable one fixed", () => {
    const text = ["legacyLookup('rename');", "legacyLookup('refuse');", "legacyLookup('none');", ''].join('\n');
    const result = fixAll(FILE, text, OPTIONS);
    assert.equal(result.text, ["lookup('rename');", "legacyLookup('refuse');", "legacyLookup('none');", ''].join('\n'));
    assert.deepEqual(
      result.remaining.map((finding) => [finding.message, whyLeftForPerson(finding, FILE, result.text, OPTIONS, WORDING)]),
      [
        ['legacyLookup (refuse)', 'the fix was refused: the lookup result is compared with a user token'],
        ['legacyLookup (none)', 'the lookup result is cached across plugins'],
      ],
    );
  });
});
