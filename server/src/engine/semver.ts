// Just enough semver for choosing a migration target: compare versions, and read the lowest
// version a package.json range admits (`^0.6.14` -> 0.6.14, `>=1.0.0 <2` -> 1.0.0,
// `workspace:^1.2.0` -> 1.2.0). Pre-release tags sort before their release, as in semver.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** `1.2.3`, `1.2.3-next.0`, also partial (`1.2`, `1.x`: missing parts read as 0). */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  const part = (value: string | undefined) => (value === undefined || /^[xX*]$/.test(value) ? 0 : Number(value));
  return { major: Number(match[1]), minor: part(match[2]), patch: part(match[3]), prerelease: match[4] ?? '' };
}

export function compareVersions(a: Version, b: Version): number {
  const byNumber = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (byNumber !== 0) return byNumber;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease.localeCompare(b.prerelease, 'en', { numeric: true });
}

/** True when `version` is at least `floor` (both as text; an unreadable version is not). */
export function atLeast(version: string, floor: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(floor);
  return !!a && !!b && compareVersions(a, b) >= 0;
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}.${version.patch}${version.prerelease ? `-${version.prerelease}` : ''}`;
}

/**
 * The lowest version a dependency range admits, or undefined when the range names no version
 * (`*`, `latest`, a git URL, `link:`/`file:`). With alternatives (`a || b`) the lowest one counts.
 */
export function rangeFloor(range: string): string | undefined {
  let text = range.trim();
  // npm aliases and protocols: `npm:@backstage/x@^1.0.0`, `workspace:^1.2.0`.
  const alias = /^npm:(?:@[^@/]+\/)?[^@]+@(.*)$/.exec(text);
  if (alias) text = alias[1];
  else if (text.startsWith('npm:')) text = text.slice('npm:'.length);
  if (text.startsWith('workspace:')) text = text.slice('workspace:'.length);
  const floors = text
    .split('||')
    .map((alternative) => alternativeFloor(alternative.trim()))
    .filter((v): v is Version => v !== undefined);
  if (floors.length === 0) return undefined;
  return formatVersion(floors.reduce((lowest, v) => (compareVersions(v, lowest) < 0 ? v : lowest)));
}

function alternativeFloor(alternative: string): Version | undefined {
  // `1.2.3 - 2.0.0`
  const hyphen = /^(\S+)\s+-\s+\S+$/.exec(alternative);
  if (hyphen) return parseVersion(hyphen[1]);
  const comparators = alternative.split(/\s+/).filter(Boolean);
  for (const comparator of comparators) {
    const match = /^(\^|~|>=|=|v)?\s*(.+)$/.exec(comparator);
    if (!match || comparator.startsWith('<') || (comparator.startsWith('>') && !comparator.startsWith('>='))) continue;
    const version = parseVersion(match[2]);
    if (version) return version;
  }
  return undefined;
}
