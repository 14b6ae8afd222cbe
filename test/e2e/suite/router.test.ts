/// <reference types="mocha" />
// The example router in a real editor: our diagnostics, hover, the preferred quick fix and
// "fix all" on save, each compared exactly with what the engine computes for the same file.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ExpectedDiagnostic, ExpectedRange } from '../support/expectations';
import { loadExpectations, ourDiagnostics, plainRange, toRange, waitFor, workspaceUri } from './helpers';

const FIX_ALL_KIND = 'source.fixAll.backstageAuth';
const SEVERITIES: Record<ExpectedDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface ComparableDiagnostic {
  code: string;
  docs: string;
  range: ExpectedRange;
  severity: vscode.DiagnosticSeverity;
  message: string;
}

function comparable(diagnostic: vscode.Diagnostic): ComparableDiagnostic {
  const code = diagnostic.code;
  return {
    code: typeof code === 'object' ? String(code.value) : String(code),
    docs: typeof code === 'object' ? code.target.toString(true) : '',
    range: plainRange(diagnostic.range),
    severity: diagnostic.severity,
    message: diagnostic.message,
  };
}

function expectedComparable(expected: ExpectedDiagnostic): ComparableDiagnostic {
  return {
    code: expected.code,
    docs: vscode.Uri.parse(expected.docsUrl).toString(true),
    range: expected.range,
    severity: SEVERITIES[expected.severity],
    message: expected.message,
  };
}

const byPosition = (a: ComparableDiagnostic, b: ComparableDiagnostic) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);

function contains(range: ExpectedRange, position: vscode.Position): boolean {
  return toRange(range).contains(position);
}

function hoverText(hover: vscode.Hover): string {
  return hover.contents.map((part) => (typeof part === 'string' ? part : part.value)).join('\n');
}

suite('The example router in the editor', () => {
  const expected = loadExpectations();
  const uri = workspaceUri(expected.file);
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });

  /** Our diagnostics for the current text, once the server has caught up with it. */
  const settledDiagnostics = (want: readonly ComparableDiagnostic[]) =>
    waitFor(
      'our diagnostics to match the engine',
      () => ourDiagnostics(uri).map(comparable).sort(byPosition),
      (actual) => JSON.stringify(actual) === JSON.stringify(want),
    ).catch(() => ourDiagnostics(uri).map(comparable).sort(byPosition));

  test('diagnostics: exact codes, ranges, severities, messages and docs links', async () => {
    const want = expected.diagnostics.map(expectedComparable).sort(byPosition);
    assert.ok(want.length > 0, 'the engine finds nothing in the example router');
    assert.deepEqual(await settledDiagnostics(want), want);
    // Literal anchor, independent of the engine run in the driver: `permissions: PermissionEvaluator;`.
    const anchor = ourDiagnostics(uri).find((d) => comparable(d).code === 'permission-evaluator-type');
    assert.ok(anchor, 'no permission-evaluator-type diagnostic');
    assert.deepEqual(plainRange(anchor.range), { start: { line: 28, character: 15 }, end: { line: 28, character: 34 } });
    assert.equal(anchor.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('hover over each finding shows what the rule explains', async () => {
    for (const diagnostic of expected.diagnostics) {
      const position = new vscode.Position(diagnostic.range.start.line, diagnostic.range.start.character);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
      const ours = hovers.filter((hover) => hoverText(hover).includes(`(\`${diagnostic.code}\`)`));
      assert.equal(ours.length, 1, `one hover of ours at ${diagnostic.code} ${position.line}:${position.character}`);
      const text = hoverText(ours[0]);
      for (const part of [diagnostic.findingMessage, diagnostic.explanation, diagnostic.exampleBefore.trimEnd(), diagnostic.docsUrl]) {
        assert.ok(text.includes(part), `hover at ${position.line}:${position.character} lacks ${JSON.stringify(part)}:\n${text}`);
      }
      // The hover highlights the innermost finding under the cursor.
      const innermost = expected.diagnostics
        .filter((d) => contains(d.range, position))
        .map((d) => toRange(d.range))
        .reduce((a, b) => (b.start.isAfterOrEqual(a.start) && b.end.isBeforeOrEqual(a.end) ? b : a));
      assert.deepEqual(ours[0].range && plainRange(ours[0].range), plainRange(innermost));
    }
  });

  test('the preferred quick fix produces exactly the engine result', async () => {
    const fix = expected.quickFix;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      toRange(fix.range),
      vscode.CodeActionKind.QuickFix.value,
    );
    // The API command does not return an action's diagnostics, so ours are known by title.
    const ours = actions.filter((action) => action.title === fix.title);
    assert.deepEqual(
      ours.map(describeAction),
      [{ title: fix.title, kind: vscode.CodeActionKind.QuickFix.value, isPreferred: true }],
      `code actions offered: ${JSON.stringify(actions.map(describeAction))}`,
    );
    await apply(ours[0]);
    await waitFor('the quick fix to land', () => document.getText(), (text) => text !== expected.original);
    assert.equal(document.getText(), fix.text);
    // Literal anchor: the options member is retyped and the old type is gone.
    assert.ok(document.getText().includes('\n  permissions: PermissionsService;\n'));
    assert.ok(!document.getText().includes('PermissionEvaluator'));
    // The fixed finding goes away, the others stay: the server has analyzed the new version.
    const want = fix.diagnostics.map(expectedComparable).sort(byPosition);
    assert.deepEqual(await settledDiagnostics(want), want);
  });

  // Continues from the quick-fixed, unsaved document of the previous test: a person fixes one
  // finding, then saves with "fix all" on save configured.
  test('fix all on save (editor.codeActionsOnSave) writes exactly the engine fixAll result', async () => {
    assert.equal(document.getText(), expected.quickFix.text);
    assert.equal(document.isDirty, true);
    assert.notEqual(expected.fixAll, expected.quickFix.text, 'fix all changes nothing after the quick fix');
    const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(0, 0, document.lineCount, 0),
      FIX_ALL_KIND,
    );
    assert.deepEqual(offered.map(describeAction), [{ title: 'Fix all Backstage auth problems', kind: FIX_ALL_KIND }]);

    const editor = vscode.workspace.getConfiguration('editor');
    await editor.update('codeActionsOnSave', { [FIX_ALL_KIND]: 'explicit' }, vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor('the save', () => document.isDirty, (dirty) => !dirty);
      assert.equal(readFileSync(uri.fsPath, 'utf8'), expected.fixAll);
      assert.equal(document.getText(), expected.fixAll);
    } finally {
      await editor.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

function describeAction(action: vscode.CodeAction) {
  return {
    title: action.title,
    kind: action.kind?.value,
    ...(action.isPreferred ? { isPreferred: true } : {}),
  };
}

/** What the editor does when a person picks a code action: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'the workspace edit was refused');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
