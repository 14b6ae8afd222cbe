// Reading source files for a run: never more than the size limit, exact bytes whatever their
// size (the buffer grows past its first 64 KB and is reused between reads), and a clear reason
// for anything that is not a UTF-8 text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSourceFile, stampOf } from '../../server/src/cli/files/read';

const dir = mkdtempSync(join(tmpdir(), 'backstage-auth-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** `length` characters of short comment lines (long lines read as generated code). */
function filler(length: number): string {
  return `${'// filler'.padEnd(79, '.')}\n`.repeat(Math.ceil(length / 80)).slice(0, length);
}

/** A module of `lines` numbered lines, so any byte out of place shows. */
function moduleOf(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const value${i} = ${i}; // line ${i + 1}\n`).join('');
}

describe('readSourceFile', () => {
  it('reads a file larger than the first buffer whole, then a small one without leftovers', () => {
    const big = moduleOf(6_000); // about 240 KB
    const small = 'export const one = 1;\n';
    assert.ok(Buffer.byteLength(big) > 200_000);
    const bigPath = file('big.ts', big);
    assert.deepEqual(readSourceFile(bigPath, 1_000_000), { ok: true, text: big, stamp: stampOf(statSync(bigPath)) });
    const smallPath = file('small.ts', small);
    assert.deepEqual(readSourceFile(smallPath, 1_000_000), { ok: true, text: small, stamp: stampOf(statSync(smallPath)) });
  });

  it('takes a file of exactly the limit, refuses one byte more (limits above and below the buffer size)', () => {
    for (const limit of [10, 100_000]) {
      const exact = file(`exact-${limit}.ts`, filler(limit));
      const over = file(`over-${limit}.ts`, filler(limit + 1));
      assert.equal((readSourceFile(exact, limit) as { text: string }).text, filler(limit));
      assert.deepEqual(readSourceFile(over, limit), {
        ok: false,
        reason: `larger than ${limit} bytes (raise --max-file-size to check it)`,
        ioError: false,
      });
    }
  });

  it('keeps a byte order mark, refuses NUL bytes and invalid UTF-8, reports a missing file as an I/O error', () => {
    const bom = '\uFEFFexport const a = 1;\n';
    assert.equal((readSourceFile(file('bom.ts', bom), 1_000) as { text: string }).text, bom);
    assert.deepEqual(readSourceFile(file('nul.ts', Buffer.from([0x61, 0x00, 0x62])), 1_000), {
      ok: false,
      reason: 'binary file (it contains NUL bytes)',
      ioError: false,
    });
    assert.deepEqual(readSourceFile(file('latin1.ts', Buffer.from([0x63, 0xe9, 0x0a])), 1_000), { ok: false, reason: 'not UTF-8 text', ioError: false });
    assert.deepEqual(readSourceFile(join(dir, 'missing.ts'), 1_000), { ok: false, reason: 'cannot read the file (ENOENT)', ioError: true });
  });
});
