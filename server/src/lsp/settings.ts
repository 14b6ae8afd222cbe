// The `backstageAuth` settings as the server uses them. Values come from the client over
// workspace/configuration; anything malformed falls back to the default rather than failing.
import { DEFAULT_MAX_FILE_BYTES } from '../engine/source';
import { TARGET_SETTINGS, type TargetSetting } from '../engine/targets';
import type { Severity } from '../engine/types';

export type SeveritySetting = Severity | 'off';

export interface Settings {
  /** Per rule id: a different severity, or 'off'. */
  severity: Record<string, SeveritySetting>;
  /** Larger documents are not analyzed (characters). */
  maxFileSize: number;
  /** Delay between the last edit and the analysis. */
  debounceMs: number;
  /** Glob patterns of files that are neither analyzed nor migrated (see exclude.ts). */
  exclude: string[];
  /** What fixes aim for; 'auto' reads the Backstage versions of each file's package. */
  migrationTarget: TargetSetting;
  /** Diagnostics for files that are not open: 'auto' scans workspace folders that use Backstage. */
  workspaceDiagnostics: WorkspaceDiagnosticsSetting;
}

export type WorkspaceDiagnosticsSetting = 'auto' | 'on' | 'off';
const WORKSPACE_DIAGNOSTICS: readonly WorkspaceDiagnosticsSetting[] = ['auto', 'on', 'off'];

export const SECTION = 'backstageAuth';

export const DEFAULT_SETTINGS: Settings = {
  severity: {},
  maxFileSize: DEFAULT_MAX_FILE_BYTES,
  debounceMs: 150,
  exclude: [],
  migrationTarget: 'auto',
  workspaceDiagnostics: 'auto',
};

const SEVERITY_SETTINGS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const MAX_DEBOUNCE_MS = 10_000;

/** Reads the raw section; returns the settings and one line per value that was ignored. */
export function parseSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const section = isRecord(raw) ? raw : {};

  const severity: Record<string, SeveritySetting> = {};
  if (isRecord(section.severity)) {
    for (const [ruleId, value] of Object.entries(section.severity)) {
      if (typeof value === 'string' && SEVERITY_SETTINGS.includes(value)) {
        severity[ruleId] = value as SeveritySetting;
      } else {
        problems.push(`${SECTION}.severity.${ruleId}: expected one of ${SEVERITY_SETTINGS.join(', ')}`);
      }
    }
  }

  return {
    settings: {
      severity,
      maxFileSize: numberIn(section.maxFileSize, 1, Number.MAX_SAFE_INTEGER, 'maxFileSize') ?? DEFAULT_SETTINGS.maxFileSize,
      debounceMs: numberIn(section.debounceMs, 0, MAX_DEBOUNCE_MS, 'debounceMs') ?? DEFAULT_SETTINGS.debounceMs,
      exclude: stringList(section.exclude, 'exclude'),
      migrationTarget: oneOf(section.migrationTarget, TARGET_SETTINGS, 'migrationTarget') ?? DEFAULT_SETTINGS.migrationTarget,
      workspaceDiagnostics:
        oneOf(section.workspaceDiagnostics, WORKSPACE_DIAGNOSTICS, 'workspaceDiagnostics') ?? DEFAULT_SETTINGS.workspaceDiagnostics,
    },
    problems,
  };

  function numberIn(value: unknown, min: number, max: number, name: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    problems.push(`${SECTION}.${name}: expected a number from ${min} to ${max}`);
    return undefined;
  }

  function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${SECTION}.${name}: expected one of ${allowed.join(', ')}`);
    return undefined;
  }

  function stringList(value: unknown, name: string): string[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.filter((item) => item.trim() !== '');
    problems.push(`${SECTION}.${name}: expected a list of glob patterns`);
    return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
