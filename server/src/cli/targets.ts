// Which migration target the fixes of a run aimed for, per package: the files with findings
// grouped by the package.json that decides their versions, each group with the target, the
// versions it came from and the reason (the same sentence the editor's hover shows). Asked on
// the main thread after the scan: the versions are cached per folder, so this reads each
// package.json and lockfile once.
import { isConfigFile } from '../engine/config';
import { explainTarget } from '../engine/targets';
import { targetChoiceFor, type EngineOptions } from '../engine/engine';
import type { MigrationTarget, TargetSetting } from '../engine/targets';
import type { TrackedPackage } from '../engine/versions';
import { displayPath } from './files/paths';
import { compareStrings, type SourceTarget } from './files/walk';

export interface ReportedVersion {
  version: string;
  /** The range the package.json declares, when it declares the package. */
  declared?: string;
  /** True when `version` comes from the lockfile, false when it is the lowest the range admits. */
  locked: boolean;
  /** The lockfile or package.json it was read from, relative to the current folder. */
  from: string;
}

export interface TargetGroup {
  /** The package.json that decides the versions (relative to the current folder), or null. */
  packageJson: string | null;
  /** null when backend-plugin-api predates the auth services: nothing is rewritten. */
  target: MigrationTarget | null;
  /** 'auto' (from the versions) or the target `--target` forced. */
  setting: TargetSetting;
  versions: Partial<Record<TrackedPackage, ReportedVersion>>;
  /** One or two sentences: which target, from which versions, and why. */
  explanation: string;
  /** The files of the group that have findings, relative to the current folder, sorted. */
  files: string[];
}

/**
 * The groups of `files` (those with findings). Backstage config files are left out: their
 * findings do not depend on the target. Sorted by package.json, files without one last.
 */
export function targetGroups(
  files: readonly SourceTarget[],
  options: Pick<EngineOptions, 'host' | 'target'>,
  cwd: string,
): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const file of files) {
    if (isConfigFile(file.absolute)) continue;
    const choice = targetChoiceFor(file.absolute, options);
    const explanation = explainTarget(choice);
    const packageJson = choice.versions.packageJson === undefined ? null : displayPath(cwd, choice.versions.packageJson);
    // Files of one package share their versions; the explanation is part of the key all the same.
    const key = `${packageJson ?? ''}\u0000${explanation}`;
    let group = groups.get(key);
    if (!group) {
      const versions: TargetGroup['versions'] = {};
      for (const [name, found] of Object.entries(choice.versions.packages)) {
        versions[name as TrackedPackage] = {
          version: found.version,
          ...(found.declared === undefined ? {} : { declared: found.declared }),
          locked: found.locked,
          from: displayPath(cwd, found.from),
        };
      }
      group = {
        packageJson,
        target: choice.authServicesMissing ? null : choice.target,
        setting: choice.setting,
        versions,
        explanation,
        files: [],
      };
      groups.set(key, group);
    }
    group.files.push(file.display);
  }
  const order = (group: TargetGroup) => (group.packageJson === null ? '\uFFFF' : group.packageJson);
  return [...groups.values()]
    .map((group) => ({ ...group, files: [...group.files].sort(compareStrings) }))
    .sort((a, b) => compareStrings(order(a), order(b)) || compareStrings(a.explanation, b.explanation));
}

/** `plugins/notes/package.json  target legacy-compatible: ...` (one line per group, for text reports). */
export function targetLines(groups: readonly TargetGroup[]): string[] {
  return groups.map((group) => {
    const sentence = group.explanation.charAt(0).toLowerCase() + group.explanation.slice(1);
    return `${group.packageJson ?? '(no package.json)'}  ${sentence}`;
  });
}
