// Reading a source file defensively: size before reading, then bytes, then text. Anything odd
// is a reason to skip the file, never a crash.
import { readFileSync, statSync } from 'node:fs';
import { looksGenerated } from '../../engine/source';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string; ioError: boolean };

// fatal: invalid UTF-8 is reported rather than silently replaced (writing it back would corrupt
// the file); ignoreBOM: keep a byte order mark in the text so a rewrite keeps it too.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readSourceFile(absolutePath: string, maxBytes: number): ReadResult {
  let bytes: Buffer;
  try {
    const size = statSync(absolutePath).size;
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this also bounds the text length.
    if (size > maxBytes) {
      return { ok: false, reason: `larger than ${maxBytes} bytes (raise --max-file-size to check it)`, ioError: false };
    }
    bytes = readFileSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, reason: `cannot read the file (${code})`, ioError: true };
  }
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
  return { ok: true, text };
}
