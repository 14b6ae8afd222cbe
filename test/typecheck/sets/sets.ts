// The pinned package sets fixture outputs compile against, one per migration target:
// - legacy-compatible: the 1.24/1.25-era set in the root devDependencies (node_modules of the repo);
// - new-backend-only: bs-1x (backend-plugin-api 1.0, no identity/tokenManager), installed into
//   its own folder from its committed lockfile the first time it is needed, offline after that.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { MigrationTarget } from '../../../server/src/engine/targets';
import { targetChoiceFor } from '../../../server/src/engine/engine';
import type { FixtureCase, FixtureFile } from '../../support/fixtures';
import { memoryHost, VIRTUAL_ROOT } from '../../support/engine';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const BS_1X = join(__dirname, 'bs-1x');

/** Where each target's outputs find their packages (undefined: the repo's own node_modules). */
export const SET_OF_TARGET: Record<MigrationTarget, string | undefined> = {
  'legacy-compatible': undefined,
  'new-backend-only': BS_1X,
};

const STAMP = '.installed-lock-sha256';

/**
 * Installs a set with `npm ci --ignore-scripts` when its node_modules is missing or was installed
 * from another lockfile; returns why it could not, or undefined when the set is ready.
 */
export function ensureInstalled(setDir: string): string | undefined {
  const lock = readFileSync(join(setDir, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = join(setDir, 'node_modules', STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return undefined;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: setDir,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) {
    return `npm ci in ${relative(REPO_ROOT, setDir)} failed: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' ')}`;
  }
  writeFileSync(stamp, digest);
  return undefined;
}

/** The target a fixture file is fixed for: its case.json's, or what its package.json/lockfile say. */
export function targetOfFixtureFile(fixture: FixtureCase, file: FixtureFile): MigrationTarget {
  const inputs = Object.fromEntries(fixture.files.map((f) => [f.path, f.input]));
  return targetChoiceFor(`${VIRTUAL_ROOT}/${file.path}`, { host: memoryHost(inputs), target: fixture.options.target }).target;
}

export const COMPILER_OPTIONS: ts.CompilerOptions = {
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

/**
 * Compiles `roots` as if they lived in `setDir` (packages and @types resolve from its
 * node_modules), or in place when no set is given. Returns `file:line message` per error.
 */
export function compileErrors(roots: string[], setDir: string | undefined): string[] {
  const options: ts.CompilerOptions = setDir
    ? { ...COMPILER_OPTIONS, typeRoots: [join(setDir, 'node_modules', '@types')] }
    : COMPILER_OPTIONS;
  const host = ts.createCompilerHost(options);
  if (setDir) {
    const stand = join(setDir, 'index.ts');
    const rootSet = new Set(roots);
    // Packages are looked up from the set; relative imports between a case's files stay as they are.
    const from = (name: string, containingFile: string) => (rootSet.has(containingFile) && !name.startsWith('.') ? stand : containingFile);
    host.resolveModuleNames = (names, containingFile) =>
      names.map((name) => ts.resolveModuleName(name, from(name, containingFile), options, host).resolvedModule);
  }
  const program = ts.createProgram(roots, options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || roots.includes(d.file.fileName))
    .map((d) => {
      const where = d.file ? `${relative(REPO_ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}
