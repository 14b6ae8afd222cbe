// Results of earlier `check` runs, so a run over a big monorepo reads and parses only what
// changed (like ESLint's --cache, or git's index). A result is reused only while everything it
// came from is unchanged:
// - the file itself: its text hash, or, without reading it, its stamp (size, modification and
//   change times, inode) when that stamp was taken long enough after the file's last change
//   that a later write must show in it (git's "racily clean" rule);
// - for a file that was parsed: the text of every sibling its rules read (or that a missing one
//   is still missing), and the target and versions that apply to it.
// Everything else the findings depend on (the tool build, the rules asked for, --target,
// --max-file-size) names the cache file (location.ts), so other builds or option sets never
// read these entries.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Analysis, EngineOptions } from '../../engine/engine';
import { targetChoiceFor } from '../../engine/engine';
import type { FileRead } from '../../engine/readLog';
import { replaceFileAtomic } from '../files/atomic-write';
import { stampOf, type FileStamp } from '../files/read';

const FORMAT = 2;

/**
 * A stamp vouches for a text only when the file had not changed for this long before it was
 * taken: file systems with coarse timestamps (1-2 s) can hide a second write in the same tick.
 */
const RACY_MS = 2_000;

/** A sibling read, as kept: path, size limit asked for (null: the host's), text hash (null: nothing came back). */
export type ReadFingerprint = [path: string, maxBytes: number | null, hash: string | null];

type Entry = {
  hash: string;
  /** Absent when the file had changed too recently for its stamp to be trusted. */
  stamp?: FileStamp;
} & (
  | /** No trigger word: nothing to find, whatever the rest of the tree says. */ { clean: true }
  | {
      /** The target choice (target, versions, why) the findings were made under, as JSON. */
      choice: string;
      reads: ReadFingerprint[];
      analysis: Analysis;
    }
);

interface CacheFile {
  format: typeof FORMAT;
  entries: Record<string, Entry>;
}

const CLEAN: Analysis = { findings: [], failures: [] };

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
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
  /** Target choices by folder: versions are resolved per folder (see versions.ts). */
  private readonly choices = new Map<string, string>();

  private constructor(
    /** The cache file. */
    readonly path: string,
    private readonly entries: Map<string, Entry>,
    private readonly options: EngineOptions,
  ) {}

  /** The cache at `path`; empty when it is missing, unreadable, or not in this format. */
  static open(path: string, options: EngineOptions): CheckCache {
    let entries = new Map<string, Entry>();
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      if (file.format === FORMAT && typeof file.entries === 'object' && file.entries) entries = new Map(Object.entries(file.entries));
    } catch {
      // No cache yet, or a damaged one: this run rebuilds it.
    }
    return new CheckCache(path, entries, options);
  }

  /** The earlier result, when the file's stamp says it is unchanged (no read needed to know). */
  recall(fileName: string): Recalled | undefined {
    const entry = this.entries.get(fileName);
    if (!entry?.stamp) return undefined;
    const stats = statSync(fileName, { throwIfNoEntry: false });
    if (!stats || !sameStamp(entry.stamp, stampOf(stats))) return undefined;
    if ('clean' in entry) return { analysis: CLEAN, needsText: false };
    if (!this.stillValid(fileName, entry)) return undefined;
    return { analysis: entry.analysis, needsText: entry.analysis.findings.length > 0 };
  }

  /** The earlier analysis of this text of the file, when nothing else it depends on changed. */
  lookup(fileName: string, text: string, stamp: FileStamp): Analysis | undefined {
    const entry = this.entries.get(fileName);
    const hash = hashText(text);
    if (!entry || 'clean' in entry || entry.hash !== hash || !this.stillValid(fileName, entry)) return undefined;
    this.restamp(entry, stamp);
    return entry.analysis;
  }

  remember(fileName: string, text: string, stamp: FileStamp, analysis: Analysis, reads: ReadFingerprint[]): void {
    this.entries.set(fileName, { hash: hashText(text), ...this.trusted(stamp), choice: this.choiceOf(fileName), reads, analysis });
    this.changed = true;
  }

  /** A file without trigger words. */
  rememberClean(fileName: string, text: string, stamp: FileStamp): void {
    const entry = this.entries.get(fileName);
    const hash = hashText(text);
    if (entry && 'clean' in entry && entry.hash === hash) return this.restamp(entry, stamp);
    this.entries.set(fileName, { hash, ...this.trusted(stamp), clean: true });
    this.changed = true;
  }

  /** The file could not be analyzed (unreadable, too big, binary): nothing to keep. */
  forget(fileName: string): void {
    if (this.entries.delete(fileName)) this.changed = true;
  }

  /** Writes the cache when this run changed it; the reason when it could not be written. */
  save(): string | undefined {
    if (!this.changed) return undefined;
    const file: CacheFile = { format: FORMAT, entries: Object.fromEntries(this.entries) };
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      replaceFileAtomic(this.path, JSON.stringify(file));
      this.changed = false;
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }

  private stillValid(fileName: string, entry: { choice: string; reads: ReadFingerprint[] }): boolean {
    return entry.choice === this.choiceOf(fileName) && entry.reads.every(([path, maxBytes, hash]) => this.hashNow(path, maxBytes) === hash);
  }

  /** Same text, new stamp (touched, or old enough now to be trusted). */
  private restamp(entry: Entry, stamp: FileStamp): void {
    const trusted = this.trusted(stamp).stamp;
    if (trusted && (!entry.stamp || !sameStamp(entry.stamp, trusted))) {
      entry.stamp = trusted;
      this.changed = true;
    }
  }

  private trusted(stamp: FileStamp): { stamp?: FileStamp } {
    const [, mtimeMs, ctimeMs] = stamp;
    return Math.max(mtimeMs, ctimeMs) < this.runStart - RACY_MS ? { stamp } : {};
  }

  private choiceOf(fileName: string): string {
    const folder = dirname(fileName);
    let choice = this.choices.get(folder);
    if (choice === undefined) this.choices.set(folder, (choice = JSON.stringify(targetChoiceFor(fileName, this.options))));
    return choice;
  }

  private hashNow(path: string, maxBytes: number | null): string | null {
    const key = `${maxBytes ?? ''}\u0000${path}`;
    if (!this.current.has(key)) {
      const text = this.options.host?.readFile(path, maxBytes === null ? undefined : { maxBytes });
      this.current.set(key, text === undefined ? null : hashText(text));
    }
    return this.current.get(key)!;
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}
