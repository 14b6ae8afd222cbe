// The human format: one line per finding, `path:line:col  severity  message  [rule]`, with
// 1-based positions like a compiler, so terminals and editors can jump to it.
import { plural, type CheckReport, type FileReport, type ReportedFinding } from '../report';
import { targetLines } from '../targets';

export function findingLine(path: string, finding: ReportedFinding): string {
  const { line, character } = finding.range.start;
  const head = `${path}:${line + 1}:${character + 1}  ${finding.severity}  ${finding.message}  [${finding.rule}]`;
  return finding.fixable ? `${head}  (fixable)` : head;
}

/** The finding's line, plus why it is not fixed automatically when it is not. */
export function findingLines(file: FileReport, finding: ReportedFinding): string[] {
  const line = findingLine(file.path, finding);
  return finding.reason === undefined ? [line] : [line, `    not auto-fixable: ${finding.reason}`];
}

export function formatCheckText(report: CheckReport): string {
  const lines = report.files.flatMap((file) => file.findings.flatMap((f) => findingLines(file, f)));
  for (const skipped of report.skipped) lines.push(`${skipped.path}  skipped: ${skipped.reason}`);
  if (lines.length > 0) lines.push('');
  lines.push(...targetLines(report.targets), checkSummary(report));
  return lines.join('\n') + '\n';
}

export function checkSummary(report: CheckReport): string {
  const findings = report.files.reduce((n, file) => n + file.findings.length, 0);
  const fixable = report.files.reduce((n, file) => n + file.findings.filter((f) => f.fixable).length, 0);
  const scope = `${plural(report.checked, 'file')} checked${report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : ''}`;
  if (findings === 0) return `No findings; ${scope}.`;
  return `${plural(findings, 'finding')} in ${plural(report.files.length, 'file')} (${fixable} fixable); ${scope}.`;
}
