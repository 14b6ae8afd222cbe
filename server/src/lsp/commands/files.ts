// The text a command works on: the open document when the editor has it (unsaved edits win, and
// the edit is then versioned against it), else the file on disk, read defensively.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readSourceFile } from '../../cli/files/read';
import { fileNameOf } from '../files';

export interface FileText {
  uri: string;
  fileName: string;
  text: string;
  /** The open document's version; null for a file read from disk. */
  version: number | null;
}

export type Documents = Pick<TextDocuments<TextDocument>, 'get' | 'all'>;

export function readTarget(uri: string, documents: Documents, maxBytes: number): FileText | { reason: string } {
  const open = documents.get(uri);
  const fileName = fileNameOf(uri);
  if (open) return { uri, fileName, text: open.getText(), version: open.version };
  if (!uri.startsWith('file:')) return { reason: `${uri} is not open and not a file on disk` };
  const read = readSourceFile(fileName, maxBytes);
  return read.ok ? { uri, fileName, text: read.text, version: null } : { reason: `${fileName}: ${read.reason}` };
}

/** Repo files by path relative to `root`, open documents first; remembers what it read. */
export class RepoFiles {
  readonly read = new Map<string, FileText>();

  constructor(
    private readonly root: string,
    private readonly documents: Documents,
    private readonly maxBytes: number,
  ) {}

  /** A RepoReader: relative path (forward slashes) -> text, or undefined. */
  readonly reader = (relativePath: string): string | undefined => {
    const absolute = join(this.root, ...relativePath.split('/'));
    const uri = pathToFileURL(absolute).href;
    const open = this.documents.get(uri);
    if (open) {
      this.read.set(relativePath, { uri, fileName: absolute, text: open.getText(), version: open.version });
      return open.getText();
    }
    try {
      const stats = statSync(absolute);
      if (!stats.isFile() || stats.size > this.maxBytes) return undefined;
      const text = readFileSync(absolute, 'utf8');
      this.read.set(relativePath, { uri, fileName: absolute, text, version: null });
      return text;
    } catch {
      return undefined;
    }
  };
}
