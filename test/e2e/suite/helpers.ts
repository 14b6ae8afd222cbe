// Shared by the suite files: the expectations the driver computed, our diagnostics, and waiting
// on conditions (the editor and the language server are asynchronous; nothing here sleeps blindly).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ExpectedDiagnostic, ExpectedRange, Expectations } from '../support/expectations';
import type { FileTexts, Scenarios } from '../support/scenarios';
import { EXPECTATIONS_ENV, SCENARIOS_ENV } from './env';

export const EXTENSION_ID = 'backstage-auth-tools.backstage-auth-migration';
export const SOURCE = 'backstage-auth';

export function loadExpectations(): Expectations {
  const file = process.env[EXPECTATIONS_ENV];
  if (!file) throw new Error(`${EXPECTATIONS_ENV} is not set; run the suite through test/e2e/run.ts or electron.ts`);
  return JSON.parse(readFileSync(file, 'utf8')) as Expectations;
}

export function loadScenarios(): Scenarios {
  const file = process.env[SCENARIOS_ENV];
  if (!file) throw new Error(`${SCENARIOS_ENV} is not set; run the suite through test/e2e/run.ts or electron.ts`);
  return JSON.parse(readFileSync(file, 'utf8')) as Scenarios;
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

/** Code and range: enough to tell which text a server analyzed. */
export interface Located {
  code: string;
  range: ExpectedRange;
}

export function located(diagnostic: vscode.Diagnostic): Located {
  const code = diagnostic.code;
  return { code: typeof code === 'object' ? String(code.value) : String(code), range: plainRange(diagnostic.range) };
}

export function expectedLocated(expected: readonly ExpectedDiagnostic[]): Located[] {
  return expected.map(({ code, range }) => ({ code, range })).sort(byStart);
}

export function byStart(a: Located, b: Located): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

/** Our diagnostics for `uri` once they are exactly `want` (code and range), or the last ones
 * seen on timeout, for the caller's assertion to show the difference. */
export function settledDiagnostics(uri: vscode.Uri, want: readonly Located[], timeoutMs = 60_000): Promise<Located[]> {
  return settled(() => ourDiagnostics(uri).map(located).sort(byStart), (actual) => sameJson(actual, want), timeoutMs);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every file below `root` by forward-slash path (what the driver's readTree returns). */
export function readTree(root: string): FileTexts {
  const texts: FileTexts = {};
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) texts[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  visit(root);
  return texts;
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Edits applied as a refactoring are saved by the editor afterwards: the file once it is
 * `text`, or what it is on timeout. */
export function settledFile(path: string, text: string, timeoutMs = 30_000): Promise<string | undefined> {
  return settled(() => readText(path), (actual) => actual === text, timeoutMs);
}

/** Like waitFor, but on timeout resolves to the last value, so an exact assertion follows. */
export async function settled<T>(get: () => T | PromiseLike<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  return waitFor('', get, done, timeoutMs).catch(() => get());
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
