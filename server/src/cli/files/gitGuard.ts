// `fix` writes only into clean git working trees, so every change it makes can be reviewed with
// `git diff` and undone with `git checkout`, and none is mixed into someone's unfinished work.
// "Clean" means the whole repository (`git status --porcelain` prints nothing: no staged,
// unstaged or untracked changes), not only the files fix would touch: a half-done edit
// elsewhere can be what the fixed files depend on, and a mixed diff is hard to review.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export type GitGuard =
  /** Fine to write; `note` says when the check could not be made (git missing). */
  | { ok: true; note?: string }
  | { ok: false; reason: string };

/** How git is run: a program and an argument array, never a shell. Tests pass their own. */
export type RunGit = (args: readonly string[], cwd: string) => { code: number; stdout: string; stderr: string };

const MAX_LISTED = 5;

/** Runs `program` (git, found on the PATH) with an argument array, never through a shell. */
export function gitRunner(program = 'git'): RunGit {
  return (args, cwd) => {
    try {
      const stdout = execFileSync(program, args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        // Messages are matched below; keep them in English whatever the user's locale.
        env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C' },
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        shell: false,
      });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { status?: number | null; stdout?: string; stderr?: string };
      if (failure.code === 'ENOENT') throw new GitMissing();
      return { code: failure.status ?? -1, stdout: String(failure.stdout ?? ''), stderr: String(failure.stderr ?? failure.message) };
    }
  };
}

class GitMissing extends Error {}

/**
 * Checks every repository that holds one of `files` (absolute paths of files fix would write).
 * Not in a repository: fine. git not installed: fine, with a note. Uncommitted changes, or a
 * git that fails for another reason (e.g. an unsafe repository owner): refused, saying why.
 */
export function checkUncommittedChanges(files: readonly string[], run: RunGit = gitRunner()): GitGuard {
  const folders = [...new Set(files.map(folderOf))].sort();
  const checkedRoots = new Set<string>();
  try {
    for (const folder of folders) {
      // (a missing folder would look like a missing git: spawn reports both as ENOENT)
      if (!existsSync(folder)) continue;
      const root = run(['rev-parse', '--show-toplevel'], folder);
      if (root.code !== 0) {
        if (/not a git repository/i.test(root.stderr)) continue;
        return { ok: false, reason: `git could not check ${folder}: ${firstLine(root.stderr)}` };
      }
      const top = root.stdout.trim();
      if (checkedRoots.has(top)) continue;
      checkedRoots.add(top);
      const status = run(['status', '--porcelain'], top);
      if (status.code !== 0) return { ok: false, reason: `git status failed in ${top}: ${firstLine(status.stderr)}` };
      const changes = status.stdout.split('\n').filter((line) => line.trim() !== '');
      if (changes.length > 0) return { ok: false, reason: dirtyReason(top, changes) };
    }
  } catch (error) {
    if (error instanceof GitMissing) {
      return { ok: true, note: 'git was not found, so fix could not check for uncommitted changes' };
    }
    throw error;
  }
  return { ok: true };
}

function folderOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
}

function dirtyReason(root: string, changes: string[]): string {
  const listed = changes.slice(0, MAX_LISTED).map((line) => `  ${line}`);
  if (changes.length > MAX_LISTED) listed.push(`  ... and ${changes.length - MAX_LISTED} more`);
  return [
    `${root} has uncommitted changes (git status --porcelain):`,
    ...listed,
    'Nothing was written. Commit or stash them first, so the fixes can be reviewed and undone on their own,',
    'or run again with --force.',
  ].join('\n');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'unknown error';
}
