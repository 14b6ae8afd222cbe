// The packages of a workspace folder, found the way the package managers find them: the
// root package.json "workspaces" globs (npm, yarn), pnpm-workspace.yaml, or else Backstage's
// own layout (packages/*, plugins/*). A folder "uses Backstage" when its root package.json or
// any package's depends on an @backstage/* package.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { parse as parseYaml } from 'yaml';

export interface WorkspacePackage {
  /** Absolute folder of the package (where its package.json is). */
  dir: string;
  name?: string;
  usesBackstage: boolean;
}

export interface PackageLayout {
  /** Where the package globs came from. */
  source: 'package.json workspaces' | 'pnpm-workspace.yaml' | 'packages/* and plugins/*' | 'no packages';
  packages: WorkspacePackage[];
  usesBackstage: boolean;
}

const CONVENTIONS = ['packages/*', 'plugins/*'];
/** `**` in a glob descends at most this deep (and never into dependencies). */
const MAX_GLOB_DEPTH = 6;
const NEVER_PACKAGES = new Set(['node_modules', '.git', 'dist', 'dist-types', 'build', 'coverage']);

export function discoverPackages(root: string): PackageLayout {
  const rootManifest = readManifest(root);
  const fromPnpm = pnpmGlobs(root);
  const fromManifest = workspaceGlobs(rootManifest);
  const [source, globs] = fromManifest
    ? (['package.json workspaces', fromManifest] as const)
    : fromPnpm
      ? (['pnpm-workspace.yaml', fromPnpm] as const)
      : (['packages/* and plugins/*', CONVENTIONS] as const);

  const packages = expandGlobs(root, globs).flatMap((dir): WorkspacePackage[] => {
    const manifest = readManifest(dir);
    if (!manifest) return [];
    return [{ dir, name: typeof manifest.name === 'string' ? manifest.name : undefined, usesBackstage: dependsOnBackstage(manifest) }];
  });
  return {
    source: packages.length === 0 && source === 'packages/* and plugins/*' ? 'no packages' : source,
    packages,
    usesBackstage: (rootManifest !== undefined && dependsOnBackstage(rootManifest)) || packages.some((p) => p.usesBackstage),
  };
}

type Manifest = Record<string, unknown>;

function readManifest(dir: string): Manifest | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

export function dependsOnBackstage(manifest: Manifest): boolean {
  return DEPENDENCY_FIELDS.some((field) => {
    const deps = manifest[field];
    return typeof deps === 'object' && deps !== null && Object.keys(deps).some((name) => name.startsWith('@backstage/'));
  });
}

/** npm/yarn: `"workspaces": [...]` or `"workspaces": { "packages": [...] }`. */
function workspaceGlobs(manifest: Manifest | undefined): string[] | undefined {
  const field = manifest?.workspaces;
  const list = Array.isArray(field) ? field : (field as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) && list.length > 0 ? list.filter((g): g is string => typeof g === 'string') : undefined;
}

function pnpmGlobs(root: string): string[] | undefined {
  try {
    const parsed = parseYaml(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: unknown } | null;
    const list = parsed?.packages;
    return Array.isArray(list) && list.length > 0 ? list.filter((g): g is string => typeof g === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** Folders matching the globs (`!` globs remove), in name order. */
function expandGlobs(root: string, globs: readonly string[]): string[] {
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => new Minimatch(normalize(g.slice(1))));
  const found = new Set<string>();
  for (const glob of include) {
    for (const dir of expand(root, normalize(glob).split('/').filter(Boolean), 0)) found.add(dir);
  }
  const posix = (dir: string) => relative(root, dir).split(sep).join('/');
  return [...found].filter((dir) => !exclude.some((m) => m.match(posix(dir)))).sort();
}

function normalize(glob: string): string {
  return glob.replace(/^\.\//, '').replace(/\/+$/, '');
}

function expand(dir: string, segments: string[], depth: number): string[] {
  if (segments.length === 0) return [dir];
  const [segment, ...rest] = segments;
  if (segment === '**') {
    if (depth >= MAX_GLOB_DEPTH) return expand(dir, rest, depth);
    return [...expand(dir, rest, depth), ...subfolders(dir).flatMap((sub) => expand(sub, segments, depth + 1))];
  }
  if (!/[*?[{]/.test(segment)) return expand(join(dir, segment), rest, depth);
  const matcher = new Minimatch(segment);
  return subfolders(dir)
    .filter((sub) => matcher.match(sub.slice(dir.length + 1)))
    .flatMap((sub) => expand(sub, rest, depth + 1));
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !NEVER_PACKAGES.has(entry.name))
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}
