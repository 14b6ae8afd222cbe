// "Migrate This File" and "Migrate Workspace…": every preferred fix (the engine's fix-all), as
// one workspace edit whose edits are annotated with the rule(s) that made them, plus what is
// left for a person and why. The files are fixed together (engine/treeFix.ts, the same loop as
// the CLI's fix): a fix that waits on another file sees it already fixed, so one run does what
// repeated runs would.
import { LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { whyNotFixable } from '../../cli/report';
import { analyze, fixAll, type FixAllResult } from '../../engine/engine';
import { minimalEdits } from '../../engine/edits';
import { whyLeftForPerson } from '../../engine/leftForPerson';
import { attributeEdits } from '../../engine/setup/ruleAttribution';
import { TreeFix, type TreeFile } from '../../engine/treeFix';
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

/** One file of the migration, as the command found it. */
interface FileMigration {
  file: FileText;
  display: string;
  fixed: TreeFile;
}

class Migration {
  private readonly tree: TreeFix;
  private readonly files: FileMigration[] = [];
  private readonly skipped: MigrationResult['skipped'] = [];

  constructor(
    private readonly context: CommandContext,
    private readonly preview: boolean,
  ) {
    this.tree = new TreeFix(context.analyses.engineOptions());
  }

  skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }

  migrate(file: FileText, display: string): void {
    const result = this.fixAllOf(file);
    if (!result) return;
    this.files.push({ file, display, fixed: this.tree.add(file.fileName, file.text, result) });
  }

  /** Fixes the files with findings left again against the others' fixed texts, checking for cancellation in between. */
  async settle(token?: CancellationToken): Promise<void> {
    for (const _refixing of this.tree.settle()) {
      await yieldToEventLoop();
      if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'the migration was cancelled');
    }
  }

  result(): MigrationResult {
    const builder = new WorkspaceEditBuilder(this.context.support().documentChanges);
    const applied = new Map<string, number>();
    const remaining: RemainingFinding[] = [];
    for (const { file, display, fixed } of this.files) {
      const { text, applied: fixes, remaining: findings } = fixed;
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
          reason: whyLeftForPerson(finding, file.fileName, text, this.tree.options, LEFT_WORDING),
        });
      }
    }
    return {
      edit: builder.build(),
      filesChecked: this.files.length,
      filesChanged: this.files.filter(({ fixed }) => fixed.text !== fixed.original).length,
      applied: [...applied].map(([ruleId, count]) => ({ ruleId, title: titleOf(ruleId), count })),
      remaining,
      skipped: this.skipped,
    };
  }

  /** Open documents go through the server's cache; other files are fixed only when they have findings. */
  private fixAllOf(file: FileText): FixAllResult | undefined {
    const open = file.version !== null ? this.context.documents.get(file.uri) : undefined;
    if (open) return this.context.analyses.fixAllOf(open);
    const analysis = analyze(file.fileName, file.text, this.tree.options);
    if (analysis.skipped) {
      if (analysis.skipped !== 'not a source file') this.skip(file.fileName, analysis.skipped);
      return undefined;
    }
    if (analysis.findings.length === 0) return { text: file.text, edits: [], applied: [], remaining: [] };
    return fixAll(file.fileName, file.text, this.tree.options);
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

function titleOf(ruleId: string): string {
  return allRules.find((rule) => rule.id === ruleId)?.title ?? ruleId;
}
