// The files a cached result was made from, as they are during this run: whether each read a
// rule (or the version resolver) made would still return the same text. Answered once per path
// per run, and without reading when it can be: a path that is not there answers "nothing"
// from one stat, and a file whose stamp matches the one kept with its hash has that hash.
import { createHash } from 'node:crypto';
import { statSync, type Dirent } from 'node:fs';
import { absentFromListing } from '../../workspace/walk';
import { readKey, type FileRead } from '../../engine/readLog';
import type { ProjectHost } from '../../engine/types';
import { stampOf, type FileStamp } from '../files/read';

/** A read as a worker reports it: path, size limit asked for (null: the host's), text hash (null: nothing came back). */
export type ReadFingerprint = [path: string, maxBytes: number | null, hash: string | null];

/** A read as kept: the fingerprint, and the stamp that vouches for its hash (null: none could be trusted). */
export type KeptRead = [path: string, maxBytes: number | null, hash: string | null, stamp: string | null];

/**
 * A stamp vouches for a text only when the file had not changed for this long before it was
 * taken: file systems with coarse timestamps (1-2 s) can hide a second write in the same tick.
 */
const RACY_MS = 2_000;

/** SHA-256: no one can write a different file that passes for one the cache vouched for. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

export function stampText([size, mtimeMs, ctimeMs, ino]: FileStamp): string {
  return `${size}:${mtimeMs}:${ctimeMs}:${ino}`;
}

export class ReadState {
  readonly runStart = Date.now();
  /** Stamps as they are now (null: nothing there), by absolute path. */
  private readonly stamps = new Map<string, FileStamp | null>();
  /** Hashes of what the host returns now (null: nothing), by limit and absolute path. */
  private readonly hashes = new Map<string, string | null>();

  constructor(
    private readonly host: ProjectHost | undefined,
    /** Folders this run listed, with their entries: a name not among them is not there. */
    private readonly listings: ReadonlyMap<string, readonly Dirent[]> = new Map(),
  ) {}

  /** The stamp as kept, when the file's last change is old enough for it to vouch for the text. */
  trusted(stamp: FileStamp): string | undefined {
    const [, mtimeMs, ctimeMs] = stamp;
    return Math.max(mtimeMs, ctimeMs) < this.runStart - RACY_MS ? stampText(stamp) : undefined;
  }

  /** The current stamp, when it can be trusted (see `trusted`); null otherwise. */
  trustedStampNow(absolutePath: string): string | null {
    const now = this.stampNow(absolutePath);
    return (now && this.trusted(now)) ?? null;
  }

  /** Whether the read kept as `kept` (at `absolutePath`) would return the same now. */
  holds(absolutePath: string, [, maxBytes, hash, stamp]: KeptRead): boolean {
    const now = this.stampNow(absolutePath);
    if (now === null) return hash === null; // the host returns nothing for a missing file
    if (stamp !== null && stampText(now) === stamp) return true;
    return this.hashNow(absolutePath, maxBytes) === hash;
  }

  /** The hash of what the host returns for the path now (null: nothing). */
  hashNow(absolutePath: string, maxBytes: number | null): string | null {
    const key = readKey(absolutePath, maxBytes);
    let hash = this.hashes.get(key);
    if (hash === undefined) {
      const text = this.host?.readFile(absolutePath, maxBytes === null ? undefined : { maxBytes });
      this.hashes.set(key, (hash = text === undefined ? null : hashText(text)));
    }
    return hash;
  }

  private stampNow(absolutePath: string): FileStamp | null {
    let stamp = this.stamps.get(absolutePath);
    if (stamp === undefined) {
      if (absentFromListing(this.listings, absolutePath)) {
        this.stamps.set(absolutePath, null);
        return null;
      }
      const stats = statSync(absolutePath, { throwIfNoEntry: false });
      this.stamps.set(absolutePath, (stamp = stats ? stampOf(stats) : null));
    }
    return stamp;
  }
}

/** What one analysis read (engine/readLog.ts), each path and limit once, texts as hashes. */
export function fingerprintReads(reads: readonly FileRead[]): ReadFingerprint[] {
  const seen = new Set<string>();
  const prints: ReadFingerprint[] = [];
  for (const read of reads) {
    const key = readKey(read.path, read.maxBytes);
    if (seen.has(key)) continue;
    seen.add(key);
    prints.push([read.path, read.maxBytes ?? null, read.text === undefined ? null : hashText(read.text)]);
  }
  return prints;
}
