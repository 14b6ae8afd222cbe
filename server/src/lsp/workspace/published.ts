// Which files the scan currently shows problems for. Only files with findings are published
// (and remembered by URI, nothing more): a fixed, deleted or ignored file gets an empty list
// once, then is forgotten. An open document publishes its own diagnostics, which always win:
// the scan never sends anything for it.
import type { Diagnostic } from 'vscode-languageserver';

export type SendDiagnostics = (uri: string, diagnostics: Diagnostic[]) => void;

export class PublishedFiles {
  private readonly uris = new Set<string>();

  constructor(
    private readonly send: SendDiagnostics,
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  get size(): number {
    return this.uris.size;
  }

  set(uri: string, diagnostics: Diagnostic[]): void {
    if (this.isOpen(uri)) return;
    if (diagnostics.length > 0) {
      this.uris.add(uri);
      this.send(uri, diagnostics);
    } else {
      this.clear(uri);
    }
  }

  clear(uri: string): void {
    if (this.uris.delete(uri) && !this.isOpen(uri)) this.send(uri, []);
  }

  /** Clears every file for which `drop` is true (a folder removed or deleted, a scan that no longer reaches it). */
  clearWhere(drop: (uri: string) => boolean): void {
    for (const uri of [...this.uris]) if (drop(uri)) this.clear(uri);
  }
}
