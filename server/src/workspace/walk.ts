// Which files a folder walk reaches, for every front end: the CLI's `check`/`fix` on named
// folders, the language server's workspace scan and its workspace commands. The decisions
// (what to skip) are made once, in `FolderWalk`; two drivers only list folders: a synchronous
// one for the CLI, an asynchronous one so the server keeps answering while it lists a large
// tree. Symbolic links are not followed (no cycles, no files outside the tree, no writing
// through a link to somewhere else).
import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { isConfigFile } from '../engine/config';
import { isSourceFile } from '../engine/source';
import { GitignoreMatcher, type EntryVerdict } from './gitignore';
import { folderPrefix } from './relativePath';

/** Dependencies and VCS data: never the user's code, skipped at any depth. */
export const DEPENDENCY_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);

/**
 * Build output (bundles, declarations, coverage reports), skipped at any depth unless a
 * .gitignore re-includes the folder (`!build/`): then it is tracked source under that name.
 */
export const BUILD_OUTPUT_FOLDERS: ReadonlySet<string> = new Set(['dist', 'dist-types', 'build', 'coverage']);

export type ExcludeTest = (absolutePath: string) => boolean;

export interface WalkOptions {
  /** Files and folders (absolute paths) the user excluded. */
  excludes?: ExcludeTest;
  /** Checked before each folder; the walk ends early when it returns true. */
  cancelled?: () => boolean;
}

export interface UnreadableFolder {
  folder: string;
  /** The error code (`EACCES`, ...) or message. */
  error: string;
}

export interface ListedFiles {
  /** Absolute paths, folder by folder in name order. */
  files: string[];
  /**
   * Every folder listed, with what was in it: a later question in the same run whether a
   * file is there (a lockfile, a package.json) needs no call to the file system.
   */
  listings: Map<string, Dirent[]>;
  /** Folders that could not be listed: the list is incomplete there. */
  unreadable: UnreadableFolder[];
}

const EXCLUDES_NOTHING: ExcludeTest = () => false;

/** True when the path's folder was listed and held no entry of its name (so no stat is needed). */
export function absentFromListing(listings: ReadonlyMap<string, readonly Dirent[]>, absolutePath: string): boolean {
  const entries = listings.get(dirname(absolutePath));
  if (!entries) return false;
  const name = basename(absolutePath);
  return !entries.some((entry) => entry.name === name);
}

/** Source and app-config files: what the engine analyzes. */
export function engineReads(fileName: string): boolean {
  return isSourceFile(fileName) || isConfigFile(fileName);
}

/** Every file under `root` the engine reads, listed synchronously (the CLI). */
export function listFolder(root: string, options: WalkOptions = {}): ListedFiles {
  const walk = new FolderWalk(root, options);
  const listed: ListedFiles = { files: [], listings: new Map(), unreadable: [] };
  for (let folder = walk.next(); folder; folder = walk.next()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder.path, { withFileTypes: true });
    } catch (error) {
      listed.unreadable.push({ folder: folder.path, error: errorCode(error) });
      continue;
    }
    listed.listings.set(folder.path, entries);
    listed.files.push(...walk.listed(folder, entries));
  }
  return listed;
}

/** Every file under `root` the engine reads, folder by folder in name order (the server). */
export async function* walkWorkspaceFolder(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const walk = new FolderWalk(root, options);
  for (let folder = walk.next(); folder; folder = walk.next()) {
    let entries: Dirent[];
    try {
      entries = await readdir(folder.path, { withFileTypes: true });
    } catch {
      continue; // unreadable or gone since it was listed: nothing to report in an editor
    }
    for (const file of walk.listed(folder, entries)) yield file;
  }
}

/** Whether the walk of `root` would reach `file` (for watcher events about single files). */
export function isWalked(root: string, file: string, excludes: ExcludeTest = EXCLUDES_NOTHING): boolean {
  const rel = relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  let matcher = GitignoreMatcher.forWalkRoot(root);
  let folder = root;
  for (const segment of rel.split(sep).slice(0, -1)) {
    matcher = matcher.withFolder(folder);
    folder = join(folder, segment);
    if (isLink(folder) || skipsFolder(folder, matcher.entriesOf(dirname(folder)), excludes)) return false;
  }
  return !isLink(file) && takesFile(file, matcher.withFolder(folder).entriesOf(folder), excludes);
}

/** The walk does not follow links; a path that does not exist (any more) is not one. */
function isLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}

interface PendingFolder {
  path: string;
  /** The ignore patterns of its ancestors; its own .gitignore is added when it is listed. */
  parentMatcher: GitignoreMatcher;
}

/** The walk's decisions, depth first: which folders to enter, which of their files to take. */
class FolderWalk {
  private readonly pending: PendingFolder[];
  private readonly excludes: ExcludeTest;

  constructor(
    root: string,
    private readonly options: WalkOptions,
  ) {
    // The root itself is never skipped: a folder named on purpose is walked.
    this.pending = [{ path: root, parentMatcher: GitignoreMatcher.forWalkRoot(root) }];
    this.excludes = options.excludes ?? EXCLUDES_NOTHING;
  }

  /** The next folder to list; undefined when the walk is done or cancelled. */
  next(): PendingFolder | undefined {
    return this.options.cancelled?.() ? undefined : this.pending.pop();
  }

  /** The files of a listed folder to take; its subfolders to walk are queued. */
  listed(folder: PendingFolder, entries: Dirent[]): string[] {
    const hasGitignore = entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory());
    const matcher = folder.parentMatcher.withFolder(folder.path, { hasGitignore });
    const verdictOf = matcher.entriesOf(folder.path);
    const files: string[] = [];
    const subfolders: string[] = [];
    // Names have no separators and folder paths are already normal: no need for path.join.
    const prefix = folderPrefix(folder.path);
    for (const entry of [...entries].sort((a, b) => compareNames(a.name, b.name))) {
      const absolute = prefix + entry.name;
      if (entry.isDirectory()) {
        if (!skipsFolder(absolute, verdictOf, this.excludes)) subfolders.push(absolute);
      } else if (entry.isFile() && takesFile(absolute, verdictOf, this.excludes)) {
        files.push(absolute);
      }
    }
    // Reversed onto the stack, so folders come out in name order too.
    for (const path of subfolders.reverse()) this.pending.push({ path, parentMatcher: matcher });
    return files;
  }
}

/** `verdictOf`: what the patterns say about the entries of the folder's parent. */
function skipsFolder(folder: string, verdictOf: EntryVerdict, excludes: ExcludeTest): boolean {
  const name = basename(folder);
  if (DEPENDENCY_FOLDERS.has(name)) return true;
  const git = verdictOf(name, true);
  if (git.ignored || (BUILD_OUTPUT_FOLDERS.has(name) && !git.reincluded)) return true;
  return excludes(folder);
}

/** `verdictOf`: what the patterns say about the entries of the file's folder. */
function takesFile(file: string, verdictOf: EntryVerdict, excludes: ExcludeTest): boolean {
  return engineReads(file) && !verdictOf(basename(file), false).ignored && !excludes(file);
}

/** Plain UTF-16 order: the same on every machine and locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
