// One analysis per document version (and settings generation), shared by diagnostics, hover
// and code actions; fix-all results cached the same way, since the editor asks repeatedly.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, fixAll, type Analysis, type EngineOptions, type FixAllResult } from '../engine/engine';
import { diskHost } from '../engine/host';
import type { AnyRule, ProjectHost } from '../engine/types';
import { allRules } from '../rules';
import { EXCLUDES_NOTHING, type ExcludeTest } from './exclude';
import { fileNameOf } from './files';
import { OnceLog } from './log';
import type { Settings } from './settings';

export interface OpenDocuments {
  all(): TextDocument[];
}

export interface AnalysisLog {
  info(message: string): void;
  warn(message: string): void;
}

interface Cached<T> {
  version: number;
  generation: number;
  value: T;
}

const NOT_A_SOURCE_FILE = 'not a source file';
const EXCLUDED: Analysis = { findings: [], failures: [], skipped: 'excluded by backstageAuth.exclude' };

export class DocumentAnalyses {
  private settings: Settings;
  /** Bumped when settings change: every cached result is then out of date. */
  private generation = 0;
  private readonly analyses = new Map<string, Cached<Analysis>>();
  private readonly fixAlls = new Map<string, Cached<FixAllResult>>();
  private readonly logOnce: OnceLog;
  private readonly infoOnce: OnceLog;
  readonly host: ProjectHost;
  /** `backstageAuth.exclude` against the workspace folders; set with the settings. */
  excludes: ExcludeTest = EXCLUDES_NOTHING;

  constructor(
    documents: OpenDocuments,
    settings: Settings,
    log: AnalysisLog,
    private readonly rules: readonly AnyRule[] = allRules,
  ) {
    this.settings = settings;
    this.logOnce = new OnceLog((message) => log.warn(message));
    this.infoOnce = new OnceLog((message) => log.info(message));
    // Unsaved editor content wins over the disk when a rule reads a sibling file.
    this.host = diskHost({ overlay: (path) => documents.all().find((d) => fileNameOf(d.uri) === path)?.getText() });
  }

  get currentSettings(): Settings {
    return this.settings;
  }

  updateSettings(settings: Settings): void {
    this.settings = settings;
    this.forgetAll();
  }

  engineOptions(): EngineOptions {
    return {
      rules: this.rules,
      severities: this.settings.severity,
      host: this.host,
      maxFileSize: this.settings.maxFileSize,
      target: this.settings.migrationTarget,
    };
  }

  analysisOf(document: TextDocument): Analysis {
    const cached = this.fresh(this.analyses.get(document.uri), document);
    if (cached) return cached;
    const fileName = fileNameOf(document.uri);
    const analysis = this.excludes(fileName) ? EXCLUDED : analyze(fileName, document.getText(), this.engineOptions());
    if (analysis.skipped && analysis.skipped !== NOT_A_SOURCE_FILE) {
      this.infoOnce.once(`${document.uri}\u0000${analysis.skipped}`, `${fileName}: ${analysis.skipped}`);
    }
    for (const failure of analysis.failures) {
      this.logOnce.once(
        failure.ruleId,
        `rule ${failure.ruleId} failed on ${fileName} and was skipped there (logged once per rule): ${failure.error}`,
      );
    }
    this.analyses.set(document.uri, { version: document.version, generation: this.generation, value: analysis });
    return analysis;
  }

  /** The preferred fixes of every finding (or of one rule's findings), applied in turn. */
  fixAllOf(document: TextDocument, ruleId?: string): FixAllResult {
    const key = `${document.uri}\u0000${ruleId ?? ''}`;
    const cached = this.fresh(this.fixAlls.get(key), document);
    if (cached) return cached;
    const result = fixAll(fileNameOf(document.uri), document.getText(), this.engineOptions(), ruleId ? [ruleId] : undefined);
    this.fixAlls.set(key, { version: document.version, generation: this.generation, value: result });
    return result;
  }

  forget(uri: string): void {
    this.analyses.delete(uri);
    for (const key of [...this.fixAlls.keys()]) if (key.startsWith(`${uri}\u0000`)) this.fixAlls.delete(key);
  }

  /** Sibling files changed (a save): results that may have read them are recomputed. */
  forgetAll(): void {
    this.generation++;
    this.analyses.clear();
    this.fixAlls.clear();
  }

  private fresh<T>(cached: Cached<T> | undefined, document: TextDocument): T | undefined {
    return cached && cached.version === document.version && cached.generation === this.generation
      ? cached.value
      : undefined;
  }
}
