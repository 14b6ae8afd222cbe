// Adding and removing items of comma-separated lists ({ a, b } patterns, object literals,
// argument lists), keeping the list's own layout: one line stays one line, one item per line
// stays one item per line, a trailing comma stays. The container node is replaced as a whole
// (`replaceWithText`), which keeps every ts-morph node outside it valid.
import { type Node } from 'ts-morph';
import { newLineOf, replaceVerbatim } from '../../engine/morph';

interface Shape {
  text: string;
  /** Offset (within text) just after the opening bracket. */
  open: number;
  /** Offset of the closing bracket. */
  close: number;
  items: { start: number; end: number }[];
  /** Indentation of the container's first line (the line it starts on). */
  baseIndent: string;
}

function shapeOf(container: Node, items: readonly Node[]): Shape {
  const text = container.getText();
  const base = container.getStart();
  const closeChar = text[text.length - 1];
  const openChar = closeChar === ')' ? '(' : closeChar === ']' ? '[' : '{';
  const firstItem = items.length ? items[0].getStart() - base : text.length - 1;
  const full = container.getSourceFile().getFullText();
  return {
    text,
    open: text.lastIndexOf(openChar, firstItem) + 1,
    close: text.length - 1,
    items: items.map((i) => ({ start: i.getStart() - base, end: i.getEnd() - base })),
    baseIndent: lineIndent(full, base),
  };
}

/** Appends `itemText` to the list in `container`; returns the replacement node. */
export function appendListItem(container: Node, items: readonly Node[], itemText: string): Node {
  const s = shapeOf(container, items);
  const { text, items: list, open, close } = s;
  const unit = indentUnit(container.getSourceFile().getFullText());
  const nl = newLineOf(container.getSourceFile());
  let result: string;
  if (list.length === 0) {
    const inner = text.slice(open, close);
    if (inner.includes('\n')) {
      result = `${text.slice(0, open)}${nl}${s.baseIndent}${unit}${itemText},${nl}${s.baseIndent}${text.slice(close)}`;
    } else {
      const spaced = text[close] === '}';
      result = `${text.slice(0, open)}${spaced ? ` ${itemText} ` : itemText}${text.slice(close)}`;
    }
    return replaceVerbatim(container, result);
  }
  const last = list[list.length - 1];
  const afterLast = text.slice(last.end, close);
  const comma = /^\s*,/.exec(afterLast);
  const multiline = /\n\s*$/.test(afterLast);
  if (multiline) {
    const indent = lineIndent(text, last.start) || s.baseIndent + unit;
    result = comma
      ? `${text.slice(0, last.end + comma[0].length)}${nl}${indent}${itemText},${text.slice(last.end + comma[0].length)}`
      : `${text.slice(0, last.end)},${nl}${indent}${itemText}${text.slice(last.end)}`;
  } else {
    result = `${text.slice(0, last.end)}, ${itemText}${text.slice(last.end)}`;
  }
  return replaceVerbatim(container, result);
}

/** Inserts `itemText` before item `index` (appends when index is past the end). */
export function insertListItem(container: Node, items: readonly Node[], index: number, itemText: string): Node {
  if (index >= items.length) return appendListItem(container, items, itemText);
  const s = shapeOf(container, items);
  const { text } = s;
  const item = s.items[index];
  const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
  const ownLine = lineStart > 0 && /^[ \t]*$/.test(text.slice(lineStart, item.start));
  const nl = newLineOf(container.getSourceFile());
  const inserted = ownLine ? `${itemText},${nl}${text.slice(lineStart, item.start)}` : `${itemText}, `;
  return replaceVerbatim(container, text.slice(0, item.start) + inserted + text.slice(item.start));
}

/** Removes item `index` with its comma (and its line, when it stood alone on it). */
export function removeListItem(container: Node, items: readonly Node[], index: number): Node {
  const s = shapeOf(container, items);
  const { text, items: list, close } = s;
  const item = list[index];
  const next = list[index + 1];
  const previous = list[index - 1];
  const trailing = /^\s*,/.exec(text.slice(item.end, next ? next.start : close));
  const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
  const ownLine = lineStart > 0 && /^[ \t]*$/.test(text.slice(lineStart, item.start));
  let cut: [number, number];
  let insert = '';
  if (!next && !trailing && previous) {
    cut = [previous.end, item.end]; // the previous item's comma goes too
  } else if (ownLine) {
    let end = item.end + (trailing ? trailing[0].length : 0);
    const lineEnd = text.indexOf('\n', end);
    if (lineEnd !== -1 && /^[ \t]*\r?$/.test(text.slice(end, lineEnd))) end = lineEnd + 1;
    cut = [lineStart, end];
  } else if (next) {
    cut = [item.start, next.start];
  } else if (previous) {
    cut = [previous.end, item.end + (trailing ? trailing[0].length : 0)];
    insert = trailing ? ',' : '';
  } else {
    cut = [s.open, close];
  }
  return replaceVerbatim(container, text.slice(0, cut[0]) + insert + text.slice(cut[1]));
}

export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

export function indentUnit(text: string): string {
  const match = /^( +|\t)\S/m.exec(text);
  return match ? match[1] : '  ';
}
