// Wires the LSP connection to the engine: document sync, settings, diagnostics, hover and code
// actions. Every handler is guarded: one bad document logs an error, the server stays up.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyses } from './analyses';
import { codeActionsFor, FIX_ALL_KIND, resolveCodeAction, type ClientEditSupport } from './codeActions';
import { registerServerCommands, SERVER_COMMAND_IDS } from './commands';
import { toDiagnostic } from './diagnostics';
import { excludeTest, workspaceRootsOf } from './exclude';
import { hoverAt } from './hover';
import { fileNameOf } from './files';
import { explainTargetFor } from '../engine/engine';
import { DebouncedScheduler, yieldToEventLoop } from './scheduler';
import { DEFAULT_SETTINGS, parseSettings, SECTION } from './settings';
import { WorkspaceDiagnostics } from './workspace';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new DocumentAnalyses(documents, DEFAULT_SETTINGS, {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
  });
  const scheduler = new DebouncedScheduler();
  // A package.json or lockfile changed: targets and severities may differ now.
  const workspace = new WorkspaceDiagnostics(connection, documents, analyses, () => {
    analyses.forgetAll();
    for (const document of documents.all()) schedulePublish(document);
  });
  let support: ClientEditSupport = { documentChanges: false, resolveEdit: false };
  let pullsConfiguration = false;
  let registersConfigurationChange = false;
  let workspaceRoots: string[] = [];
  /** Settled once the latest settings request is answered; analyses wait for it. */
  let settingsReady: Promise<void> = Promise.resolve();
  let settingsRequest = 0;

  function guard<T>(what: string, fallback: T, work: () => T): T {
    try {
      return work();
    } catch (error) {
      connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }

  function applySettings(raw: unknown): void {
    const { settings, problems } = parseSettings(raw);
    for (const problem of problems) connection.console.warn(`ignoring setting ${problem}`);
    analyses.excludes = excludeTest(settings.exclude, workspaceRoots);
    analyses.updateSettings(settings);
    workspace.settingsChanged(settings);
    for (const document of documents.all()) schedulePublish(document);
  }

  function reloadSettings(): Promise<void> {
    const request = ++settingsRequest;
    settingsReady = connection.workspace.getConfiguration({ section: SECTION }).then(
      (raw) => {
        // An answer to an older request must not overwrite a newer one.
        if (request === settingsRequest) applySettings(raw);
      },
      (error) => connection.console.warn(`could not read the ${SECTION} settings: ${String(error)}`),
    );
    return settingsReady;
  }

  function schedulePublish(document: TextDocument): void {
    const { uri, version } = document;
    void settingsReady.then(() =>
      scheduler.schedule(uri, analyses.currentSettings.debounceMs, () => void publish(uri, version)),
    );
  }

  async function publish(uri: string, version: number): Promise<void> {
    const document = documents.get(uri);
    if (!document || document.version !== version) return;
    const diagnostics = guard(`analyzing ${uri}`, undefined, () =>
      analyses.analysisOf(document).findings.map((finding) => toDiagnostic(document, finding)),
    );
    if (!diagnostics) return;
    // Edits that arrived during the analysis are handled first; a superseded result is dropped.
    await yieldToEventLoop();
    const current = documents.get(uri);
    if (!current || current.version !== version) return;
    void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    pullsConfiguration = capabilities.workspace?.configuration === true;
    registersConfigurationChange = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    workspaceRoots = workspaceRootsOf(params);
    const workspaceCapabilities = workspace.initialize(params);
    support = {
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
      resolveEdit: capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    };
    return {
      capabilities: {
        // Saves matter too: rules read sibling files, and the disk is what they read.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        executeCommandProvider: { commands: SERVER_COMMAND_IDS },
        ...workspaceCapabilities,
      },
      serverInfo: { name: 'backstage-auth' },
    };
  });

  connection.onInitialized(() => {
    if (registersConfigurationChange) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    }
    if (pullsConfiguration) void reloadSettings();
    workspace.initialized(settingsReady);
  });

  connection.onDidChangeConfiguration((change) => {
    if (pullsConfiguration) {
      void reloadSettings();
    } else {
      const settings = change.settings as Record<string, unknown> | undefined;
      applySettings(settings?.[SECTION]);
    }
  });

  documents.onDidChangeContent(({ document }) => schedulePublish(document));

  documents.onDidClose(({ document }) => {
    scheduler.cancel(document.uri);
    analyses.forget(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    workspace.documentClosed(document.uri);
  });

  // Rules may read sibling files; a save can change what the other open documents see.
  documents.onDidSave(() => {
    analyses.forgetAll();
    for (const document of documents.all()) schedulePublish(document);
  });

  connection.onHover((params) =>
    guard(`hover in ${params.textDocument.uri}`, null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      return hoverAt(document, analyses.analysisOf(document).findings, document.offsetAt(params.position), () =>
        explainTargetFor(fileNameOf(document.uri), analyses.engineOptions()),
      );
    }),
  );

  connection.onCodeAction((params) =>
    guard(`code actions in ${params.textDocument.uri}`, [], () => {
      const document = documents.get(params.textDocument.uri);
      return document ? codeActionsFor(document, params, analyses, support) : [];
    }),
  );

  connection.onCodeActionResolve((action) =>
    guard(`resolving "${action.title}"`, action, () =>
      resolveCodeAction(action, (uri) => documents.get(uri), analyses, support),
    ),
  );

  registerServerCommands(connection, { documents, analyses, support: () => support });

  connection.onShutdown(() => {
    scheduler.cancelAll();
    workspace.stop();
  });

  documents.listen(connection);
  connection.listen();
}
