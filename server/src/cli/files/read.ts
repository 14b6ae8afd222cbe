// Reading a source file defensively: never more than the size limit, then bytes, then text.
// Anything odd is a reason to skip the file, never a crash.
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { looksGenerated } from '../../engine/source';

/**
 * What the file system says about a file's content without reading it: size, modification and
 * change times, inode. Any write changes the change time (even one that restores the
 * modification time), and a file replaced by a rename has another inode.
 */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

export type ReadResult = { ok: true; text: string; stamp: FileStamp } | { ok: false; reason: string; ioError: boolean };

export function stampOf(stats: Stats): FileStamp {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

// fatal: invalid UTF-8 is reported rather than silently replaced (writing it back would corrupt
// the file); ignoreBOM: keep a byte order mark in the text so a rewrite keeps it too.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readSourceFile(absolutePath: string, maxBytes: number): ReadResult {
  let bytes: Buffer | undefined;
  let stamp: FileStamp;
  try {
    ({ bytes, stamp } = readAtMost(absolutePath, maxBytes));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, reason: `cannot read the file (${code})`, ioError: true };
  }
  // UTF-8 never takes fewer bytes than UTF-16 code units, so this also bounds the text length.
  if (!bytes) return { ok: false, reason: `larger than ${maxBytes} bytes (raise --max-file-size to check it)`, ioError: false };
  if (bytes.includes(0)) return { ok: false, reason: 'binary file (it contains NUL bytes)', ioError: false };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not UTF-8 text', ioError: false };
  }
  if (looksGenerated(text)) {
    return { ok: false, reason: 'looks generated or minified (very long lines)', ioError: false };
  }
  return { ok: true, text, stamp };
}

/** Kept between reads: most source files fit, so a read is open, read, close (no stat). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The file's bytes (a view of `scratch`, valid until the next read), or undefined when it has
 * more than `limit`: reading stops there, so a huge file costs no more than the limit. The stamp
 * is taken before reading: a write after it changes the file's change time, so a stamp never
 * vouches for a text older than the file.
 */
function readAtMost(path: string, limit: number): { bytes: Buffer | undefined; stamp: FileStamp } {
  const fd = openSync(path, 'r');
  try {
    const stamp = stampOf(fstatSync(fd));
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        if (length > limit) return { bytes: undefined, stamp };
        const grown = Buffer.allocUnsafe(Math.min(scratch.length * 2, limit + 1));
        scratch.copy(grown, 0, 0, length);
        scratch = grown;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { bytes: length > limit ? undefined : scratch.subarray(0, length), stamp };
  } finally {
    closeSync(fd);
  }
}
