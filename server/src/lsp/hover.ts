// Hover over a finding: what the rule is about, a before/after example, whether the editor can
// fix it, and where the guide explains it.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigRule, type AnyRule, type Finding } from '../engine/types';
import { ruleById } from '../rules';
import { contains, toRange } from './positions';

/** `targetNote` says which migration target (and versions) the fixes aim for; asked only on a hit. */
export function hoverAt(
  document: TextDocument,
  findings: readonly Finding[],
  offset: number,
  targetNote?: () => string,
): Hover | null {
  const here = findings.filter((f) => contains(f.range, offset));
  if (here.length === 0) return null;
  // The target decides how code is rewritten; config findings do not depend on it.
  const aboutCode = here.some((f) => {
    const rule = ruleById(f.ruleId);
    return rule !== undefined && !isConfigRule(rule);
  });
  const note = aboutCode ? targetNote?.() : undefined;
  // The innermost finding decides the highlighted range.
  const innermost = here.reduce((a, b) => (b.range.end - b.range.start < a.range.end - a.range.start ? b : a));
  return {
    contents: {
      kind: MarkupKind.Markdown,
      value: [...here.map(describeFinding), ...(note ? [`*${escapeMarkdown(note)}*`] : [])].join('\n\n---\n\n'),
    },
    range: toRange(document, innermost.range),
  };
}

export function describeFinding(finding: Finding): string {
  const rule = ruleById(finding.ruleId);
  if (!rule) return `**${finding.ruleId}**\n\n${finding.message}`;
  return [
    `**${escapeMarkdown(rule.title)}** (\`${rule.id}\`)`,
    finding.message,
    rule.explanation,
    ...exampleOf(rule),
    fixStatus(finding),
    `[Migration guide](${rule.docsUrl})`,
  ].join('\n\n');
}

function exampleOf(rule: AnyRule): string[] {
  const language = isConfigRule(rule) ? 'yaml' : /\.[mc]?jsx?$/.test(rule.example.fileName ?? '') ? 'js' : 'ts';
  // A rule that only informs has nothing to show "after": one example of what it finds.
  if (rule.example.before === rule.example.after) return [`Example:\n\n${fenced(rule.example.before, language)}`];
  return [`Before:\n\n${fenced(rule.example.before, language)}`, `After:\n\n${fenced(rule.example.after, language)}`];
}

function fixStatus(finding: Finding): string {
  if (finding.fixes.length === 0) {
    const reason = finding.notFixableReason ?? 'this rule has no automatic fix';
    return `Not fixable automatically: ${reason.replace(/\.$/, '')}.`;
  }
  const options = finding.fixes.map((o) => `*${escapeMarkdown(o.title)}*${o.preferred ? ' (preferred)' : ''}`);
  return `Quick fix available: ${options.join(', ')}.`;
}

/** A fence longer than any backtick run inside, so example code can never close it early. */
function fenced(code: string, language: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code.replace(/\n$/, '')}\n${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}
