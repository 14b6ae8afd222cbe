// The part check and fix share: which rules, which files, and each file read and analyzed once.
import type { Dirent } from 'node:fs';
import { analyze, analyzeListingReads, type Analysis, type EngineOptions } from '../engine/engine';
import { diskHost } from '../engine/host';
import { runHost } from '../engine/runHost';
import { DEFAULT_MAX_FILE_BYTES } from '../engine/source';
import type { AnyRule } from '../engine/types';
import { allRules } from '../rules';
import { UsageError, type Target } from './args';
import { fingerprintReads, type ReadFingerprint } from './cache/readState';
import { readSourceFile, type FileStamp } from './files/read';
import type { SkippedFile, SourceTarget } from './files/walk';
import { absentFromListing } from '../workspace/walk';

export interface ScanRequest {
  paths: readonly string[];
  cwd: string;
  /** Rule ids to run; empty means all. */
  rules: readonly string[];
  /** Default: the engine's limit. */
  maxFileSize?: number;
  /** Worker threads for reading and analyzing (default: the cores; 1: this thread). */
  jobs?: number;
  /** Migration target; default 'auto' (from the versions each package uses). */
  target?: Target;
  /** List what each analysis read besides its file (set when results are cached). */
  listReads?: boolean;
}

export type ScannedFile =
  /** `reads`: with `listReads`, the siblings the rules read (absent for a result from the cache). */
  | { target: SourceTarget; text: string; analysis: Analysis; reads?: ReadFingerprint[] }
  | { target: SourceTarget; skipped: SkippedFile };

/** The rules `--rule` asked for (all when none); an unknown id is a usage error, not an empty run. */
export function selectedRules(ids: readonly string[]): AnyRule[] {
  for (const id of ids) {
    if (!allRules.some((rule) => rule.id === id)) {
      throw new UsageError(`unknown rule '${id}' (list them with: backstage-auth-migrate rules)`);
    }
  }
  return ids.length === 0 ? [...allRules] : allRules.filter((rule) => ids.includes(rule.id));
}

/**
 * Rules read sibling files from the disk, as they are when the run starts. `listings`: the
 * folders the run's walk listed, so a file not among their entries needs no stat.
 */
export function engineOptionsFor(request: ScanRequest, listings?: ReadonlyMap<string, readonly Dirent[]>): EngineOptions {
  const knownAbsent = listings && ((absolutePath: string) => absentFromListing(listings, absolutePath));
  return {
    rules: selectedRules(request.rules),
    host: runHost(diskHost({ knownAbsent })),
    maxFileSize: maxFileSizeOf(request),
    target: request.target,
  };
}

export function maxFileSizeOf(request: ScanRequest): number {
  return request.maxFileSize ?? DEFAULT_MAX_FILE_BYTES;
}

export type ReadFile = { target: SourceTarget; text: string; stamp: FileStamp } | { target: SourceTarget; skipped: SkippedFile };

export function readTarget(target: SourceTarget, request: ScanRequest): ReadFile {
  const read = readSourceFile(target.absolute, maxFileSizeOf(request));
  if (!read.ok) return { target, skipped: { path: target.display, reason: read.reason, ioError: read.ioError } };
  return { target, text: read.text, stamp: read.stamp };
}

/** Analyzes a file already read (parallel runs read on the main thread, analyze on workers). */
export function analyzeText(target: SourceTarget, text: string, options: EngineOptions, listReads = false): ScannedFile {
  const listed = listReads ? analyzeListingReads(target.absolute, text, options) : undefined;
  const analysis = listed?.analysis ?? analyze(target.absolute, text, options);
  if (analysis.skipped) {
    const reason = analysis.skipped.replace(/^skipped: /, '');
    return { target, skipped: { path: target.display, reason, ioError: false } };
  }
  return listed ? { target, text, analysis, reads: fingerprintReads(listed.reads) } : { target, text, analysis };
}

/**
 * Text is kept only for files with findings (reports and fixes need it); dropped for the rest,
 * a run over a big tree holds (and sends between threads) a fraction of it.
 */
export function withoutUnneededText(scanned: ScannedFile): ScannedFile {
  if ('skipped' in scanned || scanned.text === '' || scanned.analysis.findings.length > 0) return scanned;
  return { ...scanned, text: '' };
}
