// The cross-rule inputs are realistic code and their fixed versions still compile: both sets are
// compiled against the pinned Backstage packages (test/unit/cross-rule.test.ts holds the fixed
// versions equal to what "fix all" produces).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const CROSS_RULE = join(__dirname, '..', 'golden', 'cross-rule');

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node'],
  lib: ['lib.es2022.d.ts'],
};

describe('typecheck of the cross-rule cases against the pinned Backstage packages', () => {
  const roots = readdirSync(CROSS_RULE)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(CROSS_RULE, name));

  it(`compiles ${roots.length} files (before and after) without errors`, () => {
    assert.ok(roots.some((r) => r.endsWith('.after.ts')) && roots.some((r) => r.endsWith('.before.ts')));
    const program = ts.createProgram(roots, COMPILER_OPTIONS);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(messages, []);
  });
});
