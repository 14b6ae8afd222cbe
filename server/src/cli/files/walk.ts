// Which files a run looks at. Named files are always taken (when the engine reads them:
// source files and app-config*.yaml); named folders are walked recursively by the walk the
// language server uses too (server/src/workspace/walk.ts: dependencies, build output and what
// .gitignore files ignore are skipped; symbolic links are not followed).
import { statSync, type Dirent } from 'node:fs';
import { resolve } from 'node:path';
import { SOURCE_EXTENSIONS } from '../../engine/source';
import { engineReads, listFolder, type ExcludeTest } from '../../workspace/walk';
import { UsageError } from '../args';
import { displayPath } from './paths';

export { engineReads };

export interface SourceTarget {
  /** Absolute path (what is read and written; the writer resolves a named link). */
  absolute: string;
  /** Relative to the current folder, forward slashes (what is printed). */
  display: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /** The file or folder could not be read: the run's result is incomplete (exit code 2). */
  ioError: boolean;
}

export interface Collected {
  files: SourceTarget[];
  skipped: SkippedFile[];
  /** The folders walked, with what was in each (see ListedFiles.listings). */
  listings: Map<string, Dirent[]>;
}

/**
 * Throws UsageError for a path that does not exist; everything else is reported. `excludes`
 * (the editor's backstageAuth.exclude) prunes folders during the walk, as the workspace scan does.
 */
export function collectSourceFiles(paths: readonly string[], cwd: string, excludes?: ExcludeTest): Collected {
  const roots = paths.map((path) => {
    const absolute = resolve(cwd, path);
    try {
      const stats = statSync(absolute);
      return { absolute, isDirectory: stats.isDirectory(), isFile: stats.isFile() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT' ? `no such file or folder: ${path}` : `cannot read ${path} (${code ?? String(error)})`,
      );
    }
  });

  const files = new Map<string, SourceTarget>();
  const skipped = new Map<string, SkippedFile>();
  const listings = new Map<string, Dirent[]>();
  const take = (absolute: string) => files.set(absolute, { absolute, display: displayPath(cwd, absolute) });
  const skip = (absolute: string, reason: string, ioError: boolean) => {
    const path = displayPath(cwd, absolute);
    skipped.set(path, { path, reason, ioError });
  };

  for (const root of roots) {
    if (!root.isDirectory) {
      // A pipe or device would block the read (or never end): only regular files are read.
      if (!root.isFile) skip(root.absolute, 'not a regular file', false);
      else if (engineReads(root.absolute)) take(root.absolute);
      else skip(root.absolute, `not a file the tool reads (${SOURCE_EXTENSIONS.join(' ')} or app-config*.yaml)`, false);
      continue;
    }
    const listed = listFolder(root.absolute, { excludes });
    for (const file of listed.files) take(file);
    for (const [folder, entries] of listed.listings) listings.set(folder, entries);
    for (const { folder, error } of listed.unreadable) skip(folder, `cannot read the folder (${error})`, true);
  }

  const byPath = (a: { display?: string; path?: string }, b: { display?: string; path?: string }) =>
    compareStrings(a.display ?? a.path ?? '', b.display ?? b.path ?? '');
  return { files: [...files.values()].sort(byPath), skipped: [...skipped.values()].sort(byPath), listings };
}

/** Plain UTF-16 order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
