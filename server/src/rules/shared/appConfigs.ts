// The app-config files of the Backstage repo a source file belongs to, read through the host:
// walk up from the file to the first folder that holds an app-config*.yaml (the repo root).
import { dirname, join } from 'node:path';
import type { Document } from 'yaml';
import type { ProjectHost } from '../../engine/types';
import { parseConfig } from '../../engine/config';
import { findPair } from '../../config/yamlText';

/** The files a Backstage repo usually has, in the order `yarn start` merges the first two. */
const CONFIG_NAMES = {
  base: ['app-config.yaml', 'app-config.yml'],
  local: ['app-config.local.yaml', 'app-config.local.yml'],
  production: ['app-config.production.yaml', 'app-config.production.yml'],
} as const;

export type ConfigRole = keyof typeof CONFIG_NAMES;

export interface ConfigFile {
  role: ConfigRole;
  /** The file name (no folder), e.g. `app-config.local.yaml`. */
  name: string;
  document: Document.Parsed;
}

export interface RepoConfigs {
  root: string;
  files: ConfigFile[];
}

/** How far up from a source file the repo root may be (`packages/backend/src/index.ts` is 3). */
const MAX_LEVELS = 6;

export function repoConfigs(host: ProjectHost, fileName: string): RepoConfigs | undefined {
  let dir = dirname(fileName);
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const files = readConfigs(host, dir);
    if (files.length > 0) return { root: dir, files };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function readConfigs(host: ProjectHost, dir: string): ConfigFile[] {
  const files: ConfigFile[] = [];
  for (const role of Object.keys(CONFIG_NAMES) as ConfigRole[]) {
    for (const name of CONFIG_NAMES[role]) {
      const text = host.readFile(join(dir, name));
      if (text === undefined) continue;
      files.push({ role, name, document: parseConfig(text) });
      break;
    }
  }
  return files;
}

/** The value at `path` in one file: undefined when the key is absent, else its JSON value (null included). */
export function configValue(file: ConfigFile, path: readonly string[]): unknown {
  const located = findPair(file.document, path);
  if (!located) return undefined;
  return located.pair.value === null ? null : (located.pair.value.toJSON() as unknown);
}

/**
 * The value local development sees: `app-config.local.yaml` overrides `app-config.yaml` key by
 * key. `file` is the config that decided it (undefined when neither sets the key).
 */
export function developmentValue(configs: RepoConfigs, path: readonly string[]): { value: unknown; file?: ConfigFile } {
  for (const role of ['local', 'base'] as const) {
    const file = configs.files.find((f) => f.role === role);
    if (!file) continue;
    const value = configValue(file, path);
    if (value !== undefined) return { value, file };
  }
  return { value: undefined };
}

export const GUEST_PROVIDER_PATH = ['auth', 'providers', 'guest'] as const;
export const DISABLE_DEFAULT_POLICY_PATH = ['backend', 'auth', 'dangerouslyDisableDefaultAuthPolicy'] as const;
