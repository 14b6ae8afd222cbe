// `rules`: what the tool knows, for people (text) and scripts (json).
import type { RulesFormat } from '../args';
import type { CliIO } from '../io';
import { allRules } from '../../rules';

export function runRules(format: RulesFormat, io: CliIO): number {
  const rules = allRules.map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    docsUrl: rule.docsUrl,
    fixable: rule.fix !== undefined,
  }));
  if (format === 'json') {
    io.out(JSON.stringify({ rules }, null, 2) + '\n');
    return 0;
  }
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const severityWidth = Math.max(...rules.map((r) => r.severity.length));
  const lines = rules.flatMap((r) => [
    `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(severityWidth)}  ${r.title}${r.fixable ? '' : '  (no automatic fix)'}`,
    `${' '.repeat(idWidth + 2)}${r.docsUrl}`,
  ]);
  io.out(lines.join('\n') + '\n');
  return 0;
}
