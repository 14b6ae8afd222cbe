// Line breaks of text a fix inserts follow the file's own style. ts-morph and rules mostly do
// this already; this is the safety net for text built with a literal '\n' (or '\r\n' in a file
// that is mostly '\n'), so a fix never leaves a file with mixed line endings.
import { minimalEdits } from './edits';
import type { OffsetRange, TextEdit } from './types';

export type LineBreak = '\n' | '\r\n';

/** The line break most lines of `text` end with ('\n' when there are none, or on a tie). */
export function dominantLineBreak(text: string): LineBreak {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 0x0d) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Rewrites the line breaks inside the text that `after` inserted into `before` to the dominant
 * style of `before`. Text `before` already had is never touched, and neither is inserted text
 * inside a `kept` range of `after` (string and template literals, whose content is the
 * program's data).
 */
export function matchLineBreaks(before: string, after: string, kept: (after: string) => OffsetRange[] = () => []): string {
  const style = dominantLineBreak(before);
  const edits = minimalEdits(before, after);
  const needsWork = (edit: TextEdit) =>
    hasForeignBreak(edit.newText, style) || keepPairAtEnd(before, edit.range, edit.newText, style) !== edit.newText;
  if (!edits.some(needsWork)) return after;

  const protectedRanges = kept(after);
  const isProtected = (offset: number) => protectedRanges.some((r) => offset >= r.start && offset < r.end);
  const normalized: TextEdit[] = [];
  let delta = 0; // offset in `after` minus offset in `before`, for the edits so far
  for (const edit of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    const startInAfter = edit.range.start + delta;
    const charBefore = (i: number) => (i > 0 ? edit.newText[i - 1] : before[edit.range.start - 1]);
    let newText = '';
    for (let i = 0; i < edit.newText.length; i++) {
      const char = edit.newText[i];
      const at = startInAfter + i;
      if (style === '\r\n' && char === '\n' && charBefore(i) !== '\r' && !isProtected(at)) {
        newText += '\r\n';
      } else if (style === '\n' && char === '\r' && edit.newText[i + 1] === '\n' && !isProtected(at)) {
        // the '\n' that follows is copied on the next turn
      } else {
        newText += char;
      }
    }
    newText = keepPairAtEnd(before, edit.range, newText, style);
    delta += edit.newText.length - (edit.range.end - edit.range.start);
    normalized.push({ range: edit.range, newText });
  }
  let result = before;
  for (const edit of normalized.reverse()) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}

/**
 * An edit that ends just before a line break it keeps can split that break: removing the '\r'
 * of a kept '\r\n', or putting a '\r' before a kept lone '\n'.
 */
function keepPairAtEnd(before: string, range: OffsetRange, newText: string, style: LineBreak): string {
  if (before[range.end] !== '\n') return newText;
  const removedCarriageReturn = range.end > range.start && before[range.end - 1] === '\r';
  const endsWithCarriageReturn = newText.endsWith('\r');
  if (style === '\r\n' && removedCarriageReturn && !endsWithCarriageReturn) return newText + '\r';
  if (style === '\n' && endsWithCarriageReturn && !removedCarriageReturn && before[range.start - 1] !== '\r') {
    return newText.slice(0, -1);
  }
  return newText;
}

function hasForeignBreak(text: string, style: LineBreak): boolean {
  return style === '\r\n' ? /(^|[^\r])\n/.test(text) : text.includes('\r\n');
}
