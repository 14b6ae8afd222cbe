// Inline suppressions: `// backstage-auth-ignore-next-line [rule-id ...]` above a line hides
// findings that start on that line (all rules when no id is given).
import type { Finding, TextEdit } from './types';

export const IGNORE_DIRECTIVE = 'backstage-auth-ignore-next-line';

export function isSuppressed(text: string, finding: Finding): boolean {
  if (!mentionsDirective(text)) return false;
  const lineStart = text.lastIndexOf('\n', finding.range.start - 1) + 1;
  if (lineStart === 0) return false;
  const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const previous = text.slice(previousStart, lineStart).trim();
  const match = /^(?:\/\/|#|\/\*)\s*backstage-auth-ignore-next-line\b(.*?)(?:\*\/)?$/.exec(previous);
  if (!match) return false;
  const ids = match[1].split(/[\s,]+/).filter(Boolean);
  return ids.length === 0 || ids.includes(finding.ruleId);
}

// Asked once per finding, and a large file has hundreds: the search of the whole text is
// done once per text (the last one asked about).
let lastText: string | undefined;
let lastMentions = false;

function mentionsDirective(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastMentions = text.includes(IGNORE_DIRECTIVE);
  }
  return lastMentions;
}

/** The edit that inserts a suppression comment above the finding's line, indented like it. */
export function suppressionEdit(text: string, finding: Finding, commentPrefix = '//'): TextEdit {
  const lineStart = text.lastIndexOf('\n', finding.range.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    range: { start: lineStart, end: lineStart },
    newText: `${indent}${commentPrefix} ${IGNORE_DIRECTIVE} ${finding.ruleId}${newline}`,
  };
}
