// Runs the engine the way the front ends do, for tests.
import { ts } from 'ts-morph';
import { Lexer } from 'yaml';
import { analyze, fixAll, fixFinding, type EngineOptions } from '../../server/src/engine/engine';
import type { TargetSetting } from '../../server/src/engine/targets';
import type { ProjectHost } from '../../server/src/engine/types';
import { allRules } from '../../server/src/rules';

export const VIRTUAL_ROOT = '/virtual/plugin';

/** A host over in-memory files keyed by path relative to VIRTUAL_ROOT. */
export function memoryHost(files: Record<string, string>): ProjectHost {
  return {
    readFile(absolutePath) {
      const rel = absolutePath.startsWith(VIRTUAL_ROOT + '/') ? absolutePath.slice(VIRTUAL_ROOT.length + 1) : undefined;
      return rel === undefined ? undefined : files[rel];
    },
  };
}

export function engineOptions(host?: ProjectHost, target?: TargetSetting): EngineOptions {
  return { rules: allRules, host, target };
}

/** Fixes `text` with one rule: preferred options, or always `choose` when given. */
export function fixWithRule(
  fileName: string,
  text: string,
  rule: string,
  options: EngineOptions,
  choose?: string,
): string {
  if (!choose) return fixAll(fileName, text, options, [rule]).text;
  let current = text;
  for (let pass = 0; pass < 100; pass++) {
    const finding = analyze(fileName, current, options).findings.find(
      (f) => f.ruleId === rule && f.fixes.some((o) => o.id === choose),
    );
    if (!finding) return current;
    const result = fixFinding(fileName, current, { ruleId: rule, start: finding.range.start, optionId: choose }, options);
    if (!result.ok) throw new Error(`fix refused: ${result.reason}`);
    current = result.text;
  }
  throw new Error('fix did not converge');
}

/** Every comment in the text, in order (YAML `#` comments for config files). */
export function commentsOf(text: string, fileName = 'file.ts'): string[] {
  if (/\.ya?ml$/i.test(fileName)) return [...new Lexer().lex(text)].filter((t) => t.startsWith('#'));
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const comments: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      comments.push(scanner.getTokenText());
    }
  }
  return comments;
}
