// Workspace diagnostics: problems for files that are not open. A background scan walks each
// enabled workspace folder (progress the user can cancel), analyzes file by file in short
// slices so the server keeps answering, and publishes only files with findings. File watcher
// events keep the result current; open documents always win over the scan for their file.
// A package.json or lockfile event also forgets the Backstage versions read from it: the
// folder is scanned again and the session re-analyzes the open documents (`onVersionsChanged`).
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Connection,
  type FileEvent,
  type InitializeParams,
  type ServerCapabilities,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { LOCKFILES } from '../../engine/lockfiles';
import { invalidateVersions, isVersionSource } from '../../engine/versions';
import { discoverPackages } from '../../workspace/packages';
import { isWalked, walkWorkspaceFolder } from '../../workspace/walk';
import type { DocumentAnalyses } from '../analyses';
import { excludeTest, type ExcludeTest } from '../exclude';
import { fileNameOf } from '../files';
import { OnceLog } from '../log';
import type { Settings } from '../settings';
import { isInside, WorkspaceFolders, type Folder } from './folders';
import { PublishedFiles } from './published';
import { analyzeFromDisk } from './scan';

/** The scan analyzes for this long, then lets the server handle waiting messages. */
const SLICE_MS = 12;
const REPORT_EVERY_MS = 250;
/** File events arrive in bursts (a branch switch, a formatter run): handled together. */
const EVENTS_DELAY_MS = 100;
/**
 * Changes to these files can change what is scanned, or how (package.json and the lockfiles:
 * the versions, and with them targets and severities): the folder is scanned again.
 */
const LAYOUT_FILES = new Set(['package.json', ...LOCKFILES.map((lockfile) => lockfile.name), 'pnpm-workspace.yaml', '.gitignore']);

export const WATCHED_GLOBS = ['**/*.{ts,tsx,mts,cts,js,jsx,cjs,mjs}', '**/app-config*.{yaml,yml}', `**/{${[...LAYOUT_FILES].join(',')}}`];

interface Documents {
  get(uri: string): unknown;
}

interface Run {
  cancelled: boolean;
  done: Promise<void>;
}

export class WorkspaceDiagnostics {
  private readonly folders = new WorkspaceFolders();
  private readonly published: PublishedFiles;
  private readonly failuresOnce: OnceLog;
  private progressSupported = false;
  private watchersSupported = false;
  private foldersChangeSupported = false;
  private run: Run | undefined;
  /** Folders the last scan decided to cover (setting, or `auto` and Backstage dependencies). */
  private enabled = new Set<string>();
  private excludes: ExcludeTest = () => false;
  private settingsKey = '';
  private readonly events = new Map<string, FileChangeType>();
  private eventsTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: Documents,
    private readonly analyses: DocumentAnalyses,
    /** After a package.json or lockfile changed: open documents must be analyzed again. */
    private readonly onVersionsChanged: () => void = () => {},
  ) {
    this.published = new PublishedFiles(
      (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      (uri) => documents.get(uri) !== undefined,
    );
    this.failuresOnce = new OnceLog((message) => connection.console.warn(message));
  }

  /** From the initialize request; returns what to add to the server's capabilities. */
  initialize(params: InitializeParams): Pick<ServerCapabilities, 'workspace'> {
    const capabilities = params.capabilities;
    this.progressSupported = capabilities.window?.workDoneProgress === true;
    this.watchersSupported = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.foldersChangeSupported = capabilities.workspace?.workspaceFolders === true;
    this.folders.reset(params);
    return { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
  }

  /** After `initialized`: watchers, folder changes, and the first scan once settings are read. */
  initialized(settingsReady: Promise<void>): void {
    if (this.watchersSupported) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
      });
    }
    this.connection.onDidChangeWatchedFiles(({ changes }) => this.queueEvents(changes));
    if (this.foldersChangeSupported) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const { added, removed } = this.folders.change(event);
        this.excludes = excludeTest(this.analyses.currentSettings.exclude, this.folders.all().map((f) => f.path));
        for (const folder of removed) {
          this.enabled.delete(folder.path);
          this.published.clearWhere((uri) => isInside(folder.path, fileNameOf(uri)) && !this.folders.containing(fileNameOf(uri)));
        }
        if (added.length > 0) this.scan(added);
      });
    }
    void settingsReady.then(() => this.settingsChanged(this.analyses.currentSettings));
  }

  /** New settings: scan again when anything the scan depends on changed. */
  settingsChanged(settings: Settings): void {
    const key = JSON.stringify([
      settings.workspaceDiagnostics,
      settings.exclude,
      settings.severity,
      settings.maxFileSize,
      settings.migrationTarget,
    ]);
    if (key === this.settingsKey || this.stopped) return;
    this.settingsKey = key;
    this.excludes = excludeTest(settings.exclude, this.folders.all().map((f) => f.path));
    this.scan(this.folders.all());
  }

  /** A closed document shows the scan's result for its file again (the disk's content). */
  documentClosed(uri: string): void {
    const path = fileNameOf(uri);
    const folder = this.folders.containing(path);
    if (!folder || !this.enabled.has(folder.path) || !isWalked(folder.path, path, this.excludes)) return;
    this.analyzeFile(uri, path);
  }

  stop(): void {
    this.stopped = true;
    if (this.run) this.run.cancelled = true;
    if (this.eventsTimer) clearTimeout(this.eventsTimer);
  }

  /** Scans `folders` (a new scan replaces a running one, which then covers them too). */
  private scan(folders: Folder[]): void {
    const previous = this.run;
    if (previous) previous.cancelled = true;
    const pending = previous ? this.folders.all() : folders;
    const run: Run = { cancelled: false, done: Promise.resolve() };
    run.done = (previous?.done ?? Promise.resolve())
      .then(() => this.scanNow(run, pending))
      .catch((error) => {
        this.connection.console.error(`workspace scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      });
    this.run = run;
  }

  private async scanNow(run: Run, folders: Folder[]): Promise<void> {
    if (run.cancelled || this.stopped) return;
    const setting = this.analyses.currentSettings.workspaceDiagnostics;
    const covered = folders.filter((folder) => {
      const on = setting === 'on' || (setting === 'auto' && discoverPackages(folder.path).usesBackstage);
      if (on) this.enabled.add(folder.path);
      else {
        this.enabled.delete(folder.path);
        this.published.clearWhere((uri) => this.folders.containing(fileNameOf(uri)) === folder);
      }
      return on;
    });
    if (covered.length === 0) return;

    const progress = await this.createProgress();
    const cancelled = () => run.cancelled || this.stopped || progress?.token.isCancellationRequested === true;
    progress?.begin('Backstage Auth: scanning the workspace', 0, 'listing files', true);
    const started = Date.now();
    let files = 0;
    let withProblems = 0;
    try {
      for (const folder of covered) {
        const paths: string[] = [];
        for await (const path of walkWorkspaceFolder(folder.path, { excludes: this.excludes, cancelled })) {
          paths.push(path);
        }
        const seen = new Set<string>();
        let sliceStart = Date.now();
        let reported = 0;
        for (const [index, path] of paths.entries()) {
          if (Date.now() - sliceStart > SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = Date.now();
          }
          if (cancelled()) return;
          const uri = pathToFileURL(path).href;
          // A nested folder's files belong to the innermost folder's scan.
          const owner = this.folders.containing(path);
          if (owner !== folder && owner !== undefined && covered.includes(owner)) continue;
          seen.add(uri);
          if (this.documents.get(uri) === undefined && this.analyzeFile(uri, path)) withProblems++;
          files++;
          if (progress && Date.now() - reported > REPORT_EVERY_MS) {
            reported = Date.now();
            progress.report(Math.floor((100 * (index + 1)) / paths.length), `${folder.name}: ${index + 1}/${paths.length} files`);
          }
        }
        // Files shown before that this scan no longer reaches: deleted, ignored or excluded since.
        this.published.clearWhere((uri) => !seen.has(uri) && this.folders.containing(fileNameOf(uri)) === folder);
      }
      this.connection.console.info(
        `workspace scan: ${files} files in ${covered.map((f) => f.name).join(', ')}, ${withProblems} with problems, ${Date.now() - started} ms`,
      );
    } finally {
      if (cancelled() && !run.cancelled && !this.stopped) this.connection.console.info('workspace scan cancelled');
      progress?.done();
    }
  }

  private async createProgress(): Promise<WorkDoneProgressServerReporter | undefined> {
    if (!this.progressSupported) return undefined;
    try {
      return await this.connection.window.createWorkDoneProgress();
    } catch {
      return undefined; // the client refused a progress token: scan without one
    }
  }

  /** Analyzes one file from the disk and publishes the result; true when it has problems. */
  private analyzeFile(uri: string, path: string): boolean {
    let result: ReturnType<typeof analyzeFromDisk>;
    try {
      result = analyzeFromDisk(uri, path, this.analyses.engineOptions());
    } catch (error) {
      this.connection.console.error(`analyzing ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return false;
    }
    for (const failure of result.failures) {
      this.failuresOnce.once(failure.ruleId, `rule ${failure.ruleId} failed on ${path} and was skipped there (logged once per rule): ${failure.error}`);
    }
    this.published.set(uri, result.diagnostics);
    return result.diagnostics.length > 0;
  }

  private queueEvents(changes: FileEvent[]): void {
    for (const change of changes) this.events.set(change.uri, change.type);
    if (this.eventsTimer) clearTimeout(this.eventsTimer);
    this.eventsTimer = setTimeout(() => this.handleEvents(), EVENTS_DELAY_MS);
  }

  private handleEvents(): void {
    this.eventsTimer = undefined;
    const rescan = new Set<Folder>();
    let versionsChanged = false;
    for (const [uri, type] of this.events) {
      if (!uri.startsWith('file:')) continue;
      const path = fileNameOf(uri);
      // Inside the workspace folders or not: an open file elsewhere may read these versions.
      if (isVersionSource(path)) {
        invalidateVersions(path);
        versionsChanged = true;
      } else if (type === FileChangeType.Deleted) {
        invalidateVersions(path); // a deleted folder may have held a package.json or lockfile
      }
      const folder = this.folders.containing(path);
      if (type === FileChangeType.Deleted) {
        // A deleted folder comes as one event: everything under it goes.
        this.published.clearWhere((shown) => isInside(path, fileNameOf(shown)));
      }
      if (!folder) continue;
      if (LAYOUT_FILES.has(basename(path))) {
        rescan.add(folder);
        continue;
      }
      if (type === FileChangeType.Deleted || !this.enabled.has(folder.path) || this.documents.get(uri) !== undefined) continue;
      if (isWalked(folder.path, path, this.excludes)) this.analyzeFile(uri, path);
      else this.published.clear(uri);
    }
    this.events.clear();
    if (versionsChanged) this.onVersionsChanged();
    if (rescan.size > 0) this.scan([...rescan]);
  }
}
