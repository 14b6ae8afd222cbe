// The writer `fix` uses: all or nothing, and never over someone else's newer content.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WriteConflict, writeFileAtomic } from '../../server/src/cli/files/atomic-write';
import { tempDir } from './helpers';

const ORIGINAL = "import type { PermissionEvaluator } from '@backstage/plugin-permission-common';\n";
const FIXED = "import type { PermissionsService } from '@backstage/backend-plugin-api';\n";
const EDITED = "// saved from the editor meanwhile\nimport type { PermissionEvaluator } from '@backstage/plugin-permission-common';\n";

function fileWith(text: string): { dir: string; path: string } {
  const dir = tempDir('atomic');
  const path = join(dir, 'router.ts');
  writeFileSync(path, text);
  return { dir, path };
}

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the permissions, leaves no temporary file', () => {
    const { dir, path } = fileWith(ORIGINAL);
    chmodSync(path, 0o600);
    writeFileAtomic(path, FIXED, ORIGINAL);
    assert.equal(readFileSync(path, 'utf8'), FIXED);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['router.ts']);
  });

  it('refuses when the file changed after it was read', () => {
    const { dir, path } = fileWith(ORIGINAL);
    const read = readFileSync(path, 'utf8');
    writeFileSync(path, EDITED);
    assert.throws(() => writeFileAtomic(path, FIXED, read), (error: unknown) => {
      assert.ok(error instanceof WriteConflict);
      assert.equal(error.message, `${path} changed on disk after it was read; it was not overwritten (run the command again)`);
      return true;
    });
    assert.equal(readFileSync(path, 'utf8'), EDITED);
    assert.deepEqual(readdirSync(dir), ['router.ts']);
  });

  it('refuses when the file changes while the new content is being written', () => {
    const { dir, path } = fileWith(ORIGINAL);
    assert.throws(
      () => writeFileAtomic(path, FIXED, ORIGINAL, { beforeCommit: () => writeFileSync(path, EDITED) }),
      WriteConflict,
    );
    assert.equal(readFileSync(path, 'utf8'), EDITED);
    assert.deepEqual(readdirSync(dir), ['router.ts'], 'the temporary file is removed');
  });

  it('writes through a symbolic link', () => {
    const { dir, path } = fileWith(ORIGINAL);
    const link = join(dir, 'link.ts');
    symlinkSync(path, link);
    writeFileAtomic(link, FIXED, ORIGINAL);
    assert.equal(readFileSync(path, 'utf8'), FIXED);
    assert.deepEqual(readdirSync(dir).sort(), ['link.ts', 'router.ts']);
  });

  it('keeps non-ASCII text byte for byte', () => {
    const text = "// Zugriff prüfen — 認可\nexport const ok = '✓';\n";
    const { path } = fileWith(ORIGINAL);
    writeFileAtomic(path, text, ORIGINAL);
    assert.deepEqual(readFileSync(path), Buffer.from(text, 'utf8'));
  });
});
