// Replacing or removing whole statements without losing comments. The statements' container
// (a block or case clause) is rebuilt from its own text, so everything outside the edited
// range stays byte for byte; comments inside the edited range are kept on their own lines.
import { type SourceFile, ts } from 'ts-morph';
import { newLineOf, replaceVerbatim } from '../../engine/morph';
import { FixRefusal } from '../../engine/types';
import { lineIndent } from './lists';
import { wrap } from './services';

/** Statements that can be spliced: their parent is rebuilt as one node. */
export type StatementContainer = ts.Block | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock;

export function statementContainer(statement: ts.Statement): StatementContainer | undefined {
  const parent = statement.parent;
  return ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isModuleBlock(parent)
    ? parent
    : undefined;
}

export interface StatementEdit {
  first: ts.Statement;
  /** Defaults to `first`; must be in the same container. */
  last?: ts.Statement;
  /** May span several lines (later lines get the statements' indentation); empty removes. */
  text: string;
}

/**
 * Replaces the statements from `first` to `last` with `text`. An empty `text` removes them,
 * with their lines when they stood alone on them. Invalidates every ts-morph node inside the
 * statements' container.
 */
export function spliceStatements(sourceFile: SourceFile, first: ts.Statement, text: string, last: ts.Statement = first): void {
  editStatements(sourceFile, [{ first, last, text }]);
}

/** Several non-overlapping `spliceStatements` edits in one container, applied at once. */
export function editStatements(sourceFile: SourceFile, edits: readonly StatementEdit[]): void {
  if (edits.length === 0) return;
  const container = statementContainer(edits[0].first);
  if (!container || edits.some((e) => e.first.parent !== container || (e.last ?? e.first).parent !== container)) {
    throw new FixRefusal('the statements to rewrite are not in one block');
  }
  const file = sourceFile.compilerNode;
  const full = file.getFullText();
  const nl = newLineOf(sourceFile);
  const cuts = edits
    .map((edit) => cutFor(file, full, nl, edit))
    .sort((a, b) => b.start - a.start);
  const node = wrap(sourceFile, container);
  const base = node.getStart();
  let own = node.getText();
  for (const cut of cuts) own = own.slice(0, cut.start - base) + cut.text + own.slice(cut.end - base);
  replaceVerbatim(node, own);
}

function cutFor(file: ts.SourceFile, full: string, nl: string, edit: StatementEdit): { start: number; end: number; text: string } {
  let start = edit.first.getStart(file);
  let end = (edit.last ?? edit.first).getEnd();
  const indent = lineIndent(full, start);
  const comments = commentsWithin(file, start, end);
  const lines = [...comments, ...(edit.text ? [edit.text.split('\n').join(`${nl}${indent}`)] : [])];
  if (lines.length === 0) {
    // Take the whole line(s) when nothing else shares them.
    const lineStart = full.lastIndexOf('\n', start - 1) + 1;
    const rest = /^[ \t]*\r?\n/.exec(full.slice(end));
    if (/^[ \t]*$/.test(full.slice(lineStart, start)) && rest) {
      start = lineStart;
      end += rest[0].length;
    }
  }
  return { start, end, text: lines.join(`${nl}${indent}`) };
}

/** Comments that start and end inside [start, end), in order. */
function commentsWithin(file: ts.SourceFile, start: number, end: number): string[] {
  const text = file.getFullText();
  const found = new Map<number, string>();
  const visit = (node: ts.Node): void => {
    if (node.end <= start || node.pos >= end) return;
    for (const range of [...(ts.getLeadingCommentRanges(text, node.pos) ?? []), ...(ts.getTrailingCommentRanges(text, node.pos) ?? [])]) {
      if (range.pos >= start && range.end <= end) found.set(range.pos, text.slice(range.pos, range.end));
    }
    for (const child of node.getChildren(file)) visit(child);
  };
  visit(file);
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, comment]) => comment);
}
