// `check`: analyze, report in the chosen format, exit 1 when anything was found.
import type { CheckFormat } from '../args';
import { collectSourceFiles, compareStrings, type SourceTarget } from '../files/walk';
import { formatCheckJson } from '../formats/json';
import { formatCheckSarif } from '../formats/sarif';
import { formatCheckText } from '../formats/text';
import { EXIT, type CliIO } from '../io';
import { positionsOf, toReported, type CheckReport } from '../report';
import { scanFiles } from '../parallel/pool';
import { terminalProgress } from '../parallel/progress';
import { engineOptionsFor, maxFileSizeOf, type ScanRequest } from '../scan';
import { CheckCache } from '../cache/checkCache';
import { cacheFileFor, removeOtherBuilds } from '../cache/location';
import { targetGroups } from '../targets';
import { guide } from '../../rules/shared/docs';

export interface CheckCommand extends ScanRequest {
  format: CheckFormat;
  /** false: --no-cache; a string: --cache-location. */
  cache?: false | string;
}

export async function runCheck(command: CheckCommand, io: CliIO, toolVersion: string): Promise<number> {
  const collected = collectSourceFiles(command.paths, command.cwd);
  const options = engineOptionsFor(command, collected.listings);
  const report: CheckReport = { files: [], skipped: [...collected.skipped], checked: 0, crashes: [], targets: [] };

  const cacheFile = cacheFileFor({ ...command, rules: options.rules.map((r) => r.id), maxFileSize: maxFileSizeOf(command) });
  const cache = cacheFile ? CheckCache.open(cacheFile, options, command.cwd, collected.listings) : undefined;

  const progress = terminalProgress(io, 'checked', command.format === 'text');
  const scannedFiles = await scanFiles(collected.files, command, options, progress.update, cache);
  progress.end();
  if (cache) {
    const failed = cache.save();
    // The results are complete either way; only the next run is slower.
    if (failed) io.err(`warning: could not write the results cache ${cache.path} (${failed})\n`);
    else removeOtherBuilds(cache.path);
  }
  const withFindings: SourceTarget[] = [];
  for (const scanned of scannedFiles) {
    const { target } = scanned;
    if ('skipped' in scanned) {
      report.skipped.push(scanned.skipped);
      continue;
    }
    report.checked++;
    for (const failure of scanned.analysis.failures) {
      report.crashes.push({ path: target.display, rule: failure.ruleId, error: failure.error });
    }
    if (scanned.analysis.findings.length === 0) continue;
    const at = positionsOf(scanned.text);
    report.files.push({ path: target.display, findings: scanned.analysis.findings.map((f) => toReported(f, at)) });
    withFindings.push(target);
  }
  report.skipped.sort((a, b) => compareStrings(a.path, b.path));
  report.targets = targetGroups(withFindings, options, command.cwd);

  if (command.format === 'json') io.out(formatCheckJson(report));
  else if (command.format === 'sarif') {
    io.out(formatCheckSarif(report, { rules: options.rules, cwd: command.cwd, toolVersion, informationUri: guide.root }));
  } else io.out(formatCheckText(report));

  // The text report already lists skipped files; the machine formats keep stdout parseable.
  if (command.format !== 'text') {
    for (const s of report.skipped.filter((s) => s.ioError)) io.err(`error: ${s.path}: ${s.reason}\n`);
  }
  for (const crash of report.crashes) io.err(`error: rule ${crash.rule} failed on ${crash.path}: ${crash.error}\n`);

  if (report.crashes.length > 0 || report.skipped.some((s) => s.ioError)) return EXIT.error;
  return report.files.length > 0 ? EXIT.findings : EXIT.clean;
}
