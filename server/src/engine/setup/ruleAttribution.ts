// Which rules made each edit of a fix-all: fix-all applies one fix at a time and returns the
// combined minimal edits against the original text, plus each fix's own edits against the text
// as it was before that fix. Mapping those back onto the original text tells, for each combined
// edit, the rules whose fixes touched its range (so a preview can group the edits per rule).
import type { TextEdit } from '../types';

export interface AppliedFix {
  ruleId: string;
  /** On the text as it was right before this fix. */
  edits: readonly TextEdit[];
}

export interface AttributedEdit {
  edit: TextEdit;
  /** The rules whose fixes changed this range, in the order they were applied (empty if none did). */
  ruleIds: string[];
}

/** Attributes each edit of `combined` (on the original text) to the fixes in `applied`. */
export function attributeEdits(combined: readonly TextEdit[], applied: readonly AppliedFix[]): AttributedEdit[] {
  // Each fix's ranges, carried back onto the original text through the fixes before it.
  const touched = applied.map((fix, index) => ({
    ruleId: fix.ruleId,
    ranges: fix.edits.map((edit) => {
      let { start, end } = edit.range;
      for (let earlier = index - 1; earlier >= 0; earlier--) {
        start = mapBack(start, applied[earlier].edits, 'start');
        end = mapBack(end, applied[earlier].edits, 'end');
      }
      return { start, end };
    }),
  }));
  return combined.map((edit) => {
    const ruleIds: string[] = [];
    for (const fix of touched) {
      if (!ruleIds.includes(fix.ruleId) && fix.ranges.some((range) => overlaps(range, edit.range))) ruleIds.push(fix.ruleId);
    }
    return { edit, ruleIds };
  });
}

/**
 * A position in the text after `edits` -> the position in the text before them. A position
 * inside replaced text maps to the start (or end) of what it replaced.
 */
function mapBack(position: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    const newStart = edit.range.start + shift;
    const newEnd = newStart + edit.newText.length;
    if (position < newStart) break;
    if (position <= newEnd) return side === 'start' ? edit.range.start : edit.range.end;
    shift += edit.newText.length - (edit.range.end - edit.range.start);
  }
  return position - shift;
}

/** Ranges share a character, or an insertion (empty range) touches the other. */
function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  if (a.start === a.end || b.start === b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}
