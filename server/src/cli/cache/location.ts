// Which cache file a `check` run uses. Its name carries the build and the options the findings
// depend on, so runs with other rules, another --target or another build of the tool never
// share entries; files of older builds are removed when a new one is written.
import { createHash } from 'node:crypto';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Set by esbuild.mjs: a hash of everything bundled (sources and locked dependencies). */
declare const BACKSTAGE_AUTH_BUILD_ID: string | undefined;

const FOLDER = join('node_modules', '.cache', 'backstage-auth-migrate');
const PREFIX = 'check-';

export interface CacheRequest {
  cwd: string;
  /** false: no cache; a string: the folder to keep it in. */
  cache?: false | string;
  /** Rule ids the run uses, target setting and size limit: what else the findings depend on. */
  rules: readonly string[];
  target?: string;
  maxFileSize: number;
}

/** The tool's build, or undefined when it runs unbundled (from source): then nothing is cached. */
export function buildId(): string | undefined {
  return typeof BACKSTAGE_AUTH_BUILD_ID === 'string' ? BACKSTAGE_AUTH_BUILD_ID : undefined;
}

/** The cache file for this run, or undefined for none (--no-cache, unbundled, nowhere to keep it). */
export function cacheFileFor(request: CacheRequest, build = buildId()): string | undefined {
  if (request.cache === false || !build) return undefined;
  const folder = typeof request.cache === 'string' ? resolve(request.cwd, request.cache) : defaultFolder(request.cwd);
  if (!folder) return undefined;
  const options = JSON.stringify({ rules: [...request.rules].sort(), target: request.target ?? 'auto', maxFileSize: request.maxFileSize });
  return join(folder, `${PREFIX}${build.slice(0, 12)}-${shortHash(options)}.json`);
}

/** What this tool names its cache files: `check-<build>-<options>.json`, nothing else. */
const CACHE_FILE_NAME = /^check-([0-9a-f]{12})-[0-9a-f]{12}\.json$/;

/**
 * Removes cache files other builds wrote next to `cacheFile` (they can never be used again).
 * Only files named exactly as this tool names them: `--cache-location` may be a folder of the
 * user's own files.
 */
export function removeOtherBuilds(cacheFile: string): void {
  const folder = dirname(cacheFile);
  const ours = CACHE_FILE_NAME.exec(basename(cacheFile))?.[1];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const build = CACHE_FILE_NAME.exec(name)?.[1];
    if (build === undefined || build === ours) continue;
    try {
      unlinkSync(join(folder, name));
    } catch {
      // taken by a concurrent run, or not ours to remove: harmless either way
    }
  }
}

/** node_modules/.cache/backstage-auth-migrate in the nearest folder up from `cwd` with node_modules. */
function defaultFolder(cwd: string): string | undefined {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    if (statSync(join(folder, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) return join(folder, FOLDER);
    if (dirname(folder) === folder) return undefined;
  }
}

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}
