// "Migrate This File" and "Migrate Workspace…": every preferred fix (the engine's fix-all), as
// one workspace edit whose edits are annotated with the rule(s) that made them, plus what is
// left for a person and why. Fixes that wait on another file (a plugin's deps wait for its
// router) see that file as already fixed: files with findings left are fixed again against the
// others' fixed texts until nothing changes, so one run does what repeated runs would.
import { LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { whyNotFixable } from '../../cli/report';
import { analyze, fixAll, type EngineOptions, type FixAllResult } from '../../engine/engine';
import { minimalEdits } from '../../engine/edits';
import { whyLeftForPerson } from '../../engine/leftForPerson';
import { attributeEdits, type AppliedFix } from '../../engine/setup/ruleAttribution';
import type { Finding, ProjectHost } from '../../engine/types';
import { allRules } from '../../rules';
import { yieldToEventLoop } from '../scheduler';
import { argumentsOf, booleanArg, stringArg, stringListArg, type CommandContext } from './context';
import { WorkspaceEditBuilder, type Annotation } from './edits';
import { readTarget, type FileText } from './files';
import { walkFolders } from './folders';
import { SERVER_COMMANDS, type MigrationResult, type RemainingFinding } from './protocol';

const EXCLUDED = 'excluded by backstageAuth.exclude';
/** How the commands say why a finding was left (the engine decides which applies). */
const LEFT_WORDING = {
  notFixable: whyNotFixable,
  runAgain: 'it needed more fixes than one run applies; run the command again',
};

export async function migrateFile(context: CommandContext, args: unknown[] | undefined): Promise<MigrationResult> {
  const given = argumentsOf(SERVER_COMMANDS.migrateFile, args);
  const uri = stringArg(given, 'uri');
  const migration = new Migration(context, booleanArg(given, 'preview'));
  const target = readTarget(uri, context.documents, context.analyses.currentSettings.maxFileSize);
  if ('reason' in target) migration.skip(uri, target.reason);
  else if (context.analyses.excludes(target.fileName)) migration.skip(target.fileName, EXCLUDED);
  else migration.migrate(target, target.fileName);
  await migration.settle();
  return migration.result();
}

export async function migrateWorkspace(
  context: CommandContext,
  args: unknown[] | undefined,
  token: CancellationToken,
  progress: WorkDoneProgressReporter,
): Promise<MigrationResult> {
  const given = argumentsOf(SERVER_COMMANDS.migrateWorkspace, args);
  const folders = stringListArg(given, 'folders');
  const migration = new Migration(context, booleanArg(given, 'preview'));
  const walked = walkFolders(folders, context.analyses.excludes);
  for (const skipped of walked.skipped) migration.skip(skipped.path, skipped.reason);
  const total = walked.files.length;
  progress.begin('Backstage Auth: migrating', 0, `0/${total} files`, true);
  try {
    for (const [index, file] of walked.files.entries()) {
      // Lets a cancellation (and edits the user makes meanwhile) through between files.
      await yieldToEventLoop();
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'the migration was cancelled');
      progress.report(Math.floor((index / Math.max(total, 1)) * 100), `${index}/${total} files: ${file.display}`);
      const target = readTarget(file.uri, context.documents, context.analyses.currentSettings.maxFileSize);
      if ('reason' in target) migration.skip(file.display, target.reason);
      else migration.migrate(target, file.display);
    }
    await migration.settle(token);
  } finally {
    progress.done();
  }
  return migration.result();
}

/** How many times a file is fixed at most (the first run, then runs after other files changed). */
const MAX_RUNS = 5;

/** One file's migration so far. */
interface FileMigration {
  file: FileText;
  display: string;
  /** The text after every fix so far. */
  text: string;
  /** Every fix so far, in order, each on the text as it was right before it. */
  applied: AppliedFix[];
  /** Findings in `text`. */
  remaining: Finding[];
}

class Migration {
  private readonly options: EngineOptions;
  private readonly files: FileMigration[] = [];
  /** Fixed texts not written yet, by file name: what other files' rules read. */
  private readonly fixedTexts = new Map<string, string>();
  private readonly skipped: MigrationResult['skipped'] = [];

  constructor(
    private readonly context: CommandContext,
    private readonly preview: boolean,
  ) {
    const options = context.analyses.engineOptions();
    this.options = { ...options, host: withFixedTexts(this.fixedTexts, options.host) };
  }

  skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }

  migrate(file: FileText, display: string): void {
    const result = this.fixAllOf(file);
    if (!result) return;
    const migration: FileMigration = { file, display, text: file.text, applied: [], remaining: [] };
    this.files.push(migration);
    this.record(migration, result);
  }

  /**
   * Fixes again the files with findings left, against the other files' fixed texts, while a run
   * changes something (a fix refused until its router was migrated can then be made).
   */
  async settle(token?: CancellationToken): Promise<void> {
    let changed = this.files.some((migration) => migration.text !== migration.file.text);
    for (let run = 1; changed && run < MAX_RUNS; run++) {
      changed = false;
      for (const migration of this.files) {
        if (migration.remaining.length === 0) continue;
        await yieldToEventLoop();
        if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'the migration was cancelled');
        const result = fixAll(migration.file.fileName, migration.text, this.options);
        if (result.text !== migration.text) changed = true;
        this.record(migration, result);
      }
    }
  }

  result(): MigrationResult {
    const builder = new WorkspaceEditBuilder(this.context.support().documentChanges);
    const applied = new Map<string, number>();
    const remaining: RemainingFinding[] = [];
    for (const { file, display, text, applied: fixes, remaining: findings } of this.files) {
      for (const fix of fixes) applied.set(fix.ruleId, (applied.get(fix.ruleId) ?? 0) + 1);
      builder.add(
        file,
        attributeEdits(minimalEdits(file.text, text), fixes).map(({ edit, ruleIds }) => ({ edit, annotation: this.annotation(ruleIds) })),
      );
      const after = TextDocument.create(file.uri, 'plaintext', 0, text);
      for (const finding of findings) {
        remaining.push({
          uri: file.uri,
          path: display,
          range: { start: after.positionAt(finding.range.start), end: after.positionAt(finding.range.end) },
          ruleId: finding.ruleId,
          message: finding.message,
          reason: whyLeftForPerson(finding, file.fileName, text, this.options, LEFT_WORDING),
        });
      }
    }
    return {
      edit: builder.build(),
      filesChecked: this.files.length,
      filesChanged: this.files.filter((migration) => migration.text !== migration.file.text).length,
      applied: [...applied].map(([ruleId, count]) => ({ ruleId, title: titleOf(ruleId), count })),
      remaining,
      skipped: this.skipped,
    };
  }

  private record(migration: FileMigration, result: FixAllResult): void {
    migration.text = result.text;
    migration.applied.push(...result.applied);
    migration.remaining = result.remaining;
    if (result.text !== migration.file.text) this.fixedTexts.set(migration.file.fileName, result.text);
  }

  /** Open documents go through the server's cache; other files are fixed only when they have findings. */
  private fixAllOf(file: FileText): FixAllResult | undefined {
    const open = file.version !== null ? this.context.documents.get(file.uri) : undefined;
    if (open) return this.context.analyses.fixAllOf(open);
    const analysis = analyze(file.fileName, file.text, this.options);
    if (analysis.skipped) {
      if (analysis.skipped !== 'not a source file') this.skip(file.fileName, analysis.skipped);
      return undefined;
    }
    if (analysis.findings.length === 0) return { text: file.text, edits: [], applied: [], remaining: [] };
    return fixAll(file.fileName, file.text, this.options);
  }

  private annotation(ruleIds: readonly string[]): Annotation {
    return {
      id: ruleIds.length > 0 ? ruleIds.join('+') : 'backstage-auth',
      label: ruleIds.length > 0 ? ruleIds.map(titleOf).join(' + ') : 'Backstage auth migration',
      description: ruleIds.join(', '),
      needsConfirmation: this.preview,
    };
  }
}

/** Reads the fixed texts of the migration before the files themselves. */
function withFixedTexts(fixedTexts: ReadonlyMap<string, string>, host: ProjectHost | undefined): ProjectHost {
  return {
    readFile: (absolutePath, options) => fixedTexts.get(absolutePath) ?? host?.readFile(absolutePath, options),
  };
}

function titleOf(ruleId: string): string {
  return allRules.find((rule) => rule.id === ruleId)?.title ?? ruleId;
}
