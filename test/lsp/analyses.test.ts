// The server's per-version analysis cache and its output messages, with a rule that throws
// (the bundled server has none, so this runs the module from source).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Rule } from '../../server/src/engine/types';
import { permissionEvaluatorType } from '../../server/src/rules/permission-evaluator-type';
import { DocumentAnalyses } from '../../server/src/lsp/analyses';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/lsp/settings';

const throwing: Rule = {
  ...permissionEvaluatorType,
  id: 'always-throws',
  detect() {
    throw new Error('walked off the tree');
  },
};

function setup() {
  const open: TextDocument[] = [];
  const messages: string[] = [];
  const analyses = new DocumentAnalyses({ all: () => open }, DEFAULT_SETTINGS, {
    info: (m) => messages.push(`info: ${m}`),
    warn: (m) => messages.push(`warn: ${m}`),
  }, [throwing, permissionEvaluatorType]);
  return { open, messages, analyses };
}

const text = 'let permissions: PermissionEvaluator;\n';

describe('document analyses', () => {
  it('logs a throwing rule once and still reports the other rules', () => {
    const { messages, analyses } = setup();
    const a = TextDocument.create('file:///p/a.ts', 'typescript', 1, text);
    const b = TextDocument.create('file:///p/b.ts', 'typescript', 1, text);
    assert.deepEqual(analyses.analysisOf(a).findings.map((f) => f.ruleId), ['permission-evaluator-type']);
    assert.deepEqual(analyses.analysisOf(b).findings.map((f) => f.ruleId), ['permission-evaluator-type']);
    assert.deepEqual(messages, [
      'warn: rule always-throws failed on /p/a.ts and was skipped there (logged once per rule): walked off the tree',
    ]);
  });

  it('analyzes a version once, again after an edit or a settings change', () => {
    const { analyses } = setup();
    const doc = TextDocument.create('file:///p/a.ts', 'typescript', 1, text);
    const first = analyses.analysisOf(doc);
    assert.equal(analyses.analysisOf(doc), first);
    TextDocument.update(doc, [{ text: `${text}// more\n` }], 2);
    const second = analyses.analysisOf(doc);
    assert.notEqual(second, first);
    analyses.updateSettings(parseSettings({ severity: { 'permission-evaluator-type': 'hint' } }).settings);
    assert.deepEqual(analyses.analysisOf(doc).findings.map((f) => f.severity), ['hint']);
  });

  it('says once per document why it was skipped, and nothing for files it does not read', () => {
    const { messages, analyses } = setup();
    const binary = TextDocument.create('file:///p/blob.ts', 'typescript', 1, `${text}\u0000`);
    analyses.analysisOf(binary);
    TextDocument.update(binary, [{ text: `${text}\u0000\u0000` }], 2);
    analyses.analysisOf(binary);
    analyses.analysisOf(TextDocument.create('file:///p/notes.md', 'markdown', 1, text));
    assert.deepEqual(messages, ['info: /p/blob.ts: skipped: the file looks binary (it contains NUL bytes)']);
  });

  it('reads unsaved text of open documents before the disk', () => {
    const { open, analyses } = setup();
    open.push(TextDocument.create('file:///p/sibling.ts', 'typescript', 3, 'export const unsaved = 1;\n'));
    assert.equal(analyses.host.readFile('/p/sibling.ts'), 'export const unsaved = 1;\n');
    assert.equal(analyses.host.readFile('/p/not-there.ts'), undefined);
  });
});

describe('settings', () => {
  it('keeps valid values and reports the others', () => {
    const { settings, problems } = parseSettings({
      severity: { 'permission-evaluator-type': 'error', 'identity-get-identity': 'loud' },
      maxFileSize: 5000,
      debounceMs: -1,
    });
    assert.deepEqual(settings, {
      severity: { 'permission-evaluator-type': 'error' },
      maxFileSize: 5000,
      debounceMs: DEFAULT_SETTINGS.debounceMs,
      exclude: [],
      migrationTarget: 'auto',
      workspaceDiagnostics: 'auto',
    });
    assert.deepEqual(problems, [
      'backstageAuth.severity.identity-get-identity: expected one of error, warning, information, hint, off',
      'backstageAuth.debounceMs: expected a number from 0 to 10000',
    ]);
  });

  it('falls back to the defaults for a missing section', () => {
    assert.deepEqual(parseSettings(null), { settings: DEFAULT_SETTINGS, problems: [] });
  });
});
