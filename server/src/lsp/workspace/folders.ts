// The workspace folders the client has open (several in a multi-root workspace), kept up to
// date from workspace/didChangeWorkspaceFolders. Only folders on disk can be scanned.
import type { WorkspaceFolder, WorkspaceFoldersChangeEvent } from 'vscode-languageserver';
import { fileNameOf } from '../files';

export interface Folder {
  uri: string;
  /** Absolute path. */
  path: string;
  name: string;
}

export class WorkspaceFolders {
  private readonly byUri = new Map<string, Folder>();

  /** From the initialize request: its folders, or the old `rootUri` when it names none. */
  reset(params: { workspaceFolders?: WorkspaceFolder[] | null; rootUri?: string | null }): void {
    this.byUri.clear();
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    for (const folder of folders) this.add(folder);
  }

  /** Applies a change; returns the folders that were added and removed. */
  change(event: WorkspaceFoldersChangeEvent): { added: Folder[]; removed: Folder[] } {
    const removed = event.removed.flatMap((f) => {
      const known = this.byUri.get(f.uri);
      this.byUri.delete(f.uri);
      return known ? [known] : [];
    });
    const added = event.added.flatMap((f) => this.add(f));
    return { added, removed };
  }

  all(): Folder[] {
    return [...this.byUri.values()];
  }

  /** The innermost folder that holds `path`. */
  containing(path: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.byUri.values()) {
      if (isInside(folder.path, path) && (!best || folder.path.length > best.path.length)) best = folder;
    }
    return best;
  }

  private add(folder: WorkspaceFolder): Folder[] {
    if (!folder.uri.startsWith('file:')) return [];
    const path = fileNameOf(folder.uri).replace(/[\\/]+$/, '');
    const entry = { uri: folder.uri, path, name: folder.name || path.split(/[\\/]/).pop() || path };
    this.byUri.set(folder.uri, entry);
    return [entry];
  }
}

export function isInside(folder: string, path: string): boolean {
  return path === folder || path.startsWith(`${folder}/`) || path.startsWith(`${folder}\\`);
}
