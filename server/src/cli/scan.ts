// The part check and fix share: which rules, which files, and each file read and analyzed once.
import { analyze, type Analysis, type EngineOptions } from '../engine/engine';
import { diskHost } from '../engine/host';
import type { AnyRule } from '../engine/types';
import { allRules } from '../rules';
import { readSourceFile } from './files/read';
import type { SkippedFile, SourceTarget } from './files/walk';

export interface ScanRequest {
  paths: readonly string[];
  cwd: string;
  /** Rule ids to run; empty means all. */
  rules: readonly string[];
  maxFileSize: number;
}

export type ScannedFile =
  | { target: SourceTarget; text: string; analysis: Analysis }
  | { target: SourceTarget; skipped: SkippedFile };

export function selectedRules(ids: readonly string[]): AnyRule[] {
  return ids.length === 0 ? [...allRules] : allRules.filter((rule) => ids.includes(rule.id));
}

/** Rules read sibling files from the disk, as they are when the run starts. */
export function engineOptionsFor(request: ScanRequest): EngineOptions {
  return { rules: selectedRules(request.rules), host: diskHost(), maxFileSize: request.maxFileSize };
}

/** Reads and analyzes one file; a file that cannot be analyzed comes back as skipped. */
export function readAndAnalyze(target: SourceTarget, request: ScanRequest, options: EngineOptions): ScannedFile {
  const read = readSourceFile(target.absolute, request.maxFileSize);
  if (!read.ok) return { target, skipped: { path: target.display, reason: read.reason, ioError: read.ioError } };
  const analysis = analyze(target.absolute, read.text, options);
  if (analysis.skipped) {
    const reason = analysis.skipped.replace(/^skipped: /, '');
    return { target, skipped: { path: target.display, reason, ioError: false } };
  }
  return { target, text: read.text, analysis };
}
