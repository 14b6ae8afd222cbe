// Line-based text edits for the last step of a fix. ts-morph's `insertStatements` puts a new
// statement between a statement and its trailing `// comment`; these edits work on whole lines
// instead. They call `sourceFile.insertText`/`replaceWithText`, which forget every ts-morph
// node, so a fix uses them last (or re-reads the tree from `sourceFile` afterwards).
import { ts, type SourceFile } from 'ts-morph';
import { newLineOf } from '../../engine/morph';
import { FixRefusal } from '../../engine/types';
import { lineIndent } from './lists';

/**
 * Inserts `text` (lines joined with `\n`) on new lines after the line where `statement` ends,
 * indented like the statement.
 */
export function insertLinesAfter(sourceFile: SourceFile, statement: ts.Node, text: string): void {
  const full = sourceFile.getFullText();
  const nl = newLineOf(sourceFile);
  const indent = lineIndent(full, statement.getStart());
  const lineBreak = full.indexOf('\n', statement.getEnd());
  const at = lineBreak === -1 ? full.length : full[lineBreak - 1] === '\r' ? lineBreak - 1 : lineBreak;
  const lines = text.split('\n').map((line) => (line ? indent + line : line));
  sourceFile.insertText(at, nl + lines.join(nl));
}

/**
 * Inserts `text` (lines joined with `\n`) on new lines before `statement`, above the comment
 * lines that belong to it, indented like the statement. Throws FixRefusal when the statement
 * does not start its own line.
 */
export function insertLinesBefore(sourceFile: SourceFile, statement: ts.Node, text: string): void {
  const full = sourceFile.getFullText();
  const nl = newLineOf(sourceFile);
  const startsLine = (offset: number) => /^[ \t]*$/.test(full.slice(lineStartOf(full, offset), offset));
  const ownLineComment = (ts.getLeadingCommentRanges(full, statement.getFullStart()) ?? []).find((c) => startsLine(c.pos));
  const from = ownLineComment?.pos ?? statement.getStart();
  if (!startsLine(from)) throw new FixRefusal('the statement shares its line with other code, so there is no line to insert before');
  const indent = lineIndent(full, statement.getStart());
  const lines = text.split('\n').map((line) => (line ? indent + line : line));
  sourceFile.insertText(lineStartOf(full, from), lines.join(nl) + nl);
}

export interface TextCut {
  start: number;
  end: number;
  text?: string;
}

/** Applies non-overlapping cuts (offsets into the current full text) at once. */
export function applyCuts(sourceFile: SourceFile, cuts: readonly TextCut[]): void {
  let text = sourceFile.getFullText();
  for (const cut of [...cuts].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, cut.start) + (cut.text ?? '') + text.slice(cut.end);
  }
  sourceFile.replaceWithText(text);
}

/**
 * The range that removes a whole statement: its line(s), the comment lines directly above it
 * (no blank line in between), a trailing comment on its last line, and one blank line when the
 * removal would leave two in a row (or one before a closing brace).
 */
export function statementLinesRange(file: ts.SourceFile, statement: ts.Node): TextCut {
  const text = file.getFullText();
  let start = lineStartOf(text, statement.getStart(file));
  // Comment lines directly above belong to the statement.
  for (;;) {
    if (start === 0) break;
    const previousStart = lineStartOf(text, start - 1);
    const previous = text.slice(previousStart, start).trim();
    if (!(previous.startsWith('//') || previous.startsWith('/*') || previous.startsWith('*'))) break;
    start = previousStart;
  }
  const lineBreak = text.indexOf('\n', statement.getEnd());
  const end = lineBreak === -1 ? text.length : lineBreak + 1;
  return tidyRemoval(text, { start, end });
}

/**
 * Widens the removal of whole lines so it leaves no doubled blank line, and no blank line right
 * after an opening or before a closing bracket.
 */
export function tidyRemoval(text: string, cut: TextCut): TextCut {
  let { start, end } = cut;
  const previousBlank = start >= 2 && /\n[ \t]*\r?\n$/.test(text.slice(0, start));
  const rest = text.slice(end);
  const nextBlank = /^[ \t]*\r?\n/.exec(rest);
  const closes = /^[ \t]*[}\])]/.test(rest);
  const opens = start === 0 || /[{[(][ \t]*\r?\n$/.test(text.slice(0, start));
  if (opens && nextBlank) end += nextBlank[0].length;
  else if (previousBlank && (nextBlank || closes)) start = lineStartOf(text, start - 1);
  return { ...cut, start, end };
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
