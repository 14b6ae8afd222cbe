// The versions a lockfile resolved for a few packages. Only the entries of those packages are
// kept (lockfiles of Backstage apps run to megabytes). Four formats:
// - yarn classic (`# yarn lockfile v1`): `"name@range", "name@range2":` + `  version "x"`;
// - yarn berry (YAML with `__metadata`): `"name@npm:range, ...":` + `  version: x`;
// - npm 7+ (`package-lock.json` v2/v3): `packages["<dir>/node_modules/<name>"].version`;
// - pnpm (`pnpm-lock.yaml`): `importers["<dir>"].dependencies[name]` (`{ specifier, version }`
//   since lockfile v6, a plain version before), and the `packages` keys for the rest.
import { parse as parseYaml } from 'yaml';

export type LockfileKind = 'yarn-classic' | 'yarn-berry' | 'npm' | 'pnpm';

/** Lockfile names in the order they are looked for in a directory. */
export const LOCKFILES: readonly { name: string; kind: LockfileKind | 'yarn' }[] = [
  { name: 'yarn.lock', kind: 'yarn' },
  { name: 'package-lock.json', kind: 'npm' },
  { name: 'pnpm-lock.yaml', kind: 'pnpm' },
];

interface LockEntry {
  version: string;
  /** yarn: the ranges this entry resolves, as written after `name@` (`^0.6.14`, `npm:^0.6.14`). */
  ranges?: string[];
  /** npm: the install path (`node_modules/x`, `plugins/a/node_modules/x`). */
  path?: string;
  /** pnpm: the importer (workspace package directory, `.` for the root) that depends on it directly. */
  importer?: string;
}

export interface LockedPackages {
  kind: LockfileKind;
  entries: ReadonlyMap<string, readonly LockEntry[]>;
}

/** Parses a lockfile, keeping the entries of `names`; undefined when the text is not one. */
export function parseLockfile(fileName: string, text: string, names: readonly string[]): LockedPackages | undefined {
  try {
    if (fileName.endsWith('yarn.lock')) return parseYarn(text, names);
    if (fileName.endsWith('package-lock.json')) return parseNpm(text, names);
    if (fileName.endsWith('pnpm-lock.yaml')) return parsePnpm(text, names);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The version the lockfile resolved for `name` as used by the package in `packageDir`
 * (relative to the lockfile's directory, `/`-separated, '' for the root), which declares it with
 * `declared` (if at all). Undefined when the lockfile does not say, or says several things.
 */
export function lockedVersion(
  locked: LockedPackages,
  name: string,
  packageDir: string,
  declared: string | undefined,
): string | undefined {
  const entries = locked.entries.get(name) ?? [];
  if (entries.length === 0) return undefined;
  switch (locked.kind) {
    case 'yarn-classic':
    case 'yarn-berry': {
      const wanted = declared && (locked.kind === 'yarn-berry' && !/^[a-z]+:/.test(declared) ? `npm:${declared}` : declared);
      const match = wanted ? entries.find((e) => e.ranges?.includes(wanted)) : undefined;
      return match?.version ?? (declared ? undefined : onlyVersion(entries));
    }
    case 'npm': {
      // Node's lookup: the package's own node_modules, then each parent's, up to the root.
      const parts = packageDir ? packageDir.split('/') : [];
      for (let depth = parts.length; depth >= 0; depth--) {
        const prefix = parts.slice(0, depth).join('/');
        const path = `${prefix ? `${prefix}/` : ''}node_modules/${name}`;
        const found = entries.find((e) => e.path === path);
        if (found) return found.version;
      }
      return undefined;
    }
    case 'pnpm': {
      const importer = packageDir || '.';
      const direct = entries.find((e) => e.importer === importer);
      return direct?.version ?? onlyVersion(entries.filter((e) => e.importer === undefined));
    }
  }
}

function onlyVersion(entries: readonly LockEntry[]): string | undefined {
  const versions = new Set(entries.map((e) => e.version));
  return versions.size === 1 ? [...versions][0] : undefined;
}

function collector(names: readonly string[]) {
  const entries = new Map<string, LockEntry[]>();
  return {
    entries,
    add(name: string, entry: LockEntry) {
      if (!names.includes(name)) return;
      const list = entries.get(name) ?? [];
      list.push(entry);
      entries.set(name, list);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// yarn

function parseYarn(text: string, names: readonly string[]): LockedPackages {
  const berry = /^__metadata:/m.test(text);
  const { entries, add } = collector(names);
  let descriptors: { name: string; range: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      descriptors = line.endsWith(':') ? descriptorsOf(line.slice(0, -1)) : [];
      continue;
    }
    const version = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(line);
    if (!version || descriptors.length === 0) continue;
    const byName = new Map<string, string[]>();
    for (const { name, range } of descriptors) byName.set(name, [...(byName.get(name) ?? []), range]);
    for (const [name, ranges] of byName) add(name, { version: version[1], ranges });
    descriptors = [];
  }
  return { kind: berry ? 'yarn-berry' : 'yarn-classic', entries };
}

/** `"@a/b@^1.0.0", "@a/b@^1.2.0"` or `"@a/b@npm:^1.0.0, @a/b@npm:^1.2.0"` -> name/range pairs. */
function descriptorsOf(key: string): { name: string; range: string }[] {
  return key
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''))
    .flatMap((descriptor) => {
      const at = descriptor.indexOf('@', 1);
      return at > 0 ? [{ name: descriptor.slice(0, at), range: descriptor.slice(at + 1) }] : [];
    });
}

// ---------------------------------------------------------------------------------------------
// npm

function parseNpm(text: string, names: readonly string[]): LockedPackages | undefined {
  const lock = JSON.parse(text) as { packages?: Record<string, { version?: string; link?: boolean }> };
  if (!lock.packages || typeof lock.packages !== 'object') return undefined;
  const { entries, add } = collector(names);
  for (const [path, entry] of Object.entries(lock.packages)) {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0 || !entry || typeof entry.version !== 'string') continue;
    add(path.slice(at + 'node_modules/'.length), { version: entry.version, path });
  }
  return { kind: 'npm', entries };
}

// ---------------------------------------------------------------------------------------------
// pnpm

type PnpmDependency = string | { specifier?: string; version?: string };
type PnpmImporter = Partial<Record<'dependencies' | 'devDependencies' | 'optionalDependencies', Record<string, PnpmDependency>>>;

function parsePnpm(text: string, names: readonly string[]): LockedPackages | undefined {
  const lock = parseYaml(text) as (PnpmImporter & { importers?: Record<string, PnpmImporter>; packages?: Record<string, unknown> }) | null;
  if (!lock || typeof lock !== 'object') return undefined;
  const { entries, add } = collector(names);
  // A single-package repo has no `importers`: the root's dependencies sit at the top level.
  const importers = lock.importers ?? { '.': lock };
  for (const [importer, manifest] of Object.entries(importers)) {
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      for (const [name, dependency] of Object.entries(manifest?.[group] ?? {})) {
        const version = pnpmVersion(typeof dependency === 'string' ? dependency : dependency?.version);
        if (version) add(name, { version, importer });
      }
    }
  }
  for (const key of Object.keys(lock.packages ?? {})) {
    const parsed = pnpmPackageKey(key);
    if (parsed) add(parsed.name, { version: parsed.version });
  }
  return { kind: 'pnpm', entries };
}

/** `0.6.17(@types/express@4.17.21)` -> `0.6.17`; `link:../x` -> undefined. */
function pnpmVersion(value: string | undefined): string | undefined {
  if (!value || /^[a-z]+:/.test(value)) return undefined;
  const version = value.replace(/\(.*$/, '');
  return /^\d/.test(version) ? version : undefined;
}

/** `/@a/b@1.2.3(peer)` (v6), `@a/b@1.2.3` (v9), `/@a/b/1.2.3` (v5) -> name and version. */
function pnpmPackageKey(key: string): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = bare.indexOf('@', 1);
  if (at > 0) {
    const version = pnpmVersion(bare.slice(at + 1));
    return version ? { name: bare.slice(0, at), version } : undefined;
  }
  const slash = bare.lastIndexOf('/');
  const version = slash > 0 ? pnpmVersion(bare.slice(slash + 1)) : undefined;
  return version ? { name: bare.slice(0, slash), version } : undefined;
}
