// Quick fixes (one per fix option of each finding in range) and the fix-all actions. Every edit is
// computed on the exact document version the request is about and carries that version, so an
// edit can never land on text it was not computed for.
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigFile } from '../engine/config';
import { fixFinding, preferredOption } from '../engine/engine';
import { suppressionEdit } from '../engine/suppressions';
import type { Finding, TextEdit as EngineEdit } from '../engine/types';
import type { DocumentAnalyses } from './analyses';
import { dataOf, toDiagnostic } from './diagnostics';
import { fileNameOf } from './files';
import { intersects, toOffsets, toTextEdits } from './positions';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.backstageAuth`;
export const FIX_ALL_TITLE = 'Fix all Backstage auth problems';

export function fixRuleTitle(ruleId: string): string {
  return `Fix all '${ruleId}' problems in this file`;
}

export function ignoreTitle(ruleId: string): string {
  return `Ignore '${ruleId}' on this line`;
}

export interface ClientEditSupport {
  /** The client applies versioned `documentChanges` (and refuses them for another version). */
  documentChanges: boolean;
  /** The client asks `codeAction/resolve` for the edit, so expensive edits can wait until chosen. */
  resolveEdit: boolean;
}

export interface QuickFixData {
  ruleId: string;
  optionId: string;
}

/** What a fix-all action needs to compute its edit in `codeAction/resolve`. */
interface FixAllData {
  uri: string;
  version: number;
  /** Only this rule's findings; all rules when absent. */
  ruleId?: string;
}

export function codeActionsFor(
  document: TextDocument,
  params: CodeActionParams,
  analyses: DocumentAnalyses,
  support: ClientEditSupport,
): CodeAction[] {
  // Diagnostics of an older version mean the editor's range points into text that is gone: no
  // quick fixes then. Fix-all covers the whole current text, so it is still offered: a save right
  // after typing sends the previous version's diagnostics (codeActionsOnSave must still work).
  const sent = params.context.diagnostics.map(dataOf);
  const stale = sent.some((data) => data && data.version !== document.version);

  const analysis = analyses.analysisOf(document);
  const fixable = analysis.findings.filter((f) => preferredOption(f));
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (!stale && wants(only, CodeActionKind.QuickFix)) {
    const range = toOffsets(document, params.range);
    const inRange = analysis.findings.filter((f) => intersects(f.range, range));
    const diagnosticOf = (finding: Finding) =>
      sentDiagnostic(params.context.diagnostics, finding) ?? toDiagnostic(document, finding);
    // Fixes first, then the wider fixes, then the opt-outs (the order the editor lists them in).
    for (const finding of inRange) {
      actions.push(...quickFixes(document, finding, diagnosticOf(finding), analyses, support));
    }
    for (const ruleId of new Set(inRange.map((f) => f.ruleId))) {
      if (fixable.filter((f) => f.ruleId === ruleId).length > 1) {
        pushIfAny(actions, fixAllAction(document, fixRuleTitle(ruleId), CodeActionKind.QuickFix, ruleId, analyses, support));
      }
    }
    for (const finding of inRange) actions.push(ignoreAction(document, finding, diagnosticOf(finding), support));
  }
  if (fixable.length > 0 && wants(only, FIX_ALL_KIND)) {
    pushIfAny(actions, fixAllAction(document, FIX_ALL_TITLE, FIX_ALL_KIND, undefined, analyses, support));
  }
  return actions;
}

/** Fills in the edit of a fix-all action offered without one. */
export function resolveCodeAction(
  action: CodeAction,
  documentOf: (uri: string) => TextDocument | undefined,
  analyses: DocumentAnalyses,
  support: ClientEditSupport,
): CodeAction {
  const data = action.data as Partial<FixAllData> | undefined;
  if (action.edit || typeof data?.uri !== 'string') return action;
  const document = documentOf(data.uri);
  // The text moved on since the action was offered: there is nothing safe to apply.
  if (!document || document.version !== data.version) return action;
  const result = analyses.fixAllOf(document, data.ruleId);
  return { ...action, edit: workspaceEdit(document, result.edits, support) };
}

function quickFixes(
  document: TextDocument,
  finding: Finding,
  diagnostic: Diagnostic,
  analyses: DocumentAnalyses,
  support: ClientEditSupport,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const option of finding.fixes) {
    const result = fixFinding(
      fileNameOf(document.uri),
      document.getText(),
      { ruleId: finding.ruleId, start: finding.range.start, optionId: option.id },
      analyses.engineOptions(),
    );
    // A refused fix is not offered; the hover and message say why the finding stays.
    if (!result.ok) continue;
    actions.push({
      title: option.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: option.preferred,
      edit: workspaceEdit(document, result.edits, support),
      // Lets other front ends (and tests) pick an option by id rather than by title.
      data: { ruleId: finding.ruleId, optionId: option.id } satisfies QuickFixData,
    });
  }
  return actions;
}

/** An explicit, visible opt-out: a `backstage-auth-ignore-next-line <rule>` comment above the line. */
function ignoreAction(document: TextDocument, finding: Finding, diagnostic: Diagnostic, support: ClientEditSupport): CodeAction {
  const commentPrefix = isConfigFile(fileNameOf(document.uri)) ? '#' : '//';
  return {
    title: ignoreTitle(finding.ruleId),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: false,
    edit: workspaceEdit(document, [suppressionEdit(document.getText(), finding, commentPrefix)], support),
  };
}

function fixAllAction(
  document: TextDocument,
  title: string,
  kind: string,
  ruleId: string | undefined,
  analyses: DocumentAnalyses,
  support: ClientEditSupport,
): CodeAction | undefined {
  if (support.resolveEdit) {
    const data: FixAllData = { uri: document.uri, version: document.version, ...(ruleId ? { ruleId } : {}) };
    return { title, kind, data };
  }
  const result = analyses.fixAllOf(document, ruleId);
  if (result.edits.length === 0) return undefined;
  return { title, kind, edit: workspaceEdit(document, result.edits, support) };
}

function workspaceEdit(document: TextDocument, edits: readonly EngineEdit[], support: ClientEditSupport): WorkspaceEdit {
  const textEdits = toTextEdits(document, edits);
  return support.documentChanges
    ? { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, textEdits)] }
    : { changes: { [document.uri]: textEdits } };
}

function sentDiagnostic(diagnostics: readonly Diagnostic[], finding: Finding): Diagnostic | undefined {
  return diagnostics.find((d) => {
    const data = dataOf(d);
    return data?.ruleId === finding.ruleId && data.start === finding.range.start;
  });
}

/** `only: ['source.fixAll']` also asks for `source.fixAll.backstageAuth` (kinds are hierarchical). */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function pushIfAny(actions: CodeAction[], action: CodeAction | undefined): void {
  if (action) actions.push(action);
}
