// What the editors must show and produce, computed by running the engine on the very files the
// editor opens (same absolute path, same disk host), so the e2e tests compare exact values
// without repeating the engine's logic. The suite inside the extension host reads this as JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, fixAll, fixFinding, preferredOption, type EngineOptions } from '../../../server/src/engine/engine';
import { diskHost } from '../../../server/src/engine/host';
import type { Finding } from '../../../server/src/engine/types';
import { ruleById, allRules } from '../../../server/src/rules';
import { messageOf } from '../../../server/src/lsp/diagnostics';

/** The example file every editor test opens, relative to the workspace (a copy of examples/). */
export const ROUTER = 'plugins/bookmarks-backend/src/service/router.ts';
/** The rule whose preferred quick fix the tests apply; it exists since the first engine commit. */
export const QUICK_FIX_RULE = 'permission-evaluator-type';

export interface Position {
  line: number;
  character: number;
}

export interface ExpectedRange {
  start: Position;
  end: Position;
}

export interface ExpectedDiagnostic {
  code: string;
  range: ExpectedRange;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** The diagnostic's message: the finding's, plus why it cannot be fixed when it cannot. */
  message: string;
  /** For the hover check: the finding's own message, what the rule explains and shows. */
  findingMessage: string;
  title: string;
  explanation: string;
  exampleBefore: string;
  docsUrl: string;
}

export interface Expectations {
  /** Relative to the workspace folder, with forward slashes. */
  file: string;
  original: string;
  diagnostics: ExpectedDiagnostic[];
  quickFix: {
    code: string;
    range: ExpectedRange;
    title: string;
    /** The whole file after applying the preferred quick fix of that one finding. */
    text: string;
    /** The diagnostics of that text: distinct from the original ones, so a test can tell that
     * the server has analyzed the new version. */
    diagnostics: ExpectedDiagnostic[];
  };
  /** The quick-fixed file after "fix all" (every preferred fix, as `source.fixAll.backstageAuth`
   * does on save). */
  fixAll: string;
}

export function computeExpectations(workspace: string, file = ROUTER): Expectations {
  const path = join(workspace, file);
  const original = readFileSync(path, 'utf8');
  const options: EngineOptions = { rules: allRules, host: diskHost() };
  const { findings, rangeOf, diagnostics } = diagnose(path, original, options);
  const target = findings.find((f) => f.ruleId === QUICK_FIX_RULE && preferredOption(f));
  if (!target) throw new Error(`${file} has no fixable ${QUICK_FIX_RULE} finding`);
  const option = preferredOption(target)!;
  const fixed = fixFinding(path, original, { ruleId: target.ruleId, start: target.range.start, optionId: option.id }, options);
  if (!fixed.ok) throw new Error(`the engine refuses the ${QUICK_FIX_RULE} fix: ${fixed.reason}`);

  return {
    file,
    original,
    diagnostics,
    quickFix: {
      code: target.ruleId,
      range: rangeOf(target),
      title: option.title,
      text: fixed.text,
      diagnostics: diagnose(path, fixed.text, options).diagnostics,
    },
    fixAll: fixAll(path, fixed.text, options).text,
  };
}

/** The findings of `text` and the diagnostics the language server turns them into. */
export function diagnose(path: string, text: string, options: EngineOptions) {
  const analysis = analyze(path, text, options);
  if (analysis.failures.length > 0) {
    throw new Error(`rules failed on ${path}: ${analysis.failures.map((f) => `${f.ruleId}: ${f.error}`).join('; ')}`);
  }
  const document = TextDocument.create('file://' + path, 'typescript', 1, text);
  const rangeOf = (finding: Finding): ExpectedRange => ({
    start: document.positionAt(finding.range.start),
    end: document.positionAt(finding.range.end),
  });
  const diagnostics = analysis.findings.map((finding): ExpectedDiagnostic => {
    const rule = ruleById(finding.ruleId)!;
    return {
      code: finding.ruleId,
      range: rangeOf(finding),
      severity: finding.severity,
      message: messageOf(finding),
      findingMessage: finding.message,
      title: rule.title,
      explanation: rule.explanation,
      exampleBefore: rule.example.before,
      docsUrl: rule.docsUrl,
    };
  });
  return { findings: analysis.findings, rangeOf, diagnostics };
}
