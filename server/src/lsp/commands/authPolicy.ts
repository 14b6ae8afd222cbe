// "Add Auth Policy": the plugins of the workspace, the routes of a plugin file, and the edit that
// adds `httpRouter.addAuthPolicy({ path, allow })` to a plugin's init.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { addAuthPolicyEdit, listPluginRoutes } from '../../engine/authPolicy';
import { minimalEdits } from '../../engine/edits';
import { backendFeatures, mayRegisterFeature, type BackendFeature } from '../../engine/setup/backendFeatures';
import { isSourceFile } from '../../engine/source';
import { POLICY_ALLOWS, type PolicyAllow } from '../../rules/shared/authPolicies';
import { argumentsOf, invalid, positionArg, stringArg, stringListArg, type CommandContext } from './context';
import { WorkspaceEditBuilder } from './edits';
import { readTarget, type FileText } from './files';
import { walkFolders } from './folders';
import {
  SERVER_COMMANDS,
  type AuthPolicyTargets,
  type EditResult,
  type PluginLocation,
} from './protocol';

export function findPlugins(context: CommandContext, args: unknown[] | undefined): PluginLocation[] {
  const folders = stringListArg(argumentsOf(SERVER_COMMANDS.findPlugins, args), 'folders');
  const maxBytes = context.analyses.currentSettings.maxFileSize;
  const found: PluginLocation[] = [];
  for (const file of walkFolders(folders, context.analyses.excludes).files) {
    if (!isSourceFile(file.absolute)) continue;
    const target = readTarget(file.uri, context.documents, maxBytes);
    if ('reason' in target || !mayRegisterFeature(target.text)) continue;
    for (const feature of backendFeatures(target.fileName, target.text)) found.push(locationOf(target, feature));
  }
  return found;
}

export function authPolicyTargets(context: CommandContext, args: unknown[] | undefined): AuthPolicyTargets {
  const uri = stringArg(argumentsOf(SERVER_COMMANDS.authPolicyTargets, args), 'uri');
  const target = readTarget(uri, context.documents, context.analyses.currentSettings.maxFileSize);
  if ('reason' in target) return { ok: false, reason: target.reason };
  if (!isSourceFile(target.fileName)) return { ok: false, reason: 'not a TypeScript or JavaScript file' };
  const inits = backendFeatures(target.fileName, target.text).map((feature) => ({
    ...locationOf(target, feature),
    routes: listPluginRoutes(target.text, target.fileName, context.analyses.host, { at: feature.registerInitStart }).map(
      ({ method, path, policyPath, kind, covered, suggested }) => ({ method, path, policyPath, kind, covered, suggested }),
    ),
  }));
  if (inits.length === 0) return { ok: false, reason: 'this file registers no backend plugin or module (`env.registerInit`)' };
  return { ok: true, inits };
}

export function addAuthPolicy(context: CommandContext, args: unknown[] | undefined): EditResult {
  const given = argumentsOf(SERVER_COMMANDS.addAuthPolicy, args);
  const uri = stringArg(given, 'uri');
  const path = stringArg(given, 'path');
  const allow = stringArg(given, 'allow');
  if (!POLICY_ALLOWS.includes(allow as PolicyAllow)) throw invalid(`"allow" must be one of ${POLICY_ALLOWS.join(', ')}`);
  const position = positionArg(given, 'position');
  const target = readTarget(uri, context.documents, context.analyses.currentSettings.maxFileSize);
  if ('reason' in target) return { ok: false, reason: target.reason };
  const at = position && TextDocument.create(uri, 'typescript', 0, target.text).offsetAt(position);
  const edited = addAuthPolicyEdit(target.text, target.fileName, { path, allow }, { at });
  if (!edited.ok) return edited;
  const builder = new WorkspaceEditBuilder(context.support().documentChanges);
  builder.add(target, minimalEdits(target.text, edited.text).map((edit) => ({ edit })));
  return { ok: true, edit: builder.build(), summary: `Added an auth policy { path: '${path}', allow: '${allow}' }` };
}

function locationOf(file: FileText, feature: BackendFeature): PluginLocation {
  const document = TextDocument.create(file.uri, 'typescript', 0, file.text);
  return {
    uri: file.uri,
    feature: feature.feature,
    ...(feature.pluginId === undefined ? {} : { pluginId: feature.pluginId }),
    ...(feature.moduleId === undefined ? {} : { moduleId: feature.moduleId }),
    position: document.positionAt(feature.registerInitStart),
  };
}
