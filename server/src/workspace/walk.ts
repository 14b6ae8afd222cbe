// The language server's walk of a workspace folder: asynchronous (the server keeps answering
// while it lists a large tree), skipping dependencies, build output, what .gitignore files
// ignore and what the user excluded. Symbolic links are not followed.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isConfigFile } from '../engine/config';
import { isSourceFile } from '../engine/source';
import { GitignoreMatcher } from './gitignore';

/** Dependencies, VCS data and build output: never hand-written source. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'dist-types', 'build', 'coverage']);

export interface WalkOptions {
  /** Files (absolute paths) the user excluded. */
  excludes?: (absolutePath: string) => boolean;
  /** Checked before each folder; the walk ends early when it returns true. */
  cancelled?: () => boolean;
}

/** Source and app-config files: what the engine analyzes. */
export function engineReads(fileName: string): boolean {
  return isSourceFile(fileName) || isConfigFile(fileName);
}

/** Every file under `root` the scan analyzes, folder by folder, in name order. */
export async function* walkWorkspaceFolder(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const excludes = options.excludes ?? (() => false);
  const pending: { folder: string; matcher: GitignoreMatcher }[] = [
    { folder: root, matcher: GitignoreMatcher.forWalkRoot(root) },
  ];
  while (pending.length > 0) {
    if (options.cancelled?.()) return;
    const { folder, matcher: parent } = pending.pop()!;
    const matcher = parent.withFolder(folder);
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // unreadable or gone since it was listed: nothing to report in an editor
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      const absolute = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !matcher.ignores(absolute, true) && !excludes(absolute)) {
          subfolders.push(absolute);
        }
      } else if (entry.isFile() && engineReads(entry.name) && !matcher.ignores(absolute, false) && !excludes(absolute)) {
        yield absolute;
      }
    }
    // Reversed onto the stack, so folders come out in name order too.
    for (const subfolder of subfolders.reverse()) pending.push({ folder: subfolder, matcher });
  }
}

/** Whether the walk of `root` would reach `file` (for watcher events about single files). */
export function isWalked(root: string, file: string, excludes: (absolutePath: string) => boolean = () => false): boolean {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || !engineReads(file) || excludes(file)) return false;
  const segments = rel.split(sep);
  if (segments.slice(0, -1).some((segment) => SKIPPED_FOLDERS.has(segment))) return false;
  let matcher = GitignoreMatcher.forWalkRoot(root);
  let folder = root;
  for (const segment of segments.slice(0, -1)) {
    matcher = matcher.withFolder(folder);
    folder = join(folder, segment);
    if (matcher.ignores(folder, true) || excludes(folder)) return false;
  }
  return !matcher.withFolder(dirname(file)).ignores(file, false);
}
