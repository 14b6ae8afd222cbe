// Workspace edits of the commands. Edits of an open document carry its version (the client
// refuses them if the text moved on); edits of files on disk carry `null`. Each edit can carry a
// change annotation (its label is what VS Code's refactor preview groups by).
import {
  TextDocumentEdit,
  type AnnotatedTextEdit,
  type ChangeAnnotation,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit as EngineEdit } from '../../engine/types';
import type { FileText } from './files';

export interface Annotation extends ChangeAnnotation {
  id: string;
}

export class WorkspaceEditBuilder {
  private readonly documentChanges: TextDocumentEdit[] = [];
  private readonly changes: Record<string, TextEdit[]> = {};
  private readonly annotations: Record<string, ChangeAnnotation> = {};

  /** `versioned`: the client takes `documentChanges` (annotations need them too). */
  constructor(private readonly versioned: boolean) {}

  add(file: Pick<FileText, 'uri' | 'text' | 'version'>, edits: readonly { edit: EngineEdit; annotation?: Annotation }[]): void {
    if (edits.length === 0) return;
    const document = TextDocument.create(file.uri, 'plaintext', 0, file.text);
    const textEdits = edits.map(({ edit, annotation }): TextEdit | AnnotatedTextEdit => {
      const range = { start: document.positionAt(edit.range.start), end: document.positionAt(edit.range.end) };
      if (!annotation || !this.versioned) return { range, newText: edit.newText };
      const { id, ...rest } = annotation;
      this.annotations[id] = rest;
      return { range, newText: edit.newText, annotationId: id };
    });
    if (this.versioned) this.documentChanges.push(TextDocumentEdit.create({ uri: file.uri, version: file.version }, textEdits));
    else this.changes[file.uri] = textEdits;
  }

  get isEmpty(): boolean {
    return this.documentChanges.length === 0 && Object.keys(this.changes).length === 0;
  }

  build(): WorkspaceEdit {
    if (!this.versioned) return { changes: this.changes };
    return Object.keys(this.annotations).length > 0
      ? { documentChanges: this.documentChanges, changeAnnotations: this.annotations }
      : { documentChanges: this.documentChanges };
  }
}
