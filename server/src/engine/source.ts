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

/**
 * A parse whose nodes have no `parent` yet: for a caller that walks the whole tree anyway and
 * sets them itself (see preorder.ts), sparing TypeScript's own pass over it.
 */
export function parseSourceWithoutParents(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
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
  if (looksUndecodable(text)) {
    return 'skipped: the file looks binary or is not UTF-8 (many characters could not be decoded)';
  }
  if (looksGenerated(text)) return 'skipped: the file looks generated or minified (very long lines)';
  return undefined;
}

/**
 * A file whose bytes were decoded leniently (an editor or client that replaced what was not
 * UTF-8) is full of U+FFFD. A few are fine (a Latin-1 comment): the rest of the file is still
 * code, and fixes keep those characters as they are.
 */
export function looksUndecodable(text: string): boolean {
  let replaced = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) replaced++;
  return replaced >= 16 && replaced * 50 > text.length;
}

/**
 * TypeScript's scanner reads any U+FFFD as the sign of a binary file and parses nothing after
 * it (tsc reports "File appears to be binary"), so such a source file is skipped with a reason
 * rather than analyzed as an empty file.
 */
export function refuseSourceText(text: string): string | undefined {
  if (!text.includes('\uFFFD')) return undefined;
  const { line, character } = positionOf(text, text.indexOf('\uFFFD'));
  return `skipped: the file contains U+FFFD at ${line + 1}:${character + 1} (bytes that were not UTF-8); TypeScript cannot parse it`;
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}

/** Files that fail any of these conventions are generated or minified; nobody edits them by hand. */
export function looksGenerated(text: string): boolean {
  if (text.length < 2000) return false;
  // Same measure as splitting into lines, without building the array (files can be large).
  let lines = 1;
  let longest = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - lineStart);
    lineStart = i + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - lineStart);
  return longest > 2000 && text.length / lines > 300;
}

const LITERAL_KINDS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
]);

/** Where the string and template literals of a file are (their text is the program's data). */
export function literalRanges(sourceFile: ts.SourceFile): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (LITERAL_KINDS.has(node.kind)) ranges.push({ start: node.getStart(sourceFile), end: node.getEnd() });
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return ranges;
}
