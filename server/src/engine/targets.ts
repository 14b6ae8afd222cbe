// The shape a migration aims for, per file, from the versions that apply to it:
// - legacy-compatible (backend-plugin-api 0.6.14 up to 1.0): the guide's shape. Routers keep
//   `identity`/`tokenManager` as optional options and bridge them with createLegacyAuthAdapters,
//   so the plugin still runs in the old backend system.
// - new-backend-only (backend-plugin-api 1.0 and later): those services and their types are gone
//   and backend-common is deprecated, so routers take `auth`/`httpAuth` as required options.
// Before 0.6.14 the new services do not exist at all: nothing that needs them is offered.
import { basename } from 'node:path';
import type { SourceFile } from 'ts-morph';
import { atLeast } from './semver';
import type { PackageVersion, TrackedPackage, VersionFacts } from './versions';

export type MigrationTarget = 'legacy-compatible' | 'new-backend-only';
export type TargetSetting = 'auto' | MigrationTarget;
export const TARGET_SETTINGS: readonly TargetSetting[] = ['auto', 'legacy-compatible', 'new-backend-only'];

/** backend-plugin-api (Backstage 1.24.0) that first has auth, httpAuth and userInfo. */
export const AUTH_SERVICES_SINCE = '0.6.14';
/** backend-plugin-api that removed coreServices.identity/tokenManager (Backstage 1.31). */
export const OLD_SERVICES_REMOVED_IN = '1.0.0';

export interface TargetChoice {
  target: MigrationTarget;
  setting: TargetSetting;
  versions: VersionFacts;
  /**
   * The file's backend-plugin-api predates the auth services and the target was not set by hand:
   * no rewrite that needs them is offered.
   */
  authServicesMissing: boolean;
}

const BPA: TrackedPackage = '@backstage/backend-plugin-api';

interface Detected {
  target: MigrationTarget;
  tooOld: boolean;
  why: string;
}

/** What the versions say, before any setting. */
function detect(versions: VersionFacts): Detected {
  const api = versions.packages[BPA];
  if (api) {
    const found = describeVersion(BPA, api);
    if (!atLeast(api.version, AUTH_SERVICES_SINCE)) {
      return {
        target: 'legacy-compatible',
        tooOld: true,
        why: `${found} predates the auth services (added in ${AUTH_SERVICES_SINCE}, Backstage 1.24); upgrade it before migrating`,
      };
    }
    return atLeast(api.version, OLD_SERVICES_REMOVED_IN)
      ? { target: 'new-backend-only', tooOld: false, why: `${found} has no identity/tokenManager services` }
      : { target: 'legacy-compatible', tooOld: false, why: `${found} still has identity/tokenManager, so the old backend system keeps working through createLegacyAuthAdapters` };
  }
  // Without backend-plugin-api in sight, packages that require its 1.x tell the same.
  const implied = ([
    ['@backstage/plugin-auth-node', '0.5.0'],
    ['@backstage/backend-common', '0.25.0'],
  ] as const).find(([name, since]) => versions.packages[name] && atLeast(versions.packages[name]!.version, since));
  if (implied) {
    const [name] = implied;
    return {
      target: 'new-backend-only',
      tooOld: false,
      why: `${describeVersion(name, versions.packages[name]!)} requires @backstage/backend-plugin-api 1.x, which has no identity/tokenManager services`,
    };
  }
  return {
    target: 'legacy-compatible',
    tooOld: false,
    why: versions.packageJson
      ? `${basename(versions.packageJson)} does not depend on @backstage/backend-plugin-api, so the migration guide's shape is used`
      : 'no package.json was found for this file, so the migration guide\'s shape is used',
  };
}

export function chooseTarget(versions: VersionFacts, setting: TargetSetting = 'auto'): TargetChoice {
  const detected = detect(versions);
  if (setting !== 'auto') return { target: setting, setting, versions, authServicesMissing: false };
  return { target: detected.target, setting, versions, authServicesMissing: detected.tooOld };
}

/** One or two sentences for hovers and the CLI: which target, from which versions, and why. */
export function explainTarget(choice: TargetChoice): string {
  const detected = detect(choice.versions);
  if (choice.setting !== 'auto') {
    const agrees = detected.target === choice.target && !detected.tooOld;
    return `Target ${choice.target}: set explicitly${agrees ? '' : ' (overriding the versions found)'}. Detected: ${detected.why}.`;
  }
  if (choice.authServicesMissing) return `No migration target: ${detected.why}.`;
  return `Target ${choice.target}: ${detected.why}.`;
}

/** `@backstage/backend-plugin-api 1.2.0 (from yarn.lock)`. */
export function describeVersion(name: string, found: PackageVersion): string {
  const where = found.locked
    ? `from ${basename(found.from)}`
    : `the lowest of ${found.declared} in ${basename(found.from)}`;
  return `${name} ${found.version} (${where})`;
}

// ---------------------------------------------------------------------------------------------
// The target of a fix's ts-morph file, for shared fix helpers whose signatures predate targets
// (`provideService(sourceFile, at, service)`): the engine binds it when it creates the file.

const fixTargets = new WeakMap<SourceFile, MigrationTarget>();

export function bindFixTarget(sourceFile: SourceFile, target: MigrationTarget): void {
  fixTargets.set(sourceFile, target);
}

/** The target the engine fixes `sourceFile` for (legacy-compatible for files it did not create). */
export function fixTargetOf(sourceFile: SourceFile): MigrationTarget {
  return fixTargets.get(sourceFile) ?? 'legacy-compatible';
}
