// Results of earlier `check` runs, so a run over a big monorepo reads and parses only what
// changed (like ESLint's --cache, or git's index). A result is reused only while everything it
// came from is unchanged:
// - the file itself: its text hash, or, without reading it, its stamp (size, modification and
//   change times, inode) when that stamp was taken long enough after the file's last change
//   that a later write must show in it (git's "racily clean" rule); a file without trigger
//   words is kept by its stamp alone;
// - for a file that was parsed: the text of every sibling its rules read (or that a missing one
//   is still missing), and of every package.json and lockfile its versions (so its target) were
//   resolved from.
// Everything else the findings depend on (the tool build, the rules asked for, --target,
// --max-file-size) names the cache file (location.ts), so other builds or option sets never
// read these entries.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { relativeTo } from '../../workspace/relativePath';
import type { Analysis, EngineOptions } from '../../engine/engine';
import { versionResolver } from '../../engine/versions';
import type { ProjectHost } from '../../engine/types';
import type { FileRead } from '../../engine/readLog';
import { replaceFileAtomic } from '../files/atomic-write';
import { stampOf, type FileStamp } from '../files/read';

const FORMAT = 5;

/**
 * A stamp vouches for a text only when the file had not changed for this long before it was
 * taken: file systems with coarse timestamps (1-2 s) can hide a second write in the same tick.
 */
const RACY_MS = 2_000;

/** A sibling read, as kept: path, size limit asked for (null: the host's), text hash (null: nothing came back). */
export type ReadFingerprint = [path: string, maxBytes: number | null, hash: string | null];

/** A file that was parsed: what its findings came from, and the findings. */
interface Analyzed {
  hash: string;
  /** Absent when the file had changed too recently for its stamp to be trusted. */
  stamp?: string;
  reads: ReadFingerprint[];
  analysis: Analysis;
}

/**
 * The file as written. Files without a trigger word only need their stamp (they hold nothing to
 * find; if the stamp changed they are read again, which is all a check of them costs): keeping
 * them as bare strings makes the file small and quick to load on a big tree. Paths are kept
 * relative to `base`, the folder the first run started in (a third of the size of absolute
 * ones, which is load time on every run).
 */
interface CacheFile {
  format: typeof FORMAT;
  base: string;
  clean: Record<string, string>;
  /** By folder: the package.json files and lockfiles its versions were resolved from. */
  versions: Record<string, ReadFingerprint[]>;
  analyzed: Record<string, Analyzed>;
}

const CLEAN: Analysis = { findings: [], failures: [] };
const NO_FILES: ProjectHost = { readFile: () => undefined };

/** SHA-256: no one can write a different file that passes for one the cache vouched for. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

export function fingerprintReads(reads: readonly FileRead[]): ReadFingerprint[] {
  const seen = new Set<string>();
  const prints: ReadFingerprint[] = [];
  for (const read of reads) {
    const key = `${read.maxBytes ?? ''}\u0000${read.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    prints.push([read.path, read.maxBytes ?? null, read.text === undefined ? null : hashText(read.text)]);
  }
  return prints;
}

export interface Recalled {
  analysis: Analysis;
  /** The findings are reported with positions: read the file (then `lookup` confirms the text). */
  needsText: boolean;
}

export class CheckCache {
  private changed = false;
  private readonly runStart = Date.now();
  /** Hashes of siblings as they are now, one per path and limit for the run. */
  private readonly current = new Map<string, string | null>();
  /** Folders whose version reads were compared this run, and whether they still hold. */
  private readonly versionsHold = new Map<string, boolean>();

  private constructor(
    /** The cache file. */
    readonly path: string,
    private readonly base: string,
    private readonly clean: Map<string, string>,
    private readonly analyzed: Map<string, Analyzed>,
    private readonly versions: Map<string, ReadFingerprint[]>,
    private readonly options: EngineOptions,
  ) {}

  /** The cache at `path`; empty when it is missing, unreadable, or not in this format. */
  static open(path: string, options: EngineOptions, cwd: string): CheckCache {
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      const parts = [file.clean, file.analyzed, file.versions];
      if (file.format === FORMAT && typeof file.base === 'string' && isAbsolute(file.base) && parts.every(isObject)) {
        const entries = <T>(record: Record<string, T>) => new Map(Object.entries(record));
        return new CheckCache(path, file.base, entries(file.clean), entries(file.analyzed), entries(file.versions), options);
      }
    } catch {
      // No cache yet, or a damaged one: this run rebuilds it.
    }
    return new CheckCache(path, cwd, new Map(), new Map(), new Map(), options);
  }

  /** The earlier result, when the file's stamp says it is unchanged (no read needed to know). */
  recall(fileName: string): Recalled | undefined {
    const key = this.keyOf(fileName);
    const clean = this.clean.get(key);
    const entry = clean === undefined ? this.analyzed.get(key) : undefined;
    const kept = clean ?? entry?.stamp;
    if (kept === undefined) return undefined;
    const stats = statSync(fileName, { throwIfNoEntry: false });
    if (!stats || kept !== stampText(stampOf(stats))) return undefined;
    if (!entry) return { analysis: CLEAN, needsText: false };
    if (!this.stillValid(fileName, entry)) return undefined;
    return { analysis: entry.analysis, needsText: entry.analysis.findings.length > 0 };
  }

  /** The earlier analysis of this text of the file, when nothing else it depends on changed. */
  lookup(fileName: string, text: string, stamp: FileStamp): Analysis | undefined {
    const entry = this.analyzed.get(this.keyOf(fileName));
    if (!entry || entry.hash !== hashText(text) || !this.stillValid(fileName, entry)) return undefined;
    const trusted = this.trusted(stamp);
    if (trusted !== undefined && trusted !== entry.stamp) {
      entry.stamp = trusted; // same text, touched (or old enough now to be trusted)
      this.changed = true;
    }
    return entry.analysis;
  }

  remember(fileName: string, text: string, stamp: FileStamp, analysis: Analysis, reads: ReadFingerprint[]): void {
    const key = this.keyOf(fileName);
    this.clean.delete(key);
    const kept: ReadFingerprint[] = reads.map(([path, maxBytes, hash]) => [this.keyOf(path), maxBytes, hash]);
    this.analyzed.set(key, { hash: hashText(text), stamp: this.trusted(stamp), reads: kept, analysis });
    const folder = this.keyOf(dirname(fileName));
    const versionReads = versionResolver(this.options.host ?? NO_FILES).readsFor(fileName);
    this.versions.set(
      folder,
      versionReads.map(({ path, maxBytes }) => {
        const pathKey = this.keyOf(path);
        return [pathKey, maxBytes ?? null, this.hashNow(pathKey, maxBytes ?? null)];
      }),
    );
    this.versionsHold.set(folder, true);
    this.changed = true;
  }

  /** A file without trigger words (kept only with a stamp that can be trusted; otherwise read next time). */
  rememberClean(fileName: string, stamp: FileStamp): void {
    const key = this.keyOf(fileName);
    const trusted = this.trusted(stamp);
    const removed = this.analyzed.delete(key);
    if (trusted === undefined) {
      if (this.clean.delete(key) || removed) this.changed = true;
    } else if (this.clean.get(key) !== trusted || removed) {
      this.clean.set(key, trusted);
      this.changed = true;
    }
  }

  /** The file could not be analyzed (unreadable, too big, binary): nothing to keep. */
  forget(fileName: string): void {
    const key = this.keyOf(fileName);
    const removed = [this.clean.delete(key), this.analyzed.delete(key)];
    if (removed.includes(true)) this.changed = true;
  }

  /** Writes the cache when this run changed it; the reason when it could not be written. */
  save(): string | undefined {
    if (!this.changed) return undefined;
    const file: CacheFile = {
      format: FORMAT,
      base: this.base,
      clean: Object.fromEntries(this.clean),
      versions: Object.fromEntries(this.versions),
      analyzed: Object.fromEntries(this.analyzed),
    };
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      replaceFileAtomic(this.path, JSON.stringify(file));
      this.changed = false;
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }

  private stillValid(fileName: string, entry: Analyzed): boolean {
    return this.versionsStillHold(this.keyOf(dirname(fileName))) && this.unchanged(entry.reads);
  }

  private versionsStillHold(folder: string): boolean {
    let holds = this.versionsHold.get(folder);
    if (holds === undefined) {
      const reads = this.versions.get(folder);
      this.versionsHold.set(folder, (holds = reads !== undefined && this.unchanged(reads)));
    }
    return holds;
  }

  private unchanged(reads: readonly ReadFingerprint[]): boolean {
    return reads.every(([path, maxBytes, hash]) => this.hashNow(path, maxBytes) === hash);
  }

  /** The stamp as kept, when the file's last change is old enough for it to vouch for the text. */
  private trusted(stamp: FileStamp): string | undefined {
    const [, mtimeMs, ctimeMs] = stamp;
    return Math.max(mtimeMs, ctimeMs) < this.runStart - RACY_MS ? stampText(stamp) : undefined;
  }

  /** `pathKey`: a path as kept (see `keyOf`). */
  private hashNow(pathKey: string, maxBytes: number | null): string | null {
    const key = `${maxBytes ?? ''}\u0000${pathKey}`;
    if (!this.current.has(key)) {
      const text = this.options.host?.readFile(this.pathOf(pathKey), maxBytes === null ? undefined : { maxBytes });
      this.current.set(key, text === undefined ? null : hashText(text));
    }
    return this.current.get(key)!;
  }

  /** How a path is kept: relative to the base (absolute when it is on another drive). */
  private keyOf(path: string): string {
    return relativeTo(this.base, path);
  }

  private pathOf(key: string): string {
    if (isAbsolute(key)) return key;
    return key === '' ? this.base : key.startsWith('..') ? join(this.base, key) : `${this.base.endsWith(sep) ? this.base : this.base + sep}${key}`;
  }
}

function stampText([size, mtimeMs, ctimeMs, ino]: FileStamp): string {
  return `${size}:${mtimeMs}:${ctimeMs}:${ino}`;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
