// `fix`: every safe fix, through the engine's fixAll, the files fixed together
// (engine/treeFix.ts, the same loop as the editor's Migrate Workspace): rules that read other
// files see their fixed texts, and files with findings left are fixed again while that changes
// something, so a fix that waits on another file (a plugin's deps on its router) is made in the
// same run. The writes happen at the end, each one atomic and refused when the file changed on
// disk in the meantime.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { fixAll } from '../../engine/engine';
import { whyLeftForPerson } from '../../engine/leftForPerson';
import { TreeFix, type TreeFile } from '../../engine/treeFix';
import { writeFileAtomic } from '../files/atomic-write';
import { checkUncommittedChanges } from '../files/gitGuard';
import { collectSourceFiles, compareStrings, type SkippedFile, type SourceTarget } from '../files/walk';
import { findingLine } from '../formats/text';
import { EXIT, type CliIO } from '../io';
import { plural, positionsOf, toReported, whyNotFixable, type ReportedFinding, type RuleCrash } from '../report';
import { scanFiles } from '../parallel/pool';
import { terminalProgress } from '../parallel/progress';
import { engineOptionsFor, type ScanRequest } from '../scan';
import { targetGroups, targetLines, type TargetGroup } from '../targets';

export interface FixCommand extends ScanRequest {
  dryRun: boolean;
  /** Write even into a git repository with uncommitted changes. */
  force?: boolean;
}

interface FileOutcome {
  target: SourceTarget;
  original: string;
  fixed: string;
  applied: readonly { ruleId: string; message: string }[];
  /** Still there after fixing, each with the reason it was left. */
  remaining: ReportedFinding[];
  /** Set when the fixed text could not be written. */
  notWritten?: string;
}

export async function runFix(command: FixCommand, io: CliIO): Promise<number> {
  const collected = collectSourceFiles(command.paths, command.cwd);
  const options = engineOptionsFor(command, collected.listings);
  const skipped: SkippedFile[] = [...collected.skipped];
  const crashes: RuleCrash[] = [];
  let checked = 0;

  const progress = terminalProgress(io, 'checked', true);
  const scannedFiles = await scanFiles(collected.files, command, options, progress.update);
  progress.end();
  const tree = new TreeFix(options);
  const fixedFiles: { target: SourceTarget; fixed: TreeFile }[] = [];
  for (const scanned of scannedFiles) {
    const { target } = scanned;
    if ('skipped' in scanned) {
      skipped.push(scanned.skipped);
      continue;
    }
    checked++;
    for (const failure of scanned.analysis.failures) {
      crashes.push({ path: target.display, rule: failure.ruleId, error: failure.error });
    }
    if (scanned.analysis.findings.length === 0) continue;
    const first = fixAll(target.absolute, scanned.text, tree.options);
    fixedFiles.push({ target, fixed: tree.add(target.absolute, scanned.text, first) });
  }
  tree.settleAll();
  const outcomes: FileOutcome[] = fixedFiles.map(({ target, fixed }) => {
    const at = positionsOf(fixed.text);
    return {
      target,
      original: fixed.original,
      fixed: fixed.text,
      applied: fixed.applied,
      remaining: fixed.remaining.map((f) => ({
        ...toReported(f, at),
        fixable: false,
        reason: whyLeftForPerson(f, target.absolute, fixed.text, tree.options, LEFT_WORDING),
      })),
    };
  });
  skipped.sort((a, b) => compareStrings(a.path, b.path));

  const changed = outcomes.filter((o) => o.fixed !== o.original);
  // Only writes are guarded: a dry run, or a run with nothing to write, cannot lose work.
  const guard =
    command.dryRun || command.force || changed.length === 0
      ? undefined
      : checkUncommittedChanges(changed.map((o) => o.target.absolute));
  const refused = guard && !guard.ok ? guard.reason : undefined;
  if (!command.dryRun && !refused) {
    for (const outcome of changed) {
      try {
        writeFileAtomic(outcome.target.absolute, outcome.fixed, outcome.original);
      } catch (error) {
        outcome.notWritten = error instanceof Error ? error.message : String(error);
      }
    }
  }

  const targets = targetGroups(outcomes.map((o) => o.target), options, command.cwd);
  const report = formatFixReport(outcomes, skipped, targets, checked, command.dryRun || refused !== undefined);
  if (command.dryRun) {
    io.out(changed.map(patchOf).join(''));
    io.err(report);
  } else {
    io.out(report);
  }
  for (const crash of crashes) io.err(`error: rule ${crash.rule} failed on ${crash.path}: ${crash.error}\n`);
  for (const outcome of outcomes.filter((o) => o.notWritten)) io.err(`error: ${outcome.notWritten}\n`);
  if (guard?.ok && guard.note) io.err(`note: ${guard.note}\n`);
  if (refused) {
    io.err(`error: ${refused}\n`);
    return EXIT.error;
  }

  const failed = crashes.length > 0 || skipped.some((s) => s.ioError) || outcomes.some((o) => o.notWritten);
  if (failed) return EXIT.error;
  return outcomes.some((o) => o.remaining.length > 0) ? EXIT.findings : EXIT.clean;
}

/** How `fix` says why a finding was left (the engine decides which applies). */
const LEFT_WORDING = {
  notFixable: whyNotFixable,
  runAgain: 'the file needed more fixes than one run applies; run fix again',
};

function patchOf(outcome: FileOutcome): string {
  const path = outcome.target.display;
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, outcome.original, outcome.fixed, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
  return `diff --git a/${path} b/${path}\n${patch}`;
}

function formatFixReport(
  outcomes: FileOutcome[],
  skipped: SkippedFile[],
  targets: readonly TargetGroup[],
  checked: number,
  dryRun: boolean,
): string {
  const verb = dryRun ? 'would fix' : 'fixed';
  const lines: string[] = [];
  let fixedFindings = 0;
  let fixedFiles = 0;
  let remaining = 0;
  for (const outcome of outcomes) {
    const path = outcome.target.display;
    lines.push(outcome.notWritten ? `${path}  not written: ${outcome.notWritten}` : path);
    if (!outcome.notWritten && outcome.applied.length > 0) {
      fixedFindings += outcome.applied.length;
      fixedFiles++;
      for (const applied of outcome.applied) lines.push(`  ${verb}: ${applied.message}  [${applied.ruleId}]`);
    }
    for (const finding of outcome.remaining) {
      remaining++;
      lines.push(`  needs a person: ${findingLine(path, finding)}`, `    why: ${finding.reason}`);
    }
  }
  for (const s of skipped) lines.push(`${s.path}  skipped: ${s.reason}`);
  if (lines.length > 0) lines.push('');
  lines.push(...targetLines(targets));

  const scope = `${plural(checked, 'file')} checked${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}`;
  const left = remaining > 0 ? `${plural(remaining, 'finding')} ${remaining === 1 ? 'needs' : 'need'} a person; ` : '';
  if (fixedFindings === 0) {
    lines.push(remaining > 0 ? `Nothing fixed; ${left}${scope}.` : `Nothing to fix; ${scope}.`);
  } else {
    const head = `${dryRun ? 'Would fix' : 'Fixed'} ${plural(fixedFindings, 'finding')} in ${plural(fixedFiles, 'file')}`;
    lines.push(`${head}; ${left}${scope}.`);
  }
  return lines.join('\n') + '\n';
}
