// The engine's vocabulary. Nothing here knows about VS Code or LSP: positions are UTF-16
// offsets into the file text (the unit TypeScript and LSP both use).
import type { ts, SourceFile } from 'ts-morph';
import type { Document } from 'yaml';
import type { MigrationTarget } from './targets';
import type { VersionFacts } from './versions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface OffsetRange {
  start: number;
  end: number;
}

/** One way to fix a finding. Several options mean the user has to choose. */
export interface FixOption {
  /** Stable within the rule, e.g. `target:catalog`. */
  id: string;
  /** Shown as the quick fix title. */
  title: string;
  /** The single right answer: used by "fix all" and marked preferred in the editor. */
  preferred: boolean;
}

/** JSON-safe data a rule attaches to a finding and gets back in `fix`. */
export type FindingData = Record<string, string | number | boolean | null | string[]>;

/** What a rule's `detect` returns; the engine adds rule id and severity. */
export interface RuleFinding {
  range: OffsetRange;
  message: string;
  /** Empty or absent: not fixable automatically. */
  fixes?: FixOption[];
  /** Why there is no fix (shown to the user). Required when `fixes` is empty. */
  notFixableReason?: string;
  data?: FindingData;
}

export interface Finding extends RuleFinding {
  ruleId: string;
  severity: Severity;
  fixes: FixOption[];
}

/** Reads other files of the project (siblings a rule needs to look at), or undefined. */
export interface ProjectHost {
  /** `maxBytes` raises the host's size limit for files known to be big (lockfiles). */
  readFile(absolutePath: string, options?: { maxBytes?: number }): string | undefined;
  /**
   * A parse for detection (never edited) that the host may share between analyses; without it
   * every analysis parses for itself. See `runHost`.
   */
  parse?(fileName: string, text: string): ts.SourceFile;
}

export interface DetectContext {
  /** Absolute path (or a virtual name in tests). */
  fileName: string;
  text: string;
  /** The one parse of this file version, shared by every rule. Do not mutate. */
  sourceFile: ts.SourceFile;
  host: ProjectHost;
  /** What the fixes aim for in this file (from its Backstage versions, or set by the user). */
  target: MigrationTarget;
  /** The Backstage package versions that apply to this file (empty when none were found). */
  versions: VersionFacts;
  /** Lazily computed facts shared by rules (one computation per analysis). */
  shared<T>(key: string, compute: () => T): T;
}

export interface FixContext {
  fileName: string;
  /** A fresh ts-morph file for this fix only; mutate it freely. */
  sourceFile: SourceFile;
  host: ProjectHost;
  target: MigrationTarget;
  versions: VersionFacts;
}

export interface RuleExample {
  /** File name the example is analyzed as (defaults to `router.ts`). */
  fileName?: string;
  before: string;
  after: string;
  /** The fix option shown, when the rule has no preferred one. */
  option?: string;
}

/** What every rule declares, whatever language it reads. */
export interface RuleInfo {
  /** Stable kebab-case id; also the diagnostic code. */
  id: string;
  title: string;
  severity: Severity;
  /** Link to the section of the official migration guide. */
  docsUrl: string;
  /** Markdown: why this matters, in a few sentences (the hover adds the example). */
  explanation: string;
  /** Shown on hover; a test checks that fixing `before` with this rule gives `after`. */
  example: RuleExample;
  /** A file that contains none of these substrings is never parsed for this rule. */
  triggers: readonly string[];
}

/** A rule over TypeScript/JavaScript source. */
export interface Rule extends RuleInfo {
  language?: 'typescript';
  detect(ctx: DetectContext): RuleFinding[];
  /**
   * Rewrites `ctx.sourceFile` for `finding` with the chosen option. Throws `FixRefusal`
   * when the rewrite turns out to be unsafe; the engine then offers nothing.
   */
  fix?(ctx: FixContext, finding: Finding, optionId: string): void;
}

export interface ConfigDetectContext {
  fileName: string;
  text: string;
  /** The parsed app-config document (comments and source ranges kept). Do not mutate. */
  document: Document.Parsed;
  host: ProjectHost;
}

export type ConfigFixContext = ConfigDetectContext;

/** A rule over Backstage config files (app-config*.yaml). */
export interface ConfigRule extends RuleInfo {
  language: 'yaml';
  detect(ctx: ConfigDetectContext): RuleFinding[];
  /** Returns the new file text (edits made on the text from the document's source ranges). */
  fix?(ctx: ConfigFixContext, finding: Finding, optionId: string): string;
}

export type AnyRule = Rule | ConfigRule;

export function isConfigRule(rule: AnyRule): rule is ConfigRule {
  return rule.language === 'yaml';
}

/** Thrown by a fix that cannot be done safely; the message says why. */
export class FixRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixRefusal';
  }
}

export interface TextEdit {
  range: OffsetRange;
  newText: string;
}
