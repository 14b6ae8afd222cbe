// Asking the language server for a command's result, and applying the edits it returns.
import { workspace, type CancellationToken } from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';

export function serverCommand<T>(client: LanguageClient, command: string, argument: object, token?: CancellationToken): Promise<T> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token) as Promise<T>;
}

/**
 * Applies an edit from the server. With `preview`, every change is marked as needing
 * confirmation, so VS Code shows its refactor preview (grouped by the annotations' labels)
 * and applies only what the user keeps. Resolves to false when nothing was applied.
 */
export async function applyServerEdit(client: LanguageClient, edit: WorkspaceEdit, preview = false): Promise<boolean> {
  const marked = preview ? needingConfirmation(edit) : edit;
  const converted = await client.protocol2CodeConverter.asWorkspaceEdit(marked);
  const touched = converted.entries().map(([uri]) => uri);
  const dirtyBefore = new Set(workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
  const applied = await workspace.applyEdit(converted, { isRefactoring: true });
  // VS Code saves a refactoring's files itself only when it spans several files; a one-file
  // command is saved the same way (files.refactoring.autoSave), never over unsaved user work.
  if (applied && !preview && workspace.getConfiguration('files').get<boolean>('refactoring.autoSave', true)) {
    // (workspace.save needs an editor; an edited file is often open in none, only as a document.)
    for (const uri of touched) {
      if (dirtyBefore.has(uri.toString())) continue;
      const document = await workspace.openTextDocument(uri);
      if (document.isDirty) await document.save();
    }
  }
  return applied;
}

function needingConfirmation(edit: WorkspaceEdit): WorkspaceEdit {
  const annotations = Object.fromEntries(
    Object.entries(edit.changeAnnotations ?? {}).map(([id, annotation]) => [id, { ...annotation, needsConfirmation: true }]),
  );
  return { ...edit, changeAnnotations: annotations };
}

export function isEmptyEdit(edit: WorkspaceEdit): boolean {
  return (edit.documentChanges?.length ?? 0) === 0 && Object.keys(edit.changes ?? {}).length === 0;
}
