// A real LSP client for tests and benchmarks: spawns `node dist/server.js --stdio` and talks
// JSON-RPC to it, answering workspace/configuration with the settings the test chose.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  Command,
  Diagnostic,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

export interface ClientOptions {
  /** The `backstageAuth` section returned for workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Declare `codeAction/resolve` support for `edit` (VS Code does). Default true. */
  resolveEdit?: boolean;
  /** Declare versioned `documentChanges` support (VS Code does). Default true. */
  documentChanges?: boolean;
  /** Workspace folders, with the capabilities a workspace scan uses (progress, file watchers, folder changes). */
  workspace?: { folders: { uri: string; name: string }[]; progress?: boolean; watchers?: boolean };
  /** Node options before the server script (e.g. `--require` a probe). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A `$/progress` notification. */
export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number; cancellable?: boolean };
}

export interface LogMessage {
  type: number;
  message: string;
}

type Listener = (params: PublishDiagnosticsParams) => void;

export class LspClient {
  /** Every publishDiagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every window/logMessage (the output channel), in arrival order. */
  readonly logs: LogMessage[] = [];
  /** Every `$/progress` for a token the server created, in arrival order. */
  readonly progress: ProgressEvent[] = [];
  /** Every client/registerCapability registration (method and options). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  private readonly progressListeners = new Set<(event: ProgressEvent) => void>();
  private readonly listeners = new Set<Listener>();
  private readonly configurationWaiters: (() => void)[] = [];
  private exited = false;
  capabilities: InitializeResult['capabilities'] = {};

  private constructor(
    private readonly process: ChildProcess,
    readonly connection: MessageConnection,
    public settings: Record<string, unknown>,
  ) {
    process.once('exit', () => (this.exited = true));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const listener of this.listeners) listener(params);
    });
    connection.onNotification('window/logMessage', (params: LogMessage) => {
      this.logs.push(params);
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      // Waiters run after this answer is written, so the server reads it before our next message.
      for (const waiter of this.configurationWaiters.splice(0)) setImmediate(waiter);
      return params.items.map((item) => (item.section === 'backstageAuth' ? this.settings : null));
    });
    connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    // Progress the server started itself (tokens it created); requests' own tokens go to their onProgress handlers.
    connection.onUnhandledProgress((event) => {
      this.progress.push(event as ProgressEvent);
      for (const listener of this.progressListeners) listener(event);
    });
  }

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: options.env ?? process.env,
    });
    const workspace = options.workspace;
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection, options.settings ?? {});
    connection.listen();
    const result: InitializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      ...(workspace ? { workspaceFolders: workspace.folders } : {}),
      capabilities: {
        ...(workspace?.progress !== false && workspace ? { window: { workDoneProgress: true } } : {}),
        workspace: {
          ...(workspace ? { workspaceFolders: true } : {}),
          ...(workspace && workspace.watchers !== false ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}),
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: options.documentChanges ?? true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true, dataSupport: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: {
            dataSupport: true,
            isPreferredSupport: true,
            resolveSupport: { properties: options.resolveEdit === false ? [] : ['edit'] },
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          },
        },
      },
    });
    client.capabilities = result.capabilities;
    const asked = new Promise<void>((resolve) => client.configurationWaiters.push(resolve));
    await connection.sendNotification('initialized', {});
    await asked;
    return client;
  }

  /** The next `$/progress` of `kind` (after those already received). */
  nextProgress(kind: ProgressEvent['value']['kind'], timeoutMs = 120_000): Promise<ProgressEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.progressListeners.delete(listener);
        reject(new Error(`no $/progress ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: ProgressEvent) => {
        if (event.value.kind !== kind) return;
        clearTimeout(timer);
        this.progressListeners.delete(listener);
        resolve(event);
      };
      this.progressListeners.add(listener);
    });
  }

  /** Calls `listener` for every publishDiagnostics from now on; returns the unsubscribe. */
  onPublish(listener: (params: PublishDiagnosticsParams) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest publish for `uri` (undefined when there was none). */
  lastPublished(uri: string): PublishDiagnosticsParams | undefined {
    return [...this.published].reverse().find((p) => p.uri === uri);
  }

  /** The next publish for `uri` that satisfies `accept` (already received ones are not considered). */
  nextPublish(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener: Listener = (params) => {
        if (params.uri !== uri || !accept(params)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(params);
      };
      this.listeners.add(listener);
    });
  }

  /** The server's process id (benchmarks signal it). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * Changes the settings the client answers with, tells the server to read them again, and
   * returns once the server has asked (later messages are handled with the new settings).
   */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    const asked = new Promise<void>((resolve) => this.configurationWaiters.push(resolve));
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await asked;
  }

  async open(uri: string, text: string, version = 1, languageId = 'typescript'): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  /** Replaces the whole text (the server applies it like any incremental change). */
  async change(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The first publish for `uri` with `version` (already received, or the next one). */
  diagnostics(uri: string, version: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const done = this.published.find((p) => p.uri === uri && p.version === version);
    if (done) return Promise.resolve(done.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no diagnostics for ${uri} version ${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener: Listener = (params) => {
        if (params.uri !== uri || params.version !== version) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(params.diagnostics);
      };
      this.listeners.add(listener);
    });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest('codeAction/resolve', action);
  }

  /** The action's edit, resolving it first when the server deferred it. */
  async editOf(action: CodeAction): Promise<WorkspaceEdit> {
    const resolved = action.edit ? action : await this.resolve(action);
    if (!resolved.edit) throw new Error(`code action "${action.title}" has no edit`);
    return resolved.edit;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill();
    }
    await exited;
    this.connection.dispose();
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The text edits of `uri` in a workspace edit, from `documentChanges` or `changes`. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  if (edit.documentChanges) {
    return edit.documentChanges.flatMap((change) =>
      'textDocument' in change && change.textDocument.uri === uri ? (change.edits as TextEdit[]) : [],
    );
  }
  return edit.changes?.[uri] ?? [];
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///edit', 'typescript', 0, text), edits);
}

export function isCodeAction(item: CodeAction | Command): item is CodeAction {
  return typeof (item as Command).command !== 'string';
}
