// .gitignore handling on top of the `ignore` package (the matcher ESLint and globby use).
//
// `ignore` matches paths relative to ONE base folder. Nested .gitignore files are folded into
// it by rebasing their patterns onto their own folder (`b.ts` in `pkg/.gitignore` becomes
// `pkg/**/b.ts`, `/gen` becomes `pkg/gen`), appended after their ancestors' patterns so that,
// as in git, a deeper file and a later line win. Each folder gets its own matcher holding only
// the patterns of its ancestor chain.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parsePatterns, rulesForFolder, verdictByRules, type Verdict } from './folderRules';
import { folderPrefix, relativeTo } from './relativePath';

const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** What the patterns say about an entry (by name) of one folder. */
export type EntryVerdict = (name: string, isDirectory: boolean) => Verdict;

export class GitignoreMatcher {
  private readonly matcher: Ignore;
  private parsed: ReturnType<typeof parsePatterns> | undefined;

  private constructor(
    /** Folder that patterns are relative to (the repository root when there is one). */
    readonly base: string,
    private readonly patterns: readonly string[],
  ) {
    this.matcher = ignore({ ignorecase: IGNORE_CASE }).add(patterns);
  }

  static empty(base: string): GitignoreMatcher {
    return new GitignoreMatcher(base, []);
  }

  /**
   * The matcher for walking `folder`: patterns of the enclosing repository (info/exclude and
   * every .gitignore from the repository root down to `folder`'s parent). `folder`'s own
   * .gitignore is added by the walk. When those patterns ignore `folder` itself, the user
   * named an ignored folder on purpose: it is walked with its own .gitignore files only.
   */
  static forWalkRoot(folder: string): GitignoreMatcher {
    const root = repositoryRoot(folder);
    if (root === undefined || root === folder) {
      const own = root === undefined ? [] : readPatterns(join(root, '.git', 'info', 'exclude'));
      return new GitignoreMatcher(folder, own);
    }
    let matcher = new GitignoreMatcher(root, readPatterns(join(root, '.git', 'info', 'exclude')));
    const between = relative(root, dirname(folder)).split(sep).filter(Boolean);
    let current = root;
    matcher = matcher.withFolder(current);
    for (const segment of between) {
      current = join(current, segment);
      matcher = matcher.withFolder(current);
    }
    return matcher.ignores(folder, true) ? GitignoreMatcher.empty(folder) : matcher;
  }

  /**
   * This matcher plus `folder/.gitignore`, if there is one. A walk that has just listed the
   * folder says whether the file is there (`listed`), which saves a stat per folder.
   */
  withFolder(folder: string, listed?: { hasGitignore: boolean }): GitignoreMatcher {
    if (listed && !listed.hasGitignore) return this;
    const own = readPatterns(join(folder, '.gitignore'));
    if (own.length === 0) return this;
    const prefix = toPosix(relative(this.base, folder));
    return new GitignoreMatcher(this.base, [...this.patterns, ...own.map((p) => rebase(p, prefix))]);
  }

  ignores(absolutePath: string, isDirectory: boolean): boolean {
    return this.verdict(absolutePath, isDirectory).ignored;
  }

  /**
   * Whether the path is ignored, or named by a negation (`!build/`) as the last pattern that
   * matches it: someone said on purpose that git should keep it.
   */
  verdict(absolutePath: string, isDirectory: boolean): Verdict {
    const rel = toPosix(relativeTo(this.base, absolutePath));
    if (rel === '' || rel.startsWith('../')) return { ignored: false, reincluded: false };
    const { ignored, unignored } = this.matcher.test(isDirectory ? `${rel}/` : rel);
    return { ignored, reincluded: unignored };
  }

  /**
   * `verdict` for the entries of `folder`, a folder the walk entered (so no ancestor of its
   * entries is ignored): by name with string comparisons when every pattern that could match
   * one is simple (folderRules.ts), else through `ignore`.
   */
  entriesOf(folder: string): EntryVerdict {
    const rel = toPosix(relativeTo(this.base, folder));
    const outside = rel === '..' || rel.startsWith('../');
    const rules = outside ? [] : rulesForFolder((this.parsed ??= parsePatterns(this.patterns, IGNORE_CASE)), rel);
    if (rules) return (name, isDirectory) => verdictByRules(rules, IGNORE_CASE ? name.toLowerCase() : name, isDirectory);
    const prefix = folderPrefix(folder);
    return (name, isDirectory) => this.verdict(prefix + name, isDirectory);
  }
}

/** git: a slash at the start or in the middle anchors a pattern to its folder; a trailing one only means "directories". */
function isAnchored(pattern: string): boolean {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  return body.trimEnd().replace(/\/+$/, '').includes('/');
}

/** Nearest folder (itself or an ancestor) with a `.git` entry (folder, or file for worktrees). */
function repositoryRoot(folder: string): string | undefined {
  for (let current = folder; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

function readPatterns(file: string): string[] {
  try {
    // Most folders have none: asking without an exception is much cheaper on large trees.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return [];
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  } catch {
    return []; // an unreadable ignore file ignores nothing, as in git
  }
}

/** Rewrites a pattern of `folder/.gitignore` to match the same paths relative to the base. */
export function rebase(pattern: string, folder: string): string {
  if (folder === '') return pattern;
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const anchored = isAnchored(pattern);
  const escapedFolder = folder.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
  const rebased = anchored ? `${escapedFolder}/${body.replace(/^\//, '')}` : `${escapedFolder}/**/${body}`;
  return negated ? `!${rebased}` : rebased;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
