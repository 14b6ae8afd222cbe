// Builds what the editors load: dist/ (the project's own esbuild script), the compiled mocha
// suite, and the .vsix through the project's `npm run package`.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ROOT, SUITE_INDEX, SUITE_OUT, TEST_VSIX } from './paths';

const SUITE_SOURCE = join(ROOT, 'test', 'e2e', 'suite');

export function buildDist(): void {
  run(process.execPath, ['esbuild.mjs']);
}

/** One CommonJS file per suite module; `vscode` and `mocha` stay `require`s the host resolves. */
export async function buildSuite(): Promise<string> {
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: readdirSync(SUITE_SOURCE).filter((f) => f.endsWith('.ts')).map((f) => join(SUITE_SOURCE, f)),
    outdir: SUITE_OUT,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return SUITE_INDEX;
}

/** `npm run package` into .test-tmp/e2e; returns the path and size of the .vsix. */
export function packageVsix(): { path: string; bytes: number } {
  rmSync(TEST_VSIX, { force: true });
  run('npm', ['run', '--silent', 'package', '--', '--out', TEST_VSIX]);
  return { path: TEST_VSIX, bytes: statSync(TEST_VSIX).size };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}
