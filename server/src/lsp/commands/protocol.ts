// The server's workspace/executeCommand commands: ids, argument and result shapes. The VS Code
// client imports this file (types and ids only) and so can any other front end. Every command
// computes edits and returns them; none applies anything itself.
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';

export const SERVER_COMMANDS = {
  /** FindPluginsArgs -> PluginLocation[] */
  findPlugins: 'backstageAuth.server.findPlugins',
  /** AuthPolicyTargetsArgs -> AuthPolicyTargets */
  authPolicyTargets: 'backstageAuth.server.authPolicyTargets',
  /** AddAuthPolicyArgs -> EditResult */
  addAuthPolicy: 'backstageAuth.server.addAuthPolicy',
  /** GuestSetupArgs -> GuestSetupResult */
  guestSetupPlan: 'backstageAuth.server.guestSetupPlan',
  /** DisableDefaultAuthPolicyArgs -> EditResult */
  disableDefaultAuthPolicy: 'backstageAuth.server.disableDefaultAuthPolicy',
  /** MigrateFileArgs -> MigrationResult */
  migrateFile: 'backstageAuth.server.migrateFile',
  /** MigrateWorkspaceArgs -> MigrationResult (reports work-done progress, cancellable) */
  migrateWorkspace: 'backstageAuth.server.migrateWorkspace',
} as const;

export type PolicyAllow = 'unauthenticated' | 'user-cookie';

export type Refused = { ok: false; reason: string };

/** One file's edit, or why there is none. */
export type EditResult = { ok: true; edit: WorkspaceEdit; summary: string } | Refused;

export interface FindPluginsArgs {
  /** Workspace folder URIs to look in. */
  folders: string[];
}

export interface PluginLocation {
  uri: string;
  /** The `pluginId` of `createBackendPlugin`/`createBackendModule`, when it is a literal. */
  pluginId?: string;
  moduleId?: string;
  feature: 'plugin' | 'module';
  /** Where its `registerInit` starts (pass it on as `position`). */
  position: Position;
}

export interface AuthPolicyTargetsArgs {
  uri: string;
}

export interface RouteSummary {
  /** `GET`, ..., `USE` for a mounted handler. */
  method: string;
  path: string;
  /** The policy path that covers it. */
  policyPath: string;
  kind: 'health' | 'static' | 'other';
  /** An existing policy of the file already covers it. */
  covered: boolean;
  /** A health check or static content without a policy: what to offer first. */
  suggested: boolean;
}

export interface InitTargets extends PluginLocation {
  routes: RouteSummary[];
}

export type AuthPolicyTargets = { ok: true; inits: InitTargets[] } | Refused;

export interface AddAuthPolicyArgs {
  uri: string;
  path: string;
  allow: PolicyAllow;
  /** Inside (or at the start of) the `registerInit` to add to; optional when the file has one. */
  position?: Position;
}

export interface GuestSetupArgs {
  /** The repo root (a workspace folder URI). */
  folder: string;
  /** Annotate the file edits as needing confirmation (VS Code then opens the refactor preview). */
  preview?: boolean;
}

export interface InstallStep {
  program: string;
  args: string[];
  /** Absolute path to run it in. */
  cwd: string;
  /** How to show it (and how a person would type it). */
  display: string;
  packageManager: string;
  /** Why this package manager. */
  evidence: string;
}

export type GuestSetupResult =
  | {
      ok: true;
      /** Absent when the backend already depends on the module. */
      install?: InstallStep;
      /** Every file change, one annotation per file (label = what it does). */
      edit: WorkspaceEdit;
      changes: { uri: string; path: string; summary: string }[];
      /** What was already in place, and what is left to the user. */
      notes: string[];
    }
  | Refused;

export interface DisableDefaultAuthPolicyArgs {
  /** The app-config file to change. */
  uri: string;
}

export interface MigrateFileArgs {
  uri: string;
  /** Annotate every edit as needing confirmation (VS Code then opens the refactor preview). */
  preview?: boolean;
}

export interface MigrateWorkspaceArgs {
  /** Folder URIs to walk (the workspace scan's walk: .gitignore, dependencies, build output, backstageAuth.exclude). */
  folders: string[];
  preview?: boolean;
}

export interface RemainingFinding {
  uri: string;
  /** Relative to its workspace folder (forward slashes); the absolute path for a single file. */
  path: string;
  range: Range;
  ruleId: string;
  message: string;
  /** Why it was left for a person. */
  reason: string;
}

export interface MigrationResult {
  /** One annotation per rule (or combination of rules) that made an edit. */
  edit: WorkspaceEdit;
  filesChecked: number;
  filesChanged: number;
  /** Fixes applied, per rule. */
  applied: { ruleId: string; title: string; count: number }[];
  remaining: RemainingFinding[];
  skipped: { path: string; reason: string }[];
}
