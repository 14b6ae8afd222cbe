// What `check` found, in the CLI's terms: files by display path, findings with 0-based
// line/character positions (the formats add 1 where their convention says so).
import type { Finding, Severity } from '../engine/types';
import { preferredOption } from '../engine/engine';
import type { SkippedFile } from './files/walk';
import type { TargetGroup } from './targets';

export interface Position {
  line: number;
  character: number;
}

export interface ReportedFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: { start: Position; end: Position };
  /** `fix` will apply the finding's preferred fix. */
  fixable: boolean;
  /** For findings that are not fixable: what stops it (shown in text and SARIF). */
  reason?: string;
}

export interface FileReport {
  path: string;
  findings: ReportedFinding[];
}

export interface RuleCrash {
  path: string;
  rule: string;
  error: string;
}

export interface CheckReport {
  /** Only files with findings, sorted by path. */
  files: FileReport[];
  /** Files that could not be checked, sorted by path. */
  skipped: SkippedFile[];
  /** Files that were read and analyzed (skipped files not included). */
  checked: number;
  crashes: RuleCrash[];
  /** The migration target of each package with findings, and why. */
  targets: TargetGroup[];
}

/**
 * Offsets -> positions, with the line breaks TypeScript itself counts (\n, \r\n, \r, U+2028,
 * U+2029) so lines match what tsc prints. Characters are UTF-16 code units, as in LSP.
 */
export function positionsOf(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue; // \r of \r\n: the \n ends it
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) lineStarts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - lineStarts[low] };
  };
}

export function toReported(finding: Finding, at: (offset: number) => Position): ReportedFinding {
  const fixable = preferredOption(finding) !== undefined;
  return {
    rule: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    range: { start: at(finding.range.start), end: at(finding.range.end) },
    fixable,
    ...(fixable ? {} : { reason: whyNotFixable(finding) }),
  };
}

/** Why `fix` leaves a finding alone, before it tries anything. */
export function whyNotFixable(finding: Finding): string {
  if (finding.fixes.length > 0 && !preferredOption(finding)) {
    const choices = finding.fixes.map((o) => o.title).join(' | ');
    return `needs a person to choose a fix (${choices}); apply one from the editor's quick fixes`;
  }
  return finding.notFixableReason ?? 'there is no automatic fix for this';
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
