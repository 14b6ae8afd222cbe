// The machine format of `check`. Positions are 0-based (LSP's convention); `summary.files`
// counts the files checked, `files` lists only the files with findings, and `skipped` appears
// only when some file could not be checked. `targets`: the migration target of each package
// with findings (see `../targets.ts`).
import type { CheckReport } from '../report';

export function formatCheckJson(report: CheckReport): string {
  let findings = 0;
  let fixable = 0;
  const files = report.files.map((file) => ({
    path: file.path,
    findings: file.findings.map((f) => {
      findings++;
      if (f.fixable) fixable++;
      return { rule: f.rule, severity: f.severity, message: f.message, range: f.range, fixable: f.fixable };
    }),
  }));
  const output = {
    files,
    ...(report.skipped.length > 0 ? { skipped: report.skipped.map(({ path, reason }) => ({ path, reason })) } : {}),
    summary: { files: report.checked, findings, fixable },
    targets: report.targets,
  };
  return JSON.stringify(output, null, 2) + '\n';
}
