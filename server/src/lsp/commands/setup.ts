// "Set Up Guest Provider for Local Development" (the plan: what to install, which files change)
// and "Disable Default Auth Policy" (one config edit). The client confirms and applies.
import { join } from 'node:path';
import { isConfigFile } from '../../engine/config';
import { minimalEdits } from '../../engine/edits';
import { configValueAt, disableDefaultAuthPolicyEdit } from '../../engine/setup/configEdits';
import { planGuestSetup } from '../../engine/setup/guestSetup';
import { displayCommand } from '../../engine/setup/packageManager';
import { DISABLE_DEFAULT_POLICY_PATH } from '../../rules/shared/appConfigs';
import { fileNameOf } from '../files';
import { argumentsOf, booleanArg, stringArg, type CommandContext } from './context';
import { WorkspaceEditBuilder } from './edits';
import { readTarget, RepoFiles } from './files';
import { SERVER_COMMANDS, type EditResult, type GuestSetupResult } from './protocol';

/** Lockfiles of big repos run to megabytes; the reader still reads them whole. */
const MAX_REPO_FILE_BYTES = 64_000_000;

export function guestSetupPlan(context: CommandContext, args: unknown[] | undefined): GuestSetupResult {
  const given = argumentsOf(SERVER_COMMANDS.guestSetupPlan, args);
  const folder = stringArg(given, 'folder');
  const preview = booleanArg(given, 'preview');
  if (!folder.startsWith('file:')) return { ok: false, reason: 'the workspace folder is not on disk' };
  const root = fileNameOf(folder);
  const files = new RepoFiles(root, context.documents, MAX_REPO_FILE_BYTES);
  const planned = planGuestSetup(files.reader);
  if (!planned.ok) return planned;
  const { plan } = planned;

  const builder = new WorkspaceEditBuilder(context.support().documentChanges);
  const changes: { uri: string; path: string; summary: string }[] = [];
  for (const change of plan.changes) {
    const file = files.read.get(change.path)!;
    const annotation = { id: change.path, label: change.summary, description: change.path, needsConfirmation: preview };
    builder.add(file, minimalEdits(change.before, change.after).map((edit) => ({ edit, annotation })));
    changes.push({ uri: file.uri, path: change.path, summary: change.summary });
  }
  const install = plan.install && {
    program: plan.install.run.program,
    args: plan.install.run.args,
    cwd: join(root, ...plan.install.run.cwd.split('/').filter(Boolean)),
    display: displayCommand(plan.install.run),
    packageManager: plan.install.packageManager,
    evidence: plan.install.evidence,
  };
  return { ok: true, ...(install ? { install } : {}), edit: builder.build(), changes, notes: plan.notes };
}

export function disableDefaultAuthPolicy(context: CommandContext, args: unknown[] | undefined): EditResult {
  const uri = stringArg(argumentsOf(SERVER_COMMANDS.disableDefaultAuthPolicy, args), 'uri');
  const target = readTarget(uri, context.documents, context.analyses.currentSettings.maxFileSize);
  if ('reason' in target) return { ok: false, reason: target.reason };
  if (!isConfigFile(target.fileName)) return { ok: false, reason: 'not an app-config*.yaml file' };
  if (configValueAt(target.text, [...DISABLE_DEFAULT_POLICY_PATH]) === true) {
    return { ok: false, reason: 'backend.auth.dangerouslyDisableDefaultAuthPolicy is already true in this file' };
  }
  const edited = disableDefaultAuthPolicyEdit(target.text);
  if (!edited.ok) return edited;
  const builder = new WorkspaceEditBuilder(context.support().documentChanges);
  builder.add(target, minimalEdits(target.text, edited.text).map((edit) => ({ edit })));
  return { ok: true, edit: builder.build(), summary: 'Set backend.auth.dangerouslyDisableDefaultAuthPolicy: true' };
}
