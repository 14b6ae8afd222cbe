// SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps, ...) ingest. One run;
// the driver lists the rules that ran; results point at 1-based regions of files relative to
// the folder the command ran in (%SRCROOT%). Fixes are not exported: they need the engine.
import { pathToFileURL } from 'node:url';
import type { AnyRule, Severity } from '../../engine/types';
import type { CheckReport } from '../report';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export interface SarifContext {
  rules: readonly AnyRule[];
  cwd: string;
  toolVersion: string;
  informationUri: string;
}

export function formatCheckSarif(report: CheckReport, context: SarifContext): string {
  const ruleIndex = new Map(context.rules.map((rule, index) => [rule.id, index]));
  const artifact = (path: string) => ({ uri: relativeUri(path), uriBaseId: SRCROOT });

  const results = report.files.flatMap((file) =>
    file.findings.map((finding) => ({
      ruleId: finding.rule,
      ruleIndex: ruleIndex.get(finding.rule),
      level: LEVELS[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(file.path),
            region: {
              startLine: finding.range.start.line + 1,
              startColumn: finding.range.start.character + 1,
              endLine: finding.range.end.line + 1,
              endColumn: finding.range.end.character + 1,
            },
          },
        },
      ],
      properties: { fixable: finding.fixable, ...(finding.reason ? { notFixableReason: finding.reason } : {}) },
    })),
  );

  const notifications = [
    ...report.skipped.map((skipped) => ({
      level: skipped.ioError ? 'error' : 'note',
      message: { text: `skipped: ${skipped.reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifact(skipped.path) } }],
    })),
    ...report.crashes.map((crash) => ({
      level: 'error',
      message: { text: `rule ${crash.rule} failed: ${crash.error}` },
      associatedRule: { id: crash.rule, index: ruleIndex.get(crash.rule) },
      locations: [{ physicalLocation: { artifactLocation: artifact(crash.path) } }],
    })),
  ];

  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'backstage-auth-migrate',
            version: context.toolVersion,
            informationUri: context.informationUri,
            rules: context.rules.map((rule) => ({
              id: rule.id,
              name: pascalCase(rule.id),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.explanation },
              helpUri: rule.docsUrl,
              help: { text: `${rule.explanation}\n\n${rule.docsUrl}`, markdown: `${rule.explanation}\n\n[Migration guide](${rule.docsUrl})` },
              defaultConfiguration: { level: LEVELS[rule.severity] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: report.crashes.length === 0 && !report.skipped.some((s) => s.ioError),
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(context.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
        // Which migration target the fixes aim for in each package, and why.
        properties: { migrationTargets: report.targets },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** A relative path as a relative URI reference: each segment percent-encoded. */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
