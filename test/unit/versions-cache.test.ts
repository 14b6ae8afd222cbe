// Versions are read once per directory and host, and read again only after `invalidateVersions`
// names a file they depended on (the language server calls it from its file watcher).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidateVersions, isVersionSource, versionResolver } from '../../server/src/engine/versions';
import type { ProjectHost } from '../../server/src/engine/types';

const BPA = '@backstage/backend-plugin-api';

/** An editable in-memory disk that counts reads per path. */
function countingHost(files: Record<string, string>) {
  const reads: string[] = [];
  const host: ProjectHost = {
    readFile(path) {
      reads.push(path);
      return files[path];
    },
  };
  return { host, files, reads };
}

const lock = (version: string) =>
  JSON.stringify({ lockfileVersion: 3, packages: { [`node_modules/${BPA}`]: { version } } });

function setup() {
  return countingHost({
    '/repo/package.json': JSON.stringify({ name: 'app', workspaces: ['plugins/*'] }),
    '/repo/package-lock.json': lock('0.6.17'),
    '/repo/plugins/notes/package.json': JSON.stringify({ name: 'notes', dependencies: { [BPA]: '^0.6.14' } }),
  });
}

describe('version cache', () => {
  it('reads each file once per host; other files of a directory reuse its result', () => {
    const { host, reads } = setup();
    const resolver = versionResolver(host);
    assert.equal(resolver, versionResolver(host));
    assert.equal(resolver.factsFor('/repo/plugins/notes/src/router.ts').packages[BPA]?.version, '0.6.17');
    const first = reads.length;
    assert.ok(first > 0);
    resolver.factsFor('/repo/plugins/notes/src/plugin.ts');
    assert.equal(reads.length, first);
    // A new directory probes only its own (missing) package.json; the rest is cached.
    resolver.factsFor('/repo/plugins/notes/src/service/router.ts');
    assert.deepEqual(reads.slice(first), ['/repo/plugins/notes/src/service/package.json']);
    assert.equal(reads.filter((r) => r === '/repo/package-lock.json').length, 1);
  });

  it('invalidating the lockfile re-reads it; unrelated paths leave the cache alone', () => {
    const { host, files, reads } = setup();
    const resolver = versionResolver(host);
    resolver.factsFor('/repo/plugins/notes/src/router.ts');
    files['/repo/package-lock.json'] = lock('0.6.18');
    invalidateVersions('/repo/plugins/other/package.json');
    invalidateVersions('/elsewhere/package-lock.json');
    assert.equal(resolver.factsFor('/repo/plugins/notes/src/router.ts').packages[BPA]?.version, '0.6.17');
    const before = reads.length;
    invalidateVersions('/repo/package-lock.json');
    assert.equal(resolver.factsFor('/repo/plugins/notes/src/router.ts').packages[BPA]?.version, '0.6.18');
    assert.deepEqual(reads.slice(before), ['/repo/package-lock.json']);
  });

  it('a package.json that appears nearer to the file takes over once its path is invalidated', () => {
    const { host, files } = setup();
    const resolver = versionResolver(host);
    assert.equal(resolver.factsFor('/repo/plugins/notes/src/router.ts').packageJson, '/repo/plugins/notes/package.json');
    files['/repo/plugins/notes/src/package.json'] = JSON.stringify({ name: 'inner', dependencies: { [BPA]: '^1.0.0' } });
    invalidateVersions('/repo/plugins/notes/src/package.json');
    const facts = resolver.factsFor('/repo/plugins/notes/src/router.ts');
    assert.equal(facts.packageJson, '/repo/plugins/notes/src/package.json');
    // The root lockfile still has 0.6.17, which is below ^1.0.0: the range wins.
    assert.deepEqual(facts.packages[BPA], { version: '1.0.0', declared: '^1.0.0', locked: false, from: '/repo/plugins/notes/src/package.json' });
  });

  it('invalidating a folder forgets everything read inside it', () => {
    const { host, files } = setup();
    const resolver = versionResolver(host);
    resolver.factsFor('/repo/plugins/notes/src/router.ts');
    delete files['/repo/package-lock.json'];
    files['/repo/plugins/notes/package.json'] = JSON.stringify({ name: 'notes', dependencies: { [BPA]: '^0.6.15' } });
    invalidateVersions('/repo');
    assert.deepEqual(resolver.factsFor('/repo/plugins/notes/src/router.ts').packages[BPA], {
      version: '0.6.15',
      declared: '^0.6.15',
      locked: false,
      from: '/repo/plugins/notes/package.json',
    });
  });

  it('tells which changed files matter', () => {
    assert.ok(isVersionSource('/repo/package.json'));
    assert.ok(isVersionSource('/repo/yarn.lock'));
    assert.ok(isVersionSource('/repo/pnpm-lock.yaml'));
    assert.ok(isVersionSource('/repo/package-lock.json'));
    assert.ok(!isVersionSource('/repo/src/router.ts'));
    assert.ok(!isVersionSource('/repo/app-config.yaml'));
  });
});
