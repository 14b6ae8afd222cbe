// Parsing and input checks. One parse per file version; rules share it.
import { ts } from 'ts-morph';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export const SOURCE_EXTENSIONS = Object.keys(SCRIPT_KINDS);

export function extensionOf(fileName: string): string {
  const match = /\.[^./\\]+$/.exec(fileName);
  return match ? match[0].toLowerCase() : '';
}

export function isSourceFile(fileName: string): boolean {
  return extensionOf(fileName) in SCRIPT_KINDS && !fileName.endsWith('.d.ts');
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  return SCRIPT_KINDS[extensionOf(fileName)] ?? ts.ScriptKind.TS;
}

export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
}

/** Syntax errors the parser reported, as readable strings (empty when the file parses). */
export function syntaxErrors(sourceFile: ts.SourceFile): string[] {
  // `parseDiagnostics` is the parser's own list; reading it avoids building a Program.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.Diagnostic[] })
    .parseDiagnostics;
  return (diagnostics ?? []).map((d) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

/** Why a file is not analyzed at all, or undefined when it is fine to parse. */
export function refuseInput(text: string, maxLength = DEFAULT_MAX_FILE_BYTES): string | undefined {
  if (text.length > maxLength) {
    return `skipped: the file is larger than ${maxLength} characters (raise backstageAuth.maxFileSize to analyze it)`;
  }
  if (text.includes('\u0000')) return 'skipped: the file looks binary (it contains NUL bytes)';
  return undefined;
}

/** Files that fail any of these conventions are generated or minified; nobody edits them by hand. */
export function looksGenerated(text: string): boolean {
  if (text.length < 2000) return false;
  const lines = text.split('\n');
  const longest = lines.reduce((max, line) => Math.max(max, line.length), 0);
  return longest > 2000 && text.length / lines.length > 300;
}
