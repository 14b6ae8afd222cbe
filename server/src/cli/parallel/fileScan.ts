// One file's way through a scan, before and after any parse: the results cache (by stamp, then
// by text), the read, the trigger prefilter; then, for a file that must be parsed, keeping its
// analysis with what it was made from.
import type { Analysis, EngineOptions } from '../../engine/engine';
import { needsParse } from '../../engine/prefilter';
import type { ReadFingerprint } from '../cache/readState';
import type { FileStamp } from '../files/read';
import type { SourceTarget } from '../files/walk';
import { analyzeText, readTarget, type ScannedFile, type ScanRequest } from '../scan';

/** Earlier results a run may reuse (see cache/checkCache.ts). */
export interface ResultCache {
  recall(fileName: string): { analysis: Analysis; needsText: boolean } | undefined;
  lookup(fileName: string, text: string, stamp: FileStamp): Analysis | undefined;
  remember(fileName: string, text: string, stamp: FileStamp, analysis: Analysis, reads: ReadFingerprint[]): void;
  rememberClean(fileName: string, stamp: FileStamp): void;
  forget(fileName: string): void;
}

/** A file that must be parsed; `index`: its place in the run. */
export interface ParseNeeded {
  index: number;
  target: SourceTarget;
  text: string;
  stamp: FileStamp;
}

/** The file's result when no parse is needed for it, or what to parse. */
export function scanBeforeParse(
  index: number,
  target: SourceTarget,
  request: ScanRequest,
  options: EngineOptions,
  cache?: ResultCache,
): { result: ScannedFile } | { parse: ParseNeeded } {
  const recalled = cache?.recall(target.absolute);
  if (recalled && !recalled.needsText) return { result: { target, text: '', analysis: recalled.analysis } };
  const read = readTarget(target, request);
  if ('skipped' in read) {
    cache?.forget(target.absolute);
    return { result: read };
  }
  if (!needsParse(target.absolute, read.text, options)) {
    const scanned = analyzeText(target, read.text, options);
    if ('analysis' in scanned && scanned.analysis.findings.length === 0) cache?.rememberClean(target.absolute, read.stamp);
    else cache?.forget(target.absolute);
    return { result: scanned };
  }
  const cached = cache?.lookup(target.absolute, read.text, read.stamp);
  if (cached) return { result: { target, text: read.text, analysis: cached } };
  return { parse: { index, target, text: read.text, stamp: read.stamp } };
}

/** Keeps a parsed file's analysis in the cache, with the text and stamp it was made from. */
export function keepParsed(parsed: ParseNeeded, result: ScannedFile, cache?: ResultCache): void {
  if (!cache) return;
  if ('analysis' in result && result.reads) cache.remember(parsed.target.absolute, parsed.text, parsed.stamp, result.analysis, result.reads);
  else cache.forget(parsed.target.absolute);
}
