// A tiny npm registry on 127.0.0.1 that serves one package: a stand-in for the guest provider
// module, packed here with `npm pack`. The editor's environment points npm at it
// (npm_config_registry), so "Set Up Guest Provider" runs the real `npm install` offline.
// Anything else it is asked for is a 404, which makes an unexpected download fail loudly.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface ServedPackage {
  name: string;
  version: string;
}

export interface LocalRegistry {
  /** With a trailing slash, as npm_config_registry expects. */
  url: string;
  /** Where the package's .tgz is served, and its sha512 (what a lockfile records). */
  tarballUrl: string;
  integrity: string;
  /** Request paths (decoded) in the order they came, for failure messages. */
  requests: string[];
  close(): Promise<void>;
}

/** Packs `pkg` in `workDir` and serves it; resolves once the server listens. */
export async function startRegistry(pkg: ServedPackage, workDir: string): Promise<LocalRegistry> {
  const tarball = packStandIn(pkg, workDir);
  const tarballPath = `/${pkg.name}/-/${pkg.name.split('/').pop()}-${pkg.version}.tgz`;
  const requests: string[] = [];
  let tarballUrl = '';
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname);
    requests.push(`${request.method} ${path}`);
    if (request.method === 'GET' && path === `/${pkg.name}`) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(packument(pkg, tarballUrl, tarball)));
    } else if (request.method === 'GET' && path === tarballPath) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length });
      response.end(tarball);
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  tarballUrl = `${url}${tarballPath.slice(1)}`;
  return { url, tarballUrl, integrity: integrityOf(tarball), requests, close: () => closeServer(server) };
}

/** The registry document npm reads for `npm install <name>`: one version, tagged latest. */
function packument(pkg: ServedPackage, tarballUrl: string, tarball: Buffer) {
  return {
    name: pkg.name,
    'dist-tags': { latest: pkg.version },
    versions: {
      [pkg.version]: {
        name: pkg.name,
        version: pkg.version,
        main: 'index.js',
        license: 'Apache-2.0',
        dist: {
          tarball: tarballUrl,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: integrityOf(tarball),
        },
      },
    },
  };
}

function integrityOf(tarball: Buffer): string {
  return `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
}

/** A package with the real name and nothing in it but a note; `npm pack` makes the .tgz. */
function packStandIn(pkg: ServedPackage, workDir: string): Buffer {
  const source = join(workDir, 'package');
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(source, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, main: 'index.js', license: 'Apache-2.0' }, null, 2)}\n`,
  );
  writeFileSync(join(source, 'index.js'), '// A stand-in served by the e2e tests\' local registry.\nmodule.exports = {};\n');
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: source, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
  return readFileSync(join(workDir, filename));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
