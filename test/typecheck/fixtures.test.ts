// Every fixed fixture must compile against the real @backstage/* packages pinned in
// devDependencies (the 1.24/1.25-era set from BACKSTAGE-API.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { loadCases } from '../support/fixtures';

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

describe('typecheck of fixed fixtures against the pinned Backstage packages', () => {
  const roots: string[] = [];
  for (const fixture of loadCases()) {
    if (fixture.options.noTypecheck) continue;
    for (const file of fixture.files) {
      if (!/\.tsx?$/.test(file.path)) continue;
      const outputName = fixture.folder ? join('output', file.path) : `output${file.path.slice(file.path.lastIndexOf('.'))}`;
      roots.push(join(fixture.dir, outputName));
    }
  }

  it(`compiles ${roots.length} fixed files without errors`, () => {
    const program = ts.createProgram(roots, COMPILER_OPTIONS);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || roots.includes(d.file.fileName));
    const messages = diagnostics.map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(messages, []);
  });
});
