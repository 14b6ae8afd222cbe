// The CLI's report model: positions and the reasons shown for findings `fix` leaves alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { positionsOf, toReported, whyNotFixable } from '../../server/src/cli/report';
import type { Finding } from '../../server/src/engine/types';

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'token-target',
    severity: 'warning',
    message: 'Which plugin is this token for?',
    range: { start: 0, end: 1 },
    fixes: [],
    ...overrides,
  };
}

describe('cli report', () => {
  it('positions: 0-based lines and UTF-16 characters, with \\n, \\r\\n, \\r and U+2028 as line breaks', () => {
    const at = positionsOf('a\nbc\r\nd\re\u2028f😀g');
    assert.deepEqual(at(0), { line: 0, character: 0 });
    assert.deepEqual(at(3), { line: 1, character: 1 });
    assert.deepEqual(at(4), { line: 1, character: 2 }, 'the \\r of \\r\\n ends the line');
    assert.deepEqual(at(6), { line: 2, character: 0 });
    assert.deepEqual(at(8), { line: 3, character: 0 });
    assert.deepEqual(at(10), { line: 4, character: 0 });
    assert.deepEqual(at(13), { line: 4, character: 3 }, 'an emoji is two UTF-16 characters');
  });

  it('a finding with several fixes and no preferred one needs a person to choose', () => {
    const choice = finding({
      fixes: [
        { id: 'target:catalog', title: "Issue the token for 'catalog'", preferred: false },
        { id: 'target:search', title: "Issue the token for 'search'", preferred: false },
      ],
    });
    assert.equal(
      whyNotFixable(choice),
      "needs a person to choose a fix (Issue the token for 'catalog' | Issue the token for 'search'); apply one from the editor's quick fixes",
    );
    assert.deepEqual(toReported(choice, positionsOf('x')), {
      rule: 'token-target',
      severity: 'warning',
      message: 'Which plugin is this token for?',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      fixable: false,
      reason: whyNotFixable(choice),
    });
  });

  it('a finding without fixes gives the rule’s own reason', () => {
    assert.equal(whyNotFixable(finding({ notFixableReason: 'the router is built in another package' })), 'the router is built in another package');
    assert.equal(whyNotFixable(finding({})), 'there is no automatic fix for this');
  });

  it('a finding with a preferred fix is fixable and has no reason', () => {
    const fixable = finding({ fixes: [{ id: 'use', title: 'Use it', preferred: true }] });
    assert.deepEqual(toReported(fixable, positionsOf('x')).fixable, true);
    assert.equal('reason' in toReported(fixable, positionsOf('x')), false);
  });
});
