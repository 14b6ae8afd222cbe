// The one engine behind the language server, the CLI and the tests:
// text in -> findings out; finding (+ chosen option) -> new text out, verified.
import type { ts } from 'ts-morph';
import { newDuplicateDeclarations } from './declarations';
import { minimalEdits } from './edits';
import { createFixSourceFile } from './morph';
import { matchLineBreaks } from './lineBreaks';
import { isSourceFile, literalRanges, parseSource, refuseInput, refuseSourceText, syntaxErrors } from './source';
import { isSuppressed } from './suppressions';
import { configSyntaxErrors, isConfigFile, parseConfig } from './config';
import { rulesTriggeredBy } from './prefilter';
import { parseForDetection } from './preorder';
import { runAfterFix } from './fixHooks';
import { bindFixTarget, chooseTarget, explainTarget, type TargetChoice, type TargetSetting } from './targets';
import { NO_VERSIONS, versionResolver } from './versions';
import { NO_FILES } from './host';
import { loggingHost, type FileRead } from './readLog';
import { versionSeverity } from './versionSeverity';
import {
  FixRefusal,
  isConfigRule,
  type AnyRule,
  type ConfigRule,
  type DetectContext,
  type Finding,
  type ProjectHost,
  type Rule,
  type RuleFinding,
  type Severity,
  type TextEdit,
} from './types';

export interface EngineOptions {
  rules: readonly AnyRule[];
  /** Per rule id: a different severity, or 'off'. */
  severities?: Readonly<Record<string, Severity | 'off'>>;
  host?: ProjectHost;
  maxFileSize?: number;
  /**
   * What the fixes aim for: 'auto' (default) picks per file from the Backstage versions its
   * package.json and lockfile resolve (see `targets.ts`); a target name forces it everywhere.
   */
  target?: TargetSetting;
}

export interface RuleFailure {
  ruleId: string;
  error: string;
}

export interface Analysis {
  findings: Finding[];
  /** Set when the file was not analyzed (too big, binary, not a source file). */
  skipped?: string;
  /** Set when the file does not parse; findings are reported but no fix is offered. */
  syntaxError?: string;
  /** Rules that threw; the others still ran. */
  failures: RuleFailure[];
}

const BOM = '\uFEFF';

export function analyze(fileName: string, text: string, options: EngineOptions): Analysis {
  return analyzeWith(fileName, text, options, options.host ?? NO_FILES);
}

/**
 * `analyze`, also listing the files the rules read (for a cache of results; see readLog.ts).
 * The target comes from `options.host` as usual: its reads (package.json, lockfile) are not
 * listed; a cache asks the version resolver for them (`VersionResolver.readsFor`).
 */
export function analyzeListingReads(fileName: string, text: string, options: EngineOptions): { analysis: Analysis; reads: FileRead[] } {
  const reads: FileRead[] = [];
  const analysis = analyzeWith(fileName, text, options, loggingHost(options.host ?? NO_FILES, reads));
  return { analysis, reads };
}

/** `rulesHost`: what the rules read siblings through. */
function analyzeWith(fileName: string, text: string, options: EngineOptions, rulesHost: ProjectHost): Analysis {
  const config = isConfigFile(fileName);
  if (!config && !isSourceFile(fileName)) return { findings: [], failures: [], skipped: 'not a source file' };
  const refused = refuseInput(text, options.maxFileSize) ?? (config ? undefined : refuseSourceText(text));
  if (refused) return { findings: [], failures: [], skipped: refused };
  // The cheap prefilter before any parse (the same test front ends ask through needsParse).
  const triggered = rulesTriggeredBy(text, options);
  if (config) return analyzeConfig(fileName, text, triggered.filter(isConfigRule), options, rulesHost);
  const rules = triggered.filter((rule): rule is Rule => !isConfigRule(rule));
  if (rules.length === 0) return { findings: [], failures: [] };

  const sourceFile = parseForDetection(fileName, text, rulesHost);
  const errors = syntaxErrors(sourceFile);
  const cache = new Map<string, unknown>();
  const choice = targetChoiceFor(fileName, options);
  const ctx: DetectContext = {
    fileName,
    text,
    sourceFile,
    host: rulesHost,
    target: choice.target,
    versions: choice.versions,
    shared<T>(key: string, compute: () => T): T {
      if (!cache.has(key)) cache.set(key, compute());
      return cache.get(key) as T;
    },
  };

  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const byVersion = { choice, sourceFile };
  for (const rule of rules) collect(rule, () => rule.detect(ctx), text, errors, options, findings, failures, byVersion);
  return finish(findings, failures, errors);
}

/** The target and versions that apply to `fileName` (versions cached per directory and host). */
export function targetChoiceFor(fileName: string, options: Pick<EngineOptions, 'host' | 'target'>): TargetChoice {
  const versions = options.host ? versionResolver(options.host).factsFor(fileName) : NO_VERSIONS;
  return chooseTarget(versions, options.target ?? 'auto');
}

/** For hovers and the CLI: which target applies to `fileName`, from which versions, and why. */
export function explainTargetFor(fileName: string, options: Pick<EngineOptions, 'host' | 'target'>): string {
  return explainTarget(targetChoiceFor(fileName, options));
}

function analyzeConfig(fileName: string, text: string, rules: ConfigRule[], options: EngineOptions, host: ProjectHost): Analysis {
  if (rules.length === 0) return { findings: [], failures: [] };
  const document = parseConfig(text);
  const errors = configSyntaxErrors(document);
  const ctx = { fileName, text, document, host };
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) collect(rule, () => rule.detect(ctx), text, errors, options, findings, failures);
  return finish(findings, failures, errors);
}

/** Runs one rule's detection, isolating its failures from the other rules. */
function collect(
  rule: AnyRule,
  detect: () => RuleFinding[],
  text: string,
  errors: string[],
  options: EngineOptions,
  findings: Finding[],
  failures: RuleFailure[],
  byVersion?: { choice: TargetChoice; sourceFile: ts.SourceFile },
): void {
  // Before backend-plugin-api 0.6.14 no rewrite to the new services can compile.
  const blocked = byVersion?.choice.authServicesMissing ? explainTarget(byVersion.choice) : undefined;
  try {
    // A rule's findings count only when all of them are sound: one bad range fails the rule.
    const ruleFindings: Finding[] = [];
    for (const found of detect()) {
      checkRange(found, text);
      const fixable = rule.fix && errors.length === 0 && !blocked;
      const fixes = fixable ? (found.fixes ?? []) : [];
      const offered = (found.fixes?.length ?? 0) > 0;
      const finding: Finding = {
        ...found,
        ruleId: rule.id,
        severity:
          (options.severities?.[rule.id] as Severity | undefined) ??
          (byVersion && versionSeverity(rule.id, found, byVersion.choice.versions, byVersion.sourceFile)) ??
          rule.severity,
        fixes,
        notFixableReason:
          errors.length > 0 && offered
            ? 'the file has syntax errors; fix them first'
            : blocked && offered
              ? blocked
              : found.notFixableReason,
      };
      if (!isSuppressed(text, finding)) ruleFindings.push(finding);
    }
    findings.push(...ruleFindings);
  } catch (error) {
    failures.push({ ruleId: rule.id, error: describeError(error) });
  }
}

function checkRange(found: RuleFinding, text: string): void {
  const { start, end } = found.range ?? {};
  const valid = Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length;
  if (!valid) throw new Error(`reported a finding at an invalid range (${start}-${end} in a text of ${text.length})`);
}

function finish(findings: Finding[], failures: RuleFailure[], errors: string[]): Analysis {
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  return { findings, failures, syntaxError: errors.length > 0 ? errors[0] : undefined };
}

export type FixResult =
  | { ok: true; text: string; edits: TextEdit[] }
  | { ok: false; reason: string };

/**
 * Applies one fix option of one finding. The finding is looked up again in `text` by rule and
 * start offset, so a stale request (the text moved on) is refused rather than misapplied.
 */
export function fixFinding(
  fileName: string,
  text: string,
  ref: { ruleId: string; start: number; optionId: string },
  options: EngineOptions,
): FixResult {
  // A byte order mark is set aside for the whole fix (analysis, rule, verification) and put
  // back at the end: rules then never see it, and offsets they keep in `data` stay consistent.
  if (text.startsWith(BOM)) {
    if (ref.start < 1) return { ok: false, reason: 'the code changed; the finding is no longer there' };
    const result = fixFinding(fileName, text.slice(1), { ...ref, start: ref.start - 1 }, options);
    if (!result.ok) return result;
    return { ok: true, text: BOM + result.text, edits: minimalEdits(text, BOM + result.text) };
  }
  const rule = options.rules.find((r) => r.id === ref.ruleId);
  if (!rule?.fix) return { ok: false, reason: `rule ${ref.ruleId} has no fix` };
  const analysis = analyze(fileName, text, { ...options, rules: [rule], severities: {} });
  if (analysis.skipped) return { ok: false, reason: analysis.skipped };
  const finding = analysis.findings.find((f) => f.range.start === ref.start);
  if (!finding) return { ok: false, reason: 'the code changed; the finding is no longer there' };
  if (!finding.fixes.some((o) => o.id === ref.optionId)) {
    return { ok: false, reason: finding.notFixableReason ?? 'this fix is not available here' };
  }

  const host = options.host ?? NO_FILES;
  let rewritten: string;
  try {
    if (isConfigRule(rule)) {
      rewritten = rule.fix!({ fileName, text, document: parseConfig(text), host }, finding, ref.optionId);
    } else {
      const choice = targetChoiceFor(fileName, options);
      const sourceFile = createFixSourceFile(fileName, text);
      bindFixTarget(sourceFile, choice.target);
      rule.fix({ fileName, sourceFile, host, target: choice.target, versions: choice.versions }, finding, ref.optionId);
      runAfterFix(sourceFile);
      rewritten = sourceFile.getFullText();
    }
  } catch (error) {
    if (error instanceof FixRefusal) return { ok: false, reason: error.message };
    return { ok: false, reason: `the fix failed: ${describeError(error)}` };
  }
  if (typeof rewritten !== 'string') return { ok: false, reason: `the fix failed: rule ${rule.id} returned no text` };
  if (isConfigRule(rule)) return verifyConfig(text, matchLineBreaks(text, rewritten));
  return verify(fileName, text, matchLineBreaks(text, rewritten, (after) => literalRanges(parseSource(fileName, after))));
}

/** Syntax errors of a source or config file (empty when it parses). */
export function syntaxErrorsIn(fileName: string, text: string): string[] {
  return isConfigFile(fileName) ? configSyntaxErrors(parseConfig(text)) : syntaxErrors(parseSource(fileName, text));
}

/** A rewrite is only offered when it changes something and still parses. */
function verify(fileName: string, before: string, after: string): FixResult {
  if (after === before) return { ok: false, reason: 'the fix changed nothing' };
  const rewritten = parseSource(fileName, after);
  const errors = syntaxErrors(rewritten);
  if (errors.length > 0) {
    return { ok: false, reason: `the rewrite would not parse (${errors[0]}), so it is not offered` };
  }
  const twice = newDuplicateDeclarations(() => parseSource(fileName, before), rewritten);
  if (twice.length > 0) {
    return { ok: false, reason: `the rewrite would declare \`${twice[0]}\` twice in one scope, so it is not offered` };
  }
  return { ok: true, text: after, edits: minimalEdits(before, after) };
}

function verifyConfig(before: string, after: string): FixResult {
  if (after === before) return { ok: false, reason: 'the fix changed nothing' };
  const errors = configSyntaxErrors(parseConfig(after));
  if (errors.length > 0) return { ok: false, reason: `the rewrite would not parse (${errors[0]}), so it is not offered` };
  return { ok: true, text: after, edits: minimalEdits(before, after) };
}

export interface FixAllResult {
  text: string;
  edits: TextEdit[];
  /** In order; `edits` are that fix's own edits, on the text as it was before it. */
  applied: { ruleId: string; message: string; edits: TextEdit[] }[];
  /** Findings still there afterwards (need a person, or their fix was refused). */
  remaining: Finding[];
}

const MAX_FIX_PASSES = 200;

/**
 * Applies the preferred fix of every fixable finding (optionally of some rules only), one at a
 * time, re-analyzing in between: fixes build on each other (a token call needs `auth`, which
 * another fix provides), and positions move after each.
 */
export function fixAll(
  fileName: string,
  text: string,
  options: EngineOptions,
  onlyRules?: readonly string[],
): FixAllResult {
  const applied: FixAllResult['applied'] = [];
  const refused = new Set<string>();
  const inScope = (f: Finding) => !onlyRules || onlyRules.includes(f.ruleId);
  const keyOf = (f: Finding, current: string) =>
    `${f.ruleId}\u0000${f.message}\u0000${current.slice(f.range.start, f.range.end)}`;
  let current = text;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const { findings } = analyze(fileName, current, options);
    const next = findings.find(
      (f) => inScope(f) && preferredOption(f) && !refused.has(keyOf(f, current)),
    );
    if (!next) break;
    const option = preferredOption(next)!;
    const result = fixFinding(
      fileName,
      current,
      { ruleId: next.ruleId, start: next.range.start, optionId: option.id },
      options,
    );
    if (!result.ok) {
      refused.add(keyOf(next, current));
      continue;
    }
    applied.push({ ruleId: next.ruleId, message: next.message, edits: result.edits });
    current = result.text;
    // A refusal can depend on other code (e.g. "fix the token calls first"): try again.
    refused.clear();
  }
  const remaining = analyze(fileName, current, options).findings.filter(inScope);
  return { text: current, edits: minimalEdits(text, current), applied, remaining };
}

export function preferredOption(finding: Finding) {
  return finding.fixes.find((o) => o.preferred);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
