// Which package manager a repo uses, read from the files at its root, and the command that adds
// a dependency to one workspace package with it. Pure: the caller passes a file reader.
//
// Evidence, strongest first: a single lockfile (yarn.lock is Yarn 2+ when it has a `__metadata`
// entry or the repo has a .yarnrc.yml, else Yarn classic), then the `packageManager` field of the
// root package.json (what Corepack runs), which also settles a repo with several lockfiles.

export type PackageManagerKind = 'yarn-classic' | 'yarn-berry' | 'npm' | 'pnpm';

/** Reads a file by its path relative to the repo root (forward slashes); undefined when absent. */
export type RepoReader = (relativePath: string) => string | undefined;

export type Detection = { kind: PackageManagerKind; evidence: string } | { problem: string };

export const PACKAGE_MANAGER_NAMES: Record<PackageManagerKind, string> = {
  'yarn-classic': 'Yarn 1 (classic)',
  'yarn-berry': 'Yarn 2+ (berry)',
  npm: 'npm',
  pnpm: 'pnpm',
};

export function detectPackageManager(read: RepoReader): Detection {
  const found: { kind: PackageManagerKind; evidence: string }[] = [];
  const yarnLock = read('yarn.lock');
  if (yarnLock !== undefined) {
    if (/^__metadata:/m.test(yarnLock)) found.push({ kind: 'yarn-berry', evidence: 'yarn.lock has a __metadata entry' });
    else if (read('.yarnrc.yml') !== undefined) found.push({ kind: 'yarn-berry', evidence: 'yarn.lock and .yarnrc.yml' });
    else found.push({ kind: 'yarn-classic', evidence: 'yarn.lock in the Yarn 1 format' });
  }
  if (read('package-lock.json') !== undefined) found.push({ kind: 'npm', evidence: 'package-lock.json' });
  if (read('pnpm-lock.yaml') !== undefined) found.push({ kind: 'pnpm', evidence: 'pnpm-lock.yaml' });
  if (found.length === 1) return found[0];

  const declared = declaredPackageManager(read('package.json'));
  if (declared) return { kind: declared.kind, evidence: `"packageManager": "${declared.spec}" in package.json` };
  if (found.length === 0) {
    return { problem: 'the repo root has no yarn.lock, package-lock.json or pnpm-lock.yaml (run the install once first)' };
  }
  return {
    problem: `the repo root has several lockfiles (${found.map((f) => f.evidence.split(' ')[0]).join(', ')}); set "packageManager" in package.json to say which one is in use`,
  };
}

/** `"packageManager": "yarn@4.1.0"` -> yarn-berry. */
function declaredPackageManager(packageJson: string | undefined): { kind: PackageManagerKind; spec: string } | undefined {
  const spec = jsonField(packageJson, 'packageManager');
  if (typeof spec !== 'string') return undefined;
  const match = /^(yarn|npm|pnpm)@(\d+)/.exec(spec);
  if (!match) return undefined;
  if (match[1] === 'yarn') return { kind: Number(match[2]) >= 2 ? 'yarn-berry' : 'yarn-classic', spec };
  return { kind: match[1] as 'npm' | 'pnpm', spec };
}

/** A top-level field of a package.json text (undefined when the text is absent or not JSON). */
export function jsonField(text: string | undefined, field: string): unknown {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

/** A program and its arguments, run without a shell from `cwd` (relative to the repo root). */
export interface ProgramRun {
  program: string;
  args: string[];
  /** Relative to the repo root; '' is the root itself. */
  cwd: string;
}

export interface WorkspacePackage {
  /** Relative to the repo root, forward slashes: `packages/backend`. */
  dir: string;
  /** The `name` in its package.json. */
  name: string;
}

/** The command that adds `dependency` to the workspace package `target`, run from the repo root. */
export function addDependencyCommand(kind: PackageManagerKind, target: WorkspacePackage, dependency: string): ProgramRun {
  switch (kind) {
    case 'yarn-classic':
      return { program: 'yarn', args: ['--cwd', target.dir, 'add', dependency], cwd: '' };
    case 'yarn-berry':
      return { program: 'yarn', args: ['workspace', target.name, 'add', dependency], cwd: '' };
    case 'npm':
      return { program: 'npm', args: ['install', dependency, '--workspace', target.dir], cwd: '' };
    case 'pnpm':
      return { program: 'pnpm', args: ['--filter', target.name, 'add', dependency], cwd: '' };
  }
}

/** How a run is shown to the user (not how it is run: no shell ever parses this). */
export function displayCommand(run: ProgramRun): string {
  const quote = (arg: string) => (/^[\w@/.:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return [run.program, ...run.args].map(quote).join(' ');
}
