// The files a workspace command looks at: the one folder walk of CLI and workspace scan (see
// server/src/workspace/walk.ts), with `backstageAuth.exclude` pruning files and whole folders.
import { pathToFileURL } from 'node:url';
import { collectSourceFiles } from '../../cli/files/walk';
import type { ExcludeTest } from '../exclude';
import { fileNameOf } from '../files';

export interface WorkspaceFile {
  uri: string;
  absolute: string;
  /** Relative to its workspace folder, forward slashes. */
  display: string;
}

export interface WalkedFolders {
  files: WorkspaceFile[];
  skipped: { path: string; reason: string }[];
}

export function walkFolders(folderUris: readonly string[], excludes: ExcludeTest): WalkedFolders {
  const files: WorkspaceFile[] = [];
  const skipped: WalkedFolders['skipped'] = [];
  for (const folderUri of folderUris) {
    if (!folderUri.startsWith('file:')) {
      skipped.push({ path: folderUri, reason: 'not a folder on disk' });
      continue;
    }
    const folder = fileNameOf(folderUri);
    let collected: ReturnType<typeof collectSourceFiles>;
    try {
      collected = collectSourceFiles([folder], folder, excludes);
    } catch (error) {
      skipped.push({ path: folder, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    for (const file of collected.files) {
      if (excludes(file.absolute)) continue;
      files.push({ uri: pathToFileURL(file.absolute).href, absolute: file.absolute, display: file.display });
    }
    skipped.push(...collected.skipped.map((s) => ({ path: s.path, reason: s.reason })));
  }
  return { files, skipped };
}
