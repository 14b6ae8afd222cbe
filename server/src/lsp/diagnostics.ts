// Findings -> LSP diagnostics. `data` lets a code action request find the finding again, and
// tells it which document version the diagnostic was computed for.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../engine/types';
import { ruleById } from '../rules';
import { toRange } from './positions';

export const SOURCE = 'backstage-auth';

export interface DiagnosticData {
  ruleId: string;
  /** Start offset of the finding in that version. */
  start: number;
  version: number;
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
  const rule = ruleById(finding.ruleId);
  const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.range.start, version: document.version };
  return {
    range: toRange(document, finding.range),
    severity: SEVERITIES[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    ...(rule ? { codeDescription: { href: rule.docsUrl } } : {}),
    message: messageOf(finding),
    data,
  };
}

/** The reason a finding has no fix belongs in the message: it is what the user must do next. */
export function messageOf(finding: Finding): string {
  if (finding.fixes.length > 0 || !finding.notFixableReason) return finding.message;
  return `${finding.message} (not fixable automatically: ${finding.notFixableReason})`;
}

/** Our `data` on a diagnostic the client sent back, if it is there and well formed. */
export function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (
    diagnostic.source !== SOURCE ||
    typeof data?.ruleId !== 'string' ||
    typeof data.start !== 'number' ||
    typeof data.version !== 'number'
  ) {
    return undefined;
  }
  return { ruleId: data.ruleId, start: data.start, version: data.version };
}
