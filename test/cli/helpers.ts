// Drives the built CLI (dist/cli.js) as a child process, the way a user or CI does, on
// throw-away folders.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'cli'): string {
  const dir = mkdtempSync(join(tmpdir(), `backstage-auth-${prefix}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path -> content) under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every file under `root` (relative, forward slashes) with its content. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  visit(root);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const PROBE = join(__dirname, '..', 'support', 'process-probe.cjs');

export interface Probed extends CliRun {
  workers: number;
  typescriptLoaded: boolean;
  tsMorphLoaded: boolean;
}

/** Runs the CLI with test/support/process-probe.cjs preloaded: which threads and bundles it used. */
export function runProbed(args: readonly string[], cwd: string): Promise<Probed> {
  const out = join(tempDir('probe'), 'probe.json');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', PROBE, CLI, ...args],
      { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PROCESS_PROBE_OUT: out } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        const probe = JSON.parse(readFileSync(out, 'utf8')) as { workers: number; typescriptLoaded: boolean; tsMorphLoaded: boolean };
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr, ...probe });
      },
    );
  });
}
