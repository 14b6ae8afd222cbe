// Writing a fixed file without ever leaving it half-written, and without overwriting work that
// happened since we read it (an editor saving, a formatter, git switching branches).
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The file on disk is no longer what the fix was computed from; nothing was written. */
export class WriteConflict extends Error {
  constructor(readonly path: string) {
    super(`${path} changed on disk after it was read; it was not overwritten (run the command again)`);
    this.name = 'WriteConflict';
  }
}

export interface AtomicWriteOptions {
  /** Called once the new content is safely in the temporary file, just before the last check. */
  beforeCommit?: () => void;
}

/**
 * Replaces `path` with `text` if, and only if, it still holds `expected`. The new content goes
 * to a temporary file in the same folder (same file system, so the rename is atomic), keeps the
 * file's permissions, is flushed to disk, then renamed over the original. A named symbolic
 * link is written through, not replaced.
 */
export function writeFileAtomic(path: string, text: string, expected: string, options: AtomicWriteOptions = {}): void {
  const target = realpathSync(path);
  const expectedBytes = Buffer.from(expected, 'utf8');
  const unchanged = () => readFileSync(target).equals(expectedBytes);
  if (!unchanged()) throw new WriteConflict(path);

  const mode = statSync(target).mode & 0o7777;
  renameIntoPlace(target, text, mode, () => {
    options.beforeCommit?.();
    // Checked again as late as possible: the window left is the rename itself.
    if (!unchanged()) throw new WriteConflict(path);
  });
}

/**
 * Writes `path` whole or not at all, whatever it held: for the tool's own files (the check
 * cache), which nobody else edits.
 */
export function replaceFileAtomic(path: string, text: string): void {
  renameIntoPlace(path, text, 0o644);
}

/**
 * `text` goes to a new temporary file next to `target` (same file system, so the rename is
 * atomic) with `mode`, is flushed to disk, then renamed over `target` once `beforeRename` lets it.
 * The temporary file never outlives a failure.
 */
function renameIntoPlace(target: string, text: string, mode: number, beforeRename: () => void = () => {}): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', mode);
    try {
      writeSync(fd, Buffer.from(text, 'utf8'));
      fchmodSync(fd, mode); // the umask may have narrowed the mode given to open
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeRename();
    renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone (renamed, or never created)
  }
}
