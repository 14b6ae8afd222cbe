// `backstageAuth.exclude`: glob patterns (minimatch syntax) for files that are neither analyzed
// nor migrated. A pattern is matched against the file's path relative to each workspace folder
// that contains it (`**/generated/**`, `plugins/legacy-*/**`), and against the absolute path.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Minimatch } from 'minimatch';

export type ExcludeTest = (fileName: string) => boolean;

const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

export const EXCLUDES_NOTHING: ExcludeTest = () => false;

export function excludeTest(patterns: readonly string[], roots: readonly string[]): ExcludeTest {
  if (patterns.length === 0) return EXCLUDES_NOTHING;
  const matchers = patterns.map((pattern) => new Minimatch(pattern, { dot: true, nocase: IGNORE_CASE }));
  return (fileName) => {
    const candidates = [toPosix(fileName)];
    for (const root of roots) {
      const rel = relative(root, fileName);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) candidates.push(toPosix(rel));
    }
    return matchers.some((matcher) => candidates.some((candidate) => matcher.match(candidate)));
  };
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The workspace folders (paths) an initialize request names; the old `rootUri` when it names none. */
export function workspaceRootsOf(params: { workspaceFolders?: { uri: string }[] | null; rootUri?: string | null }): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}
