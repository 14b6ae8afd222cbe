// Command-line parsing, without a process: every usage error and what a good command becomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand, TARGETS, UsageError } from '../../server/src/cli/args';
import { TARGET_SETTINGS } from '../../server/src/engine/targets';

describe('cli arguments', () => {
  it('check, fix and rules with their options', () => {
    assert.deepEqual(parseCommand(['check']), { kind: 'check', format: 'text', paths: ['.'], rules: [], maxFileSize: undefined });
    assert.deepEqual(
      parseCommand(['check', 'plugins', '-f', 'sarif', '--rule', 'a-rule', '--rule=b-rule', '--rule', 'a-rule', 'packages/backend', '--max-file-size', '5000']),
      { kind: 'check', format: 'sarif', paths: ['plugins', 'packages/backend'], rules: ['a-rule', 'b-rule'], maxFileSize: 5000 },
    );
    assert.deepEqual(parseCommand(['fix', '--dry-run', 'src']), { kind: 'fix', dryRun: true, paths: ['src'], rules: [], maxFileSize: undefined });
    assert.deepEqual(parseCommand(['fix', '--', '--odd-name.ts']), { kind: 'fix', dryRun: false, paths: ['--odd-name.ts'], rules: [], maxFileSize: undefined });
    assert.deepEqual(parseCommand(['rules', '--format', 'json']), { kind: 'rules', format: 'json' });
  });

  it('help and version', () => {
    assert.deepEqual(parseCommand(['--help']), { kind: 'help' });
    assert.deepEqual(parseCommand(['help']), { kind: 'help' });
    assert.deepEqual(parseCommand(['fix', '-h']), { kind: 'help', topic: 'fix' });
    assert.deepEqual(parseCommand(['check', 'src', '--help']), { kind: 'help', topic: 'check' });
    assert.deepEqual(parseCommand(['-v']), { kind: 'version' });
  });

  const errors: [string[], string][] = [
    [[], 'missing command (check, fix or rules)'],
    [['lint'], "unknown command 'lint' (expected check, fix or rules)"],
    [['--verbose'], "unknown option '--verbose'"],
    [['check', '--fix'], "unknown option '--fix' for 'check'"],
    [['check', '-x'], "unknown option '-x' for 'check'"],
    [['check', '--format', 'xml'], "--format must be one of text, json, sarif (got 'xml')"],
    [['check', '--format'], "option '--format' needs a value"],
    [['check', '-f'], "option '--format' needs a value"],
    [['check', '--rule'], "option '--rule' needs a value"],
    [['fix', '--dry-run=yes'], "option '--dry-run' takes no value"],
    [['fix', '--format', 'json'], "unknown option '--format' for 'fix'"],
    [['check', '--max-file-size', '10k'], "--max-file-size must be a positive number of bytes (got '10k')"],
    [['check', '--max-file-size', '0'], "--max-file-size must be a positive number of bytes (got '0')"],
    [['rules', '--format', 'sarif'], "--format must be one of text, json (got 'sarif')"],
    [['rules', 'src'], "'rules' takes no paths (got 'src')"],
  ];
  for (const [argv, message] of errors) {
    it(`${JSON.stringify(argv)} -> ${message}`, () => {
      assert.throws(() => parseCommand(argv), (error: unknown) => error instanceof UsageError && error.message === message);
    });
  }
});

describe('--target', () => {
  it('parses every engine target and rejects others', () => {
    assert.deepEqual([...TARGETS], [...TARGET_SETTINGS]);
    assert.deepEqual(parseCommand(['check', '--target', 'new-backend-only', 'src']), {
      kind: 'check',
      format: 'text',
      paths: ['src'],
      rules: [],
      maxFileSize: undefined,
      target: 'new-backend-only',
    });
    assert.throws(() => parseCommand(['fix', '--target', 'latest']), (e: unknown) =>
      e instanceof UsageError && e.message === "--target must be one of auto, legacy-compatible, new-backend-only (got 'latest')");
  });
});
