// A rule with a bug must not take the others down: its failure is reported, the other rules'
// findings and fixes stay, and a fix that throws or misbehaves is refused with a reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixAll, fixFinding } from '../../server/src/engine/engine';
import { FixRefusal, type ConfigRule, type Rule } from '../../server/src/engine/types';
import { configGuestProviderInProduction } from '../../server/src/config/rules/config-guest-provider-in-production';
import { permissionEvaluatorType } from '../../server/src/rules/permission-evaluator-type';

const ROUTER = [
  "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionEvaluator;',
  '}',
  '',
].join('\n');
const TYPE_START = ROUTER.indexOf('PermissionEvaluator;');
const FIXED = [
  "import type { PermissionsService } from '@backstage/backend-plugin-api';",
  '',
  'export interface RouterOptions {',
  '  permissions: PermissionsService;',
  '}',
  '',
].join('\n');

/** A rule that finds `RouterOptions` and whose detect or fix does what the test says. */
function buggy(id: string, behaviour: { detect?: () => never | unknown[]; fix?: Rule['fix'] }): Rule {
  return {
    ...permissionEvaluatorType,
    id,
    triggers: ['RouterOptions'],
    detect: (ctx) => {
      if (behaviour.detect) return behaviour.detect() as never;
      const start = ctx.text.indexOf('RouterOptions');
      return [{ range: { start, end: start + 'RouterOptions'.length }, message: `${id} finding`, fixes: [{ id: 'go', title: 'Go', preferred: true }] }];
    },
    fix: behaviour.fix,
  };
}

const peFinding = {
  range: { start: TYPE_START, end: TYPE_START + 'PermissionEvaluator'.length },
  message: '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.',
  fixes: [{ id: 'use-permissions-service', title: 'Use PermissionsService', preferred: true }],
  ruleId: 'permission-evaluator-type',
  severity: 'warning',
  notFixableReason: undefined,
};

describe('a rule whose detect throws', () => {
  it('is reported as a failure; the other rules still report their findings', () => {
    const throwsError = buggy('throws-error', { detect: () => { throw new TypeError("Cannot read properties of undefined (reading 'kind')"); } });
    const throwsString = buggy('throws-string', { detect: () => { throw 'plain string'; } });
    const analysis = analyze('/p/router.ts', ROUTER, { rules: [throwsError, permissionEvaluatorType, throwsString] });
    assert.deepEqual(analysis, {
      findings: [peFinding],
      failures: [
        { ruleId: 'throws-error', error: "Cannot read properties of undefined (reading 'kind')" },
        { ruleId: 'throws-string', error: 'plain string' },
      ],
      syntaxError: undefined,
    });
  });

  it('a finding outside the text fails its rule (none of its findings is trusted), not the analysis', () => {
    const outside = buggy('bad-range', {
      detect: () => [
        { range: { start: 0, end: 5 }, message: 'fine' },
        { range: { start: 10, end: 100_000 }, message: 'past the end' },
      ],
    });
    const reversed = buggy('reversed-range', { detect: () => [{ range: { start: 9, end: 3 }, message: 'backwards' }] });
    const analysis = analyze('/p/router.ts', ROUTER, { rules: [outside, reversed, permissionEvaluatorType] });
    assert.deepEqual(analysis.findings, [peFinding]);
    assert.deepEqual(analysis.failures, [
      { ruleId: 'bad-range', error: `reported a finding at an invalid range (10-100000 in a text of ${ROUTER.length})` },
      { ruleId: 'reversed-range', error: `reported a finding at an invalid range (9-3 in a text of ${ROUTER.length})` },
    ]);
  });

  it('fix-all still applies the other rules\' fixes', () => {
    const throwsError = buggy('throws-error', { detect: () => { throw new Error('boom'); } });
    const result = fixAll('/p/router.ts', ROUTER, { rules: [throwsError, permissionEvaluatorType] });
    assert.equal(result.text, FIXED);
    assert.deepEqual(result.applied.map((a) => a.ruleId), ['permission-evaluator-type']);
  });
});

describe('a rule whose fix throws or misbehaves', () => {
  const ref = (ruleId: string) => ({ ruleId, start: ROUTER.indexOf('RouterOptions'), optionId: 'go' });

  it('an exception: refused with the error as the reason, never thrown to the caller', () => {
    const rule = buggy('fix-throws', { fix: () => { throw new RangeError('Maximum call stack size exceeded'); } });
    assert.deepEqual(fixFinding('/p/router.ts', ROUTER, ref(rule.id), { rules: [rule] }), {
      ok: false,
      reason: 'the fix failed: Maximum call stack size exceeded',
    });
  });

  it('a FixRefusal: refused with the rule\'s own reason', () => {
    const rule = buggy('fix-refuses', { fix: () => { throw new FixRefusal('`options` is reassigned; move the adapters by hand'); } });
    assert.deepEqual(fixFinding('/p/router.ts', ROUTER, ref(rule.id), { rules: [rule] }), {
      ok: false,
      reason: '`options` is reassigned; move the adapters by hand',
    });
  });

  it('a rewrite that would not parse: refused, saying where', () => {
    const rule = buggy('breaks-syntax', {
      fix: ({ sourceFile }) => {
        sourceFile.getInterfaceOrThrow('RouterOptions').replaceWithText('export interface RouterOptions {');
      },
    });
    assert.deepEqual(fixFinding('/p/router.ts', ROUTER, ref(rule.id), { rules: [rule] }), {
      ok: false,
      reason: "the rewrite would not parse (4:1 '}' expected.), so it is not offered",
    });
  });

  it('a fix that changes nothing: refused', () => {
    const rule = buggy('no-op', { fix: () => undefined });
    assert.deepEqual(fixFinding('/p/router.ts', ROUTER, ref(rule.id), { rules: [rule] }), {
      ok: false,
      reason: 'the fix changed nothing',
    });
  });

  it('fix-all leaves the broken rule\'s finding in place and applies the rest', () => {
    const rule = buggy('fix-throws', { fix: () => { throw new Error('boom'); } });
    const result = fixAll('/p/router.ts', ROUTER, { rules: [rule, permissionEvaluatorType] });
    assert.equal(result.text, FIXED);
    assert.deepEqual(result.applied.map((a) => a.ruleId), ['permission-evaluator-type']);
    assert.deepEqual(result.remaining.map((f) => [f.ruleId, f.message]), [['fix-throws', 'fix-throws finding']]);
  });

  it('a config rule whose fix returns no text: refused', () => {
    const config = 'auth:\n  providers:\n    guest:\n      dangerouslyAllowOutsideDevelopment: true\n';
    const rule: ConfigRule = { ...configGuestProviderInProduction, id: 'returns-nothing', fix: () => undefined as unknown as string };
    const finding = analyze('/p/app-config.production.yaml', config, { rules: [rule] }).findings[0];
    const option = finding.fixes.find((o) => o.preferred)!;
    assert.deepEqual(
      fixFinding('/p/app-config.production.yaml', config, { ruleId: rule.id, start: finding.range.start, optionId: option.id }, { rules: [rule] }),
      { ok: false, reason: 'the fix failed: rule returns-nothing returned no text' },
    );
  });
});
