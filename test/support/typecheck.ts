// Compiling files against the pinned Backstage packages in devDependencies (the 1.24/1.25-era
// set from BACKSTAGE-API.md), the way the typecheck tests do it: errors as `file:line message`.
import ts from 'typescript';

export const PINNED_COMPILER_OPTIONS: ts.CompilerOptions = {
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

/** Every type error of the program made of `roots` (files on disk). */
export function compileErrors(roots: readonly string[]): string[] {
  const program = ts.createProgram(roots, PINNED_COMPILER_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
