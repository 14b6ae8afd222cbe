// Results of earlier `check` runs, so a run over a big monorepo reads and parses only what
// changed (like ESLint's --cache, or git's index). A result is reused only while everything it
// came from is unchanged:
// - the file itself: its text hash, or, without reading it, its stamp (size, modification and
//   change times, inode) when that stamp was taken long enough after the file's last change
//   that a later write must show in it (git's "racily clean" rule); a file without trigger
//   words is kept by its stamp alone;
// - for a file that was parsed: the text of every sibling its rules read (or that a missing one
//   is still missing), and of every package.json and lockfile its versions (so its target) were
//   resolved from; each known unchanged by its stamp where one was kept (readState.ts).
// Everything else the findings depend on (the tool build, the rules asked for, --target,
// --max-file-size) names the cache file (location.ts), so other builds or option sets never
// read these entries.
import { mkdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { absoluteFrom, relativeTo } from '../../workspace/relativePath';
import type { Analysis, EngineOptions } from '../../engine/engine';
import { versionResolver } from '../../engine/versions';
import { NO_FILES } from '../../engine/host';
import { replaceFileAtomic } from '../files/atomic-write';
import { stampOf, type FileStamp } from '../files/read';
import { hashText, ReadState, stampText, type KeptRead, type ReadFingerprint } from './readState';

const FORMAT = 6;

/** A file that was parsed: what its findings came from, and the findings. */
interface Analyzed {
  hash: string;
  /** Absent when the file had changed too recently for its stamp to be trusted. */
  stamp?: string;
  reads: KeptRead[];
  /** The id of the version reads it was analyzed under (see `CacheFile.versions`). */
  versions: string;
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
  /**
   * The package.json files and lockfiles versions were resolved from, by an id made from what
   * was read. Each result names the list it was made under: a run over part of a tree that
   * sees a changed package.json adds a list rather than vouching anew for results it did not
   * look at.
   */
  versions: Record<string, KeptRead[]>;
  analyzed: Record<string, Analyzed>;
}

const CLEAN: Analysis = { findings: [], failures: [] };

export interface Recalled {
  analysis: Analysis;
  /** The findings are reported with positions: read the file (then `lookup` confirms the text). */
  needsText: boolean;
}

export class CheckCache {
  private changed = false;
  /** The files results were made from, as they are during this run. */
  private readonly now: ReadState;
  /** Version read lists compared this run, by id, and whether they still hold. */
  private readonly versionsHold = new Map<string, boolean>();

  private constructor(
    /** The cache file. */
    readonly path: string,
    private readonly base: string,
    private readonly clean: Table<string>,
    private readonly analyzed: Table<Analyzed>,
    private readonly versions: Table<KeptRead[]>,
    private readonly options: EngineOptions,
    listings: ReadonlyMap<string, readonly Dirent[]> | undefined,
  ) {
    this.now = new ReadState(options.host, listings);
  }

  /**
   * The cache at `path`; empty when it is missing, unreadable, or not in this format.
   * `listings`: the folders this run's walk listed (what is not in them need not be asked for).
   */
  static open(path: string, options: EngineOptions, cwd: string, listings?: ReadonlyMap<string, readonly Dirent[]>): CheckCache {
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      const parts = [file.clean, file.analyzed, file.versions];
      if (file.format === FORMAT && typeof file.base === 'string' && isAbsolute(file.base) && parts.every(isObject)) {
        return new CheckCache(path, file.base, new Table(file.clean), new Table(file.analyzed), new Table(file.versions), options, listings);
      }
    } catch {
      // No cache yet, or a damaged one: this run rebuilds it.
    }
    return new CheckCache(path, cwd, new Table({}), new Table({}), new Table({}), options, listings);
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
    if (!this.stillValid(entry)) return undefined;
    return { analysis: entry.analysis, needsText: entry.analysis.findings.length > 0 };
  }

  /** The earlier analysis of this text of the file, when nothing else it depends on changed. */
  lookup(fileName: string, text: string, stamp: FileStamp): Analysis | undefined {
    const entry = this.analyzed.get(this.keyOf(fileName));
    if (!entry || entry.hash !== hashText(text) || !this.stillValid(entry)) return undefined;
    const trusted = this.now.trusted(stamp);
    if (trusted !== undefined && trusted !== entry.stamp) {
      entry.stamp = trusted; // same text, touched (or old enough now to be trusted)
      this.changed = true;
    }
    return entry.analysis;
  }

  remember(fileName: string, text: string, stamp: FileStamp, analysis: Analysis, reads: ReadFingerprint[]): void {
    const key = this.keyOf(fileName);
    this.clean.delete(key);
    const versionReads = versionResolver(this.options.host ?? NO_FILES)
      .readsFor(fileName)
      .map(({ path, maxBytes }): ReadFingerprint => [path, maxBytes ?? null, this.now.hashNow(path, maxBytes ?? null)]);
    const versions = this.keepVersions(versionReads.map((read) => this.kept(read)));
    const kept = reads.map((read) => this.kept(read));
    this.analyzed.set(key, { hash: hashText(text), stamp: this.now.trusted(stamp), reads: kept, versions, analysis });
    this.changed = true;
  }

  /** A file without trigger words (kept only with a stamp that can be trusted; otherwise read next time). */
  rememberClean(fileName: string, stamp: FileStamp): void {
    const key = this.keyOf(fileName);
    const trusted = this.now.trusted(stamp);
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
    // Version lists no kept result names any more are dropped.
    const named = new Set(this.analyzed.values().map((entry) => entry.versions));
    for (const id of this.versions.keys()) if (!named.has(id)) this.versions.delete(id);
    const file: CacheFile = {
      format: FORMAT,
      base: this.base,
      clean: this.clean.record,
      versions: this.versions.record,
      analyzed: this.analyzed.record,
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

  /** A read as kept: its path relative to the base, with a stamp when one vouches for its hash. */
  private kept([path, maxBytes, hash]: ReadFingerprint): KeptRead {
    // Taken after the read: a stamp old enough to be trusted means the file did not change since
    // before this run started, so the text read then is the text it vouches for.
    return [this.keyOf(path), maxBytes, hash, this.now.trustedStampNow(path)];
  }

  /** Keeps a version read list under an id made from its paths and hashes; returns the id. */
  private keepVersions(reads: KeptRead[]): string {
    const id = hashText(JSON.stringify(reads.map(([path, maxBytes, hash]) => [path, maxBytes, hash]))).slice(0, 16);
    if (!this.versions.has(id)) this.versions.set(id, reads);
    this.versionsHold.set(id, true);
    return id;
  }

  private stillValid(entry: Analyzed): boolean {
    return this.versionsStillHold(entry.versions) && this.unchanged(entry.reads);
  }

  private versionsStillHold(id: string): boolean {
    let holds = this.versionsHold.get(id);
    if (holds === undefined) {
      const reads = this.versions.get(id);
      this.versionsHold.set(id, (holds = reads !== undefined && this.unchanged(reads)));
    }
    return holds;
  }

  private unchanged(reads: readonly KeptRead[]): boolean {
    return reads.every((read) => this.now.holds(this.pathOf(read[0]), read));
  }

  /** How a path is kept: relative to the base (absolute when it is on another drive). */
  private keyOf(path: string): string {
    return relativeTo(this.base, path);
  }

  private pathOf(key: string): string {
    return absoluteFrom(this.base, key);
  }
}

/**
 * A record from the cache file used in place: copying ten thousand entries into a Map cost as
 * much as parsing them. Without a prototype, no key (not even `__proto__`) means anything else.
 */
class Table<T> {
  readonly record: Record<string, T>;

  constructor(record: Record<string, T>) {
    this.record = Object.setPrototypeOf(record, null) as Record<string, T>;
  }

  get(key: string): T | undefined {
    return this.record[key];
  }

  has(key: string): boolean {
    return key in this.record;
  }

  set(key: string, value: T): void {
    this.record[key] = value;
  }

  /** True when there was an entry. */
  delete(key: string): boolean {
    if (!(key in this.record)) return false;
    delete this.record[key];
    return true;
  }

  keys(): string[] {
    return Object.keys(this.record);
  }

  values(): T[] {
    return Object.values(this.record);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
