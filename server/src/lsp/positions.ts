// Engine offsets (UTF-16, like LSP) <-> LSP positions, always against one document version.
import type { Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OffsetRange, TextEdit as EngineEdit } from '../engine/types';

export function toRange(document: TextDocument, range: OffsetRange): Range {
  return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

export function toOffsets(document: TextDocument, range: Range): OffsetRange {
  return { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

export function toTextEdits(document: TextDocument, edits: readonly EngineEdit[]): TextEdit[] {
  return edits.map((edit) => ({ range: toRange(document, edit.range), newText: edit.newText }));
}

/** Touching counts: a cursor right after a finding still gets its quick fix. */
export function intersects(a: OffsetRange, b: OffsetRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(range: OffsetRange, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}
