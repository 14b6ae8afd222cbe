// The "set up guest sign-in for local development" plan, computed from the repo's files: the
// package to install in the backend, the line that adds the module to the backend entry, and
// the config keys (guest on in the development config, off in production where production
// would otherwise see it). Pure: files come in through a reader, changes go out as new texts.
import { parseConfig } from '../config';
import { setPathValue } from '../../config/yamlText';
import { GUEST_PROVIDER_MODULE } from '../../rules/shared/backendEntry';
import { addGuestProviderModuleEdit, hasGuestProviderModule } from '../../rules/shared/guestProvider';
import { GUEST_PROVIDER_PATH } from '../../rules/shared/appConfigs';
import { parseSource } from '../source';
import { configValueAt, firstExisting, type FileChange } from './configEdits';
import {
  addDependencyCommand,
  detectPackageManager,
  jsonField,
  PACKAGE_MANAGER_NAMES,
  type ProgramRun,
  type RepoReader,
  type WorkspacePackage,
} from './packageManager';

export const BACKEND_DIR = 'packages/backend';
export const BACKEND_ENTRY = `${BACKEND_DIR}/src/index.ts`;

const CONFIG_NAMES = {
  local: ['app-config.local.yaml', 'app-config.local.yml'],
  base: ['app-config.yaml', 'app-config.yml'],
  production: ['app-config.production.yaml', 'app-config.production.yml'],
};

export interface GuestSetupPlan {
  backend: WorkspacePackage;
  /** Absent when the backend already depends on the module. */
  install?: { run: ProgramRun; packageManager: string; evidence: string };
  /** In the order they are applied; may be empty when everything is in place. */
  changes: FileChange[];
  /** What was already in place, and what is left to the user (shown in the summary). */
  notes: string[];
}

export type GuestSetupResult = { ok: true; plan: GuestSetupPlan } | { ok: false; reason: string };

export function planGuestSetup(read: RepoReader): GuestSetupResult {
  const manifest = read(`${BACKEND_DIR}/package.json`);
  if (manifest === undefined) return refuse(`there is no ${BACKEND_DIR}/package.json (the layout \`npx @backstage/create-app\` makes)`);
  const name = jsonField(manifest, 'name');
  if (typeof name !== 'string' || name === '') return refuse(`${BACKEND_DIR}/package.json has no "name"`);
  const backend: WorkspacePackage = { dir: BACKEND_DIR, name };
  const changes: FileChange[] = [];
  const notes: string[] = [];

  let install: GuestSetupPlan['install'];
  if (dependsOn(manifest, GUEST_PROVIDER_MODULE)) {
    notes.push(`${BACKEND_DIR}/package.json already depends on ${GUEST_PROVIDER_MODULE}; nothing to install.`);
  } else {
    const detected = detectPackageManager(read);
    if ('problem' in detected) return refuse(`the package manager is unknown: ${detected.problem}`);
    install = {
      run: addDependencyCommand(detected.kind, backend, GUEST_PROVIDER_MODULE),
      packageManager: PACKAGE_MANAGER_NAMES[detected.kind],
      evidence: detected.evidence,
    };
  }

  const entry = read(BACKEND_ENTRY);
  if (entry === undefined) return refuse(`there is no ${BACKEND_ENTRY}`);
  if (hasGuestProviderModule(parseSource(BACKEND_ENTRY, entry))) {
    notes.push(`${BACKEND_ENTRY} already adds the guest provider module.`);
  } else {
    const edited = addGuestProviderModuleEdit(entry, BACKEND_ENTRY);
    if (!edited.ok) return refuse(`${BACKEND_ENTRY}: ${edited.reason}`);
    changes.push({ path: BACKEND_ENTRY, before: entry, after: edited.text, summary: `add the guest provider module to the backend` });
  }

  const local = firstExisting(read, CONFIG_NAMES.local);
  const base = firstExisting(read, CONFIG_NAMES.base);
  if (!base && !local) return refuse('there is no app-config.yaml at the repo root');
  const development = local ?? base!;
  const path = [...GUEST_PROVIDER_PATH];
  // app-config.local.yaml overrides app-config.yaml key by key: the first that sets it decides.
  const seen = [local, base].map((file) => file && configValueAt(file.text, path)).find((value) => value !== undefined);
  let baseEnablesGuest = base !== undefined && isEnabled(configValueAt(base.text, path));
  if (isEnabled(seen)) {
    notes.push(`Guest sign-in is already on for local development (auth.providers.guest).`);
  } else {
    const edited = setPathValue(development.text, parseConfig(development.text), path, '{}');
    if (!edited.ok) return refuse(`${development.name}: ${edited.reason}`);
    changes.push({ path: development.name, before: development.text, after: edited.text, summary: 'turn guest sign-in on (auth.providers.guest: {})' });
    if (development === base) baseEnablesGuest = true;
  }

  if (baseEnablesGuest) {
    // Production loads app-config.yaml too; the module refuses to run outside development, but
    // production should not even try.
    const production = firstExisting(read, CONFIG_NAMES.production);
    if (!production) {
      notes.push(
        `${base!.name} turns guest sign-in on and production loads it too, but this repo has no app-config.production.yaml: ` +
          'set `auth.providers.guest: null` in the config your production deployment loads (or move guest sign-in to app-config.local.yaml).',
      );
    } else if (configValueAt(production.text, path) !== null) {
      const edited = setPathValue(production.text, parseConfig(production.text), path, 'null');
      if (!edited.ok) return refuse(`${production.name}: ${edited.reason}`);
      changes.push({ path: production.name, before: production.text, after: edited.text, summary: 'keep guest sign-in off in production (auth.providers.guest: null)' });
    }
  }
  return { ok: true, plan: { backend, install, changes, notes } };
}

function refuse(reason: string): GuestSetupResult {
  return { ok: false, reason };
}

/** `{}` or a map of options turns the provider on; `null`, `false` or nothing leaves it off. */
function isEnabled(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function dependsOn(manifest: string, dependency: string): boolean {
  return ['dependencies', 'devDependencies'].some((field) => {
    const deps = jsonField(manifest, field);
    return typeof deps === 'object' && deps !== null && dependency in deps;
  });
}
