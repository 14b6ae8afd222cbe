// Shared by the suite files: the expectations the driver computed, our diagnostics, and waiting
// on conditions (the editor and the language server are asynchronous; nothing here sleeps blindly).
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ExpectedRange, Expectations } from '../support/expectations';
import { EXPECTATIONS_ENV } from './env';

export const EXTENSION_ID = 'backstage-auth-tools.backstage-auth-migration';
export const SOURCE = 'backstage-auth';

export function loadExpectations(): Expectations {
  const file = process.env[EXPECTATIONS_ENV];
  if (!file) throw new Error(`${EXPECTATIONS_ENV} is not set; run the suite through test/e2e/run.ts or electron.ts`);
  return JSON.parse(readFileSync(file, 'utf8')) as Expectations;
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the example workspace open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** Diagnostics of our language server only; the built-in TypeScript extension reports its own. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function plainRange(range: vscode.Range): ExpectedRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

export function toRange(range: ExpectedRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** Polls `get` until `done` holds; on timeout the error shows the last value seen. */
export async function waitFor<T>(
  what: string,
  get: () => T | PromiseLike<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return text.length > 4000 ? `${text.slice(0, 4000)}...` : text;
}
