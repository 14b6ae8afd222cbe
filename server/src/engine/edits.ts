// Turns "old text, new text" into the smallest set of edits, so an editor keeps cursors,
// folding and undo granularity outside the rewritten code.
import { diffLines } from 'diff';
import type { TextEdit } from './types';

export function minimalEdits(oldText: string, newText: string): TextEdit[] {
  if (oldText === newText) return [];
  const edits: TextEdit[] = [];
  let offset = 0;
  let pending: { start: number; removed: string; added: string } | undefined;
  const flush = () => {
    if (pending) edits.push(trimEdit(pending.start, pending.removed, pending.added));
    pending = undefined;
  };
  for (const part of diffLines(oldText, newText)) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      continue;
    }
    pending ??= { start: offset, removed: '', added: '' };
    if (part.removed) {
      pending.removed += part.value;
      offset += part.value.length;
    } else {
      pending.added += part.value;
    }
  }
  flush();
  return edits;
}

/** Shrinks one line-level hunk to the characters that really differ. */
function trimEdit(start: number, removed: string, added: string): TextEdit {
  let prefix = 0;
  const maxPrefix = Math.min(removed.length, added.length);
  while (prefix < maxPrefix && removed[prefix] === added[prefix]) prefix++;
  let suffix = 0;
  const maxSuffix = maxPrefix - prefix;
  while (
    suffix < maxSuffix &&
    removed[removed.length - 1 - suffix] === added[added.length - 1 - suffix]
  ) {
    suffix++;
  }
  return {
    range: { start: start + prefix, end: start + removed.length - suffix },
    newText: added.slice(prefix, added.length - suffix),
  };
}

/** Applies non-overlapping edits (any order) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}
