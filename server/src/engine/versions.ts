// Which Backstage package versions apply to a file: the ranges its nearest package.json declares,
// resolved through the lockfile of its workspace root. Read through the ProjectHost (unsaved
// editor buffers win in the language server), cached per directory, and forgotten when one of
// the files it read changes (`invalidateVersions`, called by the language server's file watcher).
import { basename, dirname, join, relative, sep } from 'node:path';
import type { ProjectHost } from './types';
import { LOCKFILES, lockedVersion, parseLockfile, type LockedPackages, type LockfileKind } from './lockfiles';
import { atLeast, rangeFloor } from './semver';

export const TRACKED_PACKAGES = [
  '@backstage/backend-plugin-api',
  '@backstage/backend-common',
  '@backstage/plugin-permission-common',
  '@backstage/plugin-auth-node',
] as const;
export type TrackedPackage = (typeof TRACKED_PACKAGES)[number];

export interface PackageVersion {
  /** The lockfile's version, or else the lowest version the declared range admits. */
  version: string;
  /** The range the nearest package.json declares, when it declares the package. */
  declared?: string;
  /** True when `version` comes from the lockfile. */
  locked: boolean;
  /** The file `version` was read from (the lockfile, or the package.json with the range). */
  from: string;
}

export interface VersionFacts {
  /** The nearest package.json up the tree from the file. */
  packageJson?: string;
  /** The workspace root's lockfile, when there is one. */
  lockfile?: { path: string; kind: LockfileKind };
  packages: Partial<Record<TrackedPackage, PackageVersion>>;
}

export const NO_VERSIONS: VersionFacts = { packages: {} };

/** Lockfiles of big monorepos exceed the host's usual limit for sibling files. */
const MAX_LOCKFILE_BYTES = 64_000_000;

interface PackageJson {
  dependencies: Record<string, string>;
  workspaces: boolean;
}

interface CachedDirectory {
  facts: VersionFacts;
  /** Every path looked at, including the ones that did not exist: any change to them invalidates. */
  reads: Set<string>;
}

/** Version facts per directory for one host; see `versionResolver`. */
export class VersionResolver {
  private readonly directories = new Map<string, CachedDirectory>();
  /** By package folder: every folder of a package gets the same facts. */
  private readonly packages = new Map<string, CachedDirectory>();
  private readonly packageJsons = new Map<string, PackageJson | undefined>();
  private readonly lockfiles = new Map<string, LockedPackages | undefined>();

  constructor(private readonly host: ProjectHost) {}

  factsFor(fileName: string): VersionFacts {
    const directory = dirname(fileName);
    const cached = this.directories.get(directory);
    if (cached) return cached.facts;
    const reads = new Set<string>();
    const facts = this.compute(directory, reads);
    this.directories.set(directory, { facts, reads });
    return facts;
  }

  /**
   * The files the facts for `fileName`'s folder came from (package.json files looked for up the
   * tree, found or not, and lockfiles), with the size limit each was read with: while these
   * read the same, the facts are the same.
   */
  readsFor(fileName: string): { path: string; maxBytes?: number }[] {
    this.factsFor(fileName);
    const cached = this.directories.get(dirname(fileName))!;
    return [...cached.reads].map((path) => (this.lockfiles.has(path) ? { path, maxBytes: MAX_LOCKFILE_BYTES } : { path }));
  }

  /** Forgets everything that read `path` (a package.json or lockfile, or a folder that went away). */
  invalidate(path: string): void {
    const inside = (p: string) => p === path || p.startsWith(path + sep) || p.startsWith(path + '/');
    for (const key of [...this.packageJsons.keys()]) if (inside(key)) this.packageJsons.delete(key);
    for (const key of [...this.lockfiles.keys()]) if (inside(key)) this.lockfiles.delete(key);
    for (const cache of [this.directories, this.packages]) {
      for (const [directory, cached] of [...cache]) if ([...cached.reads].some(inside)) cache.delete(directory);
    }
  }

  private compute(start: string, reads: Set<string>): VersionFacts {
    let packageDir: string | undefined;
    let manifest: PackageJson | undefined;
    for (const directory of upFrom(start)) {
      manifest = this.packageJson(join(directory, 'package.json'), reads);
      if (manifest) {
        packageDir = directory;
        break;
      }
    }
    if (!packageDir || !manifest) return NO_VERSIONS;
    let known = this.packages.get(packageDir);
    if (!known) {
      known = { facts: NO_VERSIONS, reads: new Set([join(packageDir, 'package.json')]) };
      known.facts = this.computePackage(packageDir, manifest, known.reads);
      this.packages.set(packageDir, known);
    }
    for (const path of known.reads) reads.add(path);
    return known.facts;
  }

  private computePackage(packageDir: string, manifest: PackageJson, reads: Set<string>): VersionFacts {
    const root = this.workspaceRoot(packageDir, manifest, reads);
    const locked = root?.lockfile;
    const packageJson = join(packageDir, 'package.json');
    const packages: VersionFacts['packages'] = {};
    for (const name of TRACKED_PACKAGES) {
      const declared = manifest.dependencies[name];
      const floor = declared === undefined ? undefined : rangeFloor(declared);
      const fromLock = locked && lockedVersion(locked.packages, name, posixRelative(root.directory, packageDir), declared);
      // A lockfile older than the range (package.json bumped, install not run yet) is stale.
      if (fromLock && (!floor || atLeast(fromLock, floor))) {
        packages[name] = { version: fromLock, declared, locked: true, from: locked.path };
      } else if (floor) {
        packages[name] = { version: floor, declared, locked: false, from: packageJson };
      }
    }
    return {
      packageJson,
      lockfile: locked && { path: locked.path, kind: locked.packages.kind },
      packages,
    };
  }

  /** The nearest directory from the package up with a lockfile, or a `workspaces` package.json. */
  private workspaceRoot(
    packageDir: string,
    manifest: PackageJson,
    reads: Set<string>,
  ): { directory: string; lockfile?: { path: string; packages: LockedPackages } } | undefined {
    for (const directory of upFrom(packageDir)) {
      for (const { name } of LOCKFILES) {
        const path = join(directory, name);
        const packages = this.lockfile(path, reads);
        if (packages) return { directory, lockfile: { path, packages } };
      }
      const here = directory === packageDir ? manifest : this.packageJson(join(directory, 'package.json'), reads);
      if (here?.workspaces) return { directory };
    }
    return undefined;
  }

  private packageJson(path: string, reads: Set<string>): PackageJson | undefined {
    reads.add(path);
    if (!this.packageJsons.has(path)) this.packageJsons.set(path, readPackageJson(this.host.readFile(path)));
    return this.packageJsons.get(path);
  }

  private lockfile(path: string, reads: Set<string>): LockedPackages | undefined {
    reads.add(path);
    if (!this.lockfiles.has(path)) {
      const text = this.host.readFile(path, { maxBytes: MAX_LOCKFILE_BYTES });
      this.lockfiles.set(path, text === undefined ? undefined : parseLockfile(path, withoutBom(text), TRACKED_PACKAGES));
    }
    return this.lockfiles.get(path);
  }
}

function readPackageJson(text: string | undefined): PackageJson | undefined {
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(withoutBom(text)) as Record<string, unknown>;
    if (!json || typeof json !== 'object') return undefined;
    const dependencies: Record<string, string> = {};
    // Later groups win: `dependencies` is what gets installed for the package.
    for (const group of ['peerDependencies', 'devDependencies', 'dependencies']) {
      const entries = json[group];
      if (!entries || typeof entries !== 'object') continue;
      for (const [name, range] of Object.entries(entries as Record<string, unknown>)) {
        if (typeof range === 'string') dependencies[name] = range;
      }
    }
    return { dependencies, workspaces: json.workspaces !== undefined };
  } catch {
    return undefined;
  }
}

/** Editors may save JSON and YAML with a byte order mark; npm and yarn accept it. */
function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** `start` and each of its parents, up to the file system root. */
function* upFrom(start: string): Generator<string> {
  let current = start;
  for (;;) {
    yield current;
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

// ---------------------------------------------------------------------------------------------
// One resolver per host

const resolvers = new WeakMap<ProjectHost, VersionResolver>();
const live = new Set<WeakRef<VersionResolver>>();

/** The cached resolver of this host (the CLI's run, the language server's session, a test's files). */
export function versionResolver(host: ProjectHost): VersionResolver {
  let resolver = resolvers.get(host);
  if (!resolver) {
    resolver = new VersionResolver(host);
    resolvers.set(host, resolver);
    live.add(new WeakRef(resolver));
  }
  return resolver;
}

/**
 * Forgets cached versions that depended on `path` (absolute; a package.json, a lockfile, or a
 * folder), in every resolver. The language server calls it when such a file is created, changed
 * (also unsaved, in the editor) or deleted.
 */
export function invalidateVersions(path: string): void {
  for (const ref of [...live]) {
    const resolver = ref.deref();
    if (resolver) resolver.invalidate(path);
    else live.delete(ref);
  }
}

/** True for the files whose changes `invalidateVersions` should hear about. */
export function isVersionSource(path: string): boolean {
  const name = basename(path);
  return name === 'package.json' || LOCKFILES.some((l) => l.name === name);
}
