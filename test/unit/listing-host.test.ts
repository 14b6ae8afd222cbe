// A CLI run's walk lists every folder it visits; the disk host then answers "not there" for a
// name missing from its folder's listing without asking the file system.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diskHost } from '../../server/src/engine/host';
import { absentFromListing, listFolder } from '../../server/src/workspace/walk';

describe('files known absent from the walk', () => {
  const root = mkdtempSync(join(tmpdir(), 'listing-host-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'plugins', 'notes', 'src'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"name":"root"}');
  writeFileSync(join(root, 'plugins', 'notes', 'package.json'), '{"name":"notes"}');
  writeFileSync(join(root, 'plugins', 'notes', 'src', 'router.ts'), 'export const a = 1;\n');
  const { listings } = listFolder(root);

  it('absent: a name missing from a listed folder; unknown: a folder the walk did not list', () => {
    assert.deepEqual(
      [
        join(root, 'package.json'),
        join(root, 'yarn.lock'),
        join(root, 'plugins', 'notes', 'src', 'package.json'),
        join(root, 'plugins', 'notes', 'src', 'router.ts'),
        join(root, 'node_modules', 'x', 'package.json'),
      ].map((path) => absentFromListing(listings, path)),
      [false, true, true, false, false],
    );
  });

  it('the host answers from the listing even when the file appeared after the walk', () => {
    writeFileSync(join(root, 'yarn.lock'), '# written after the walk\n');
    const knownAbsent = (path: string) => absentFromListing(listings, path);
    assert.equal(diskHost({ knownAbsent }).readFile(join(root, 'yarn.lock')), undefined);
    assert.equal(diskHost().readFile(join(root, 'yarn.lock')), '# written after the walk\n');
    assert.equal(diskHost({ knownAbsent }).readFile(join(root, 'package.json')), '{"name":"root"}');
    assert.deepEqual(readdirSync(root).sort(), ['package.json', 'plugins', 'yarn.lock']);
  });
});
