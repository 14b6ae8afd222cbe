// "Add Auth Policy…": which plugin (the active file, or one picked from the workspace), which
// path (its routes, or typed), which policy; the server writes the `addAuthPolicy` call.
import { Position, Selection, Uri, window, workspace, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  SERVER_COMMANDS,
  type AuthPolicyTargets,
  type EditResult,
  type InitTargets,
  type PluginLocation,
  type PolicyAllow,
} from '../../../server/src/lsp/commands/protocol';
import { applyServerEdit, serverCommand } from './server';

/** Arguments that skip the prompts (e.g. from tests): `{ uri, path, allow, position? }`. */
export interface AddAuthPolicyArgs {
  uri?: string;
  path?: string;
  allow?: PolicyAllow;
  position?: { line: number; character: number };
}

export type AddAuthPolicyOutcome = { added: true; summary: string } | { added: false; reason: string };

const ALLOW_CHOICES: (QuickPickItem & { allow: PolicyAllow })[] = [
  {
    allow: 'unauthenticated',
    label: 'unauthenticated',
    detail: 'Anyone, without credentials: health checks and probes, public webhooks, public assets.',
  },
  {
    allow: 'user-cookie',
    label: 'user-cookie',
    detail: "Signed-in users' browsers through the Backstage cookie: images, iframes and downloads the browser fetches itself.",
  },
];

export async function addAuthPolicyCommand(client: LanguageClient, given: AddAuthPolicyArgs = {}): Promise<AddAuthPolicyOutcome> {
  const target = await chooseInit(client, given);
  if ('reason' in target) return cancelled(target.reason);
  const path = given.path ?? (await choosePath(target.init));
  if (!path) return cancelled('no path chosen');
  const allow = given.allow ?? (await chooseAllow(path));
  if (!allow) return cancelled('no policy chosen');

  const result = await serverCommand<EditResult>(client, SERVER_COMMANDS.addAuthPolicy, {
    uri: target.init.uri,
    path,
    allow,
    position: target.init.position,
  });
  if (!result.ok) {
    void window.showErrorMessage(`Backstage Auth: the policy was not added: ${result.reason}`);
    return { added: false, reason: result.reason };
  }
  if (!(await applyServerEdit(client, result.edit))) return { added: false, reason: 'the editor did not apply the edit' };
  void window.showInformationMessage(`Backstage Auth: ${result.summary}.`);
  return { added: true, summary: result.summary };
}

async function chooseInit(client: LanguageClient, given: AddAuthPolicyArgs): Promise<{ init: InitTargets } | { reason: string }> {
  const editor = window.activeTextEditor;
  const uri = given.uri ?? editor?.document.uri.toString();
  const cursor = given.position ?? (editor && uri === editor.document.uri.toString() ? editor.selection.active : undefined);
  if (uri) {
    const targets = await serverCommand<AuthPolicyTargets>(client, SERVER_COMMANDS.authPolicyTargets, { uri });
    if (targets.ok) return pickInit(targets.inits, cursor);
    // An explicit file that is not a plugin is an error; the active editor just is not the plugin.
    if (given.uri) {
      void window.showErrorMessage(`Backstage Auth: ${targets.reason}`);
      return { reason: targets.reason };
    }
  }
  const folders = (workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
  if (folders.length === 0) return { reason: 'no workspace folder is open' };
  const plugins = await serverCommand<PluginLocation[]>(client, SERVER_COMMANDS.findPlugins, { folders });
  const backendPlugins = plugins.filter((p) => p.feature === 'plugin');
  if (backendPlugins.length === 0) {
    void window.showWarningMessage('Backstage Auth: no backend plugin (createBackendPlugin with registerInit) was found in the workspace.');
    return { reason: 'no backend plugin in the workspace' };
  }
  const picked = await window.showQuickPick(
    backendPlugins.map((plugin) => ({ label: plugin.pluginId ?? '(plugin id not a literal)', description: workspace.asRelativePath(Uri.parse(plugin.uri)), plugin })),
    { title: 'Add Auth Policy: which plugin?', matchOnDescription: true },
  );
  if (!picked) return { reason: 'no plugin chosen' };
  const targets = await serverCommand<AuthPolicyTargets>(client, SERVER_COMMANDS.authPolicyTargets, { uri: picked.plugin.uri });
  if (!targets.ok) return { reason: targets.reason };
  const init = targets.inits.find((i) => samePosition(i.position, picked.plugin.position)) ?? targets.inits[0];
  await showAt(init);
  return { init };
}

async function pickInit(inits: InitTargets[], cursor: { line: number; character: number } | undefined): Promise<{ init: InitTargets } | { reason: string }> {
  // The init the cursor is in (or after the start of, nearest first), else ask when there are several.
  const before = cursor ? inits.filter((i) => i.position.line <= cursor.line).at(-1) : undefined;
  if (before || inits.length === 1) return { init: before ?? inits[0] };
  const picked = await window.showQuickPick(
    inits.map((init) => ({ label: nameOf(init), description: `line ${init.position.line + 1}`, init })),
    { title: 'Add Auth Policy: which plugin or module?' },
  );
  return picked ? { init: picked.init } : { reason: 'no plugin chosen' };
}

const ENTER_PATH = '$(edit) Enter a path…';

async function choosePath(init: InitTargets): Promise<string | undefined> {
  const seen = new Set<string>();
  // Health checks and static content without a policy first, covered routes last.
  const routes = [...init.routes].sort((a, b) => Number(b.suggested) - Number(a.suggested) || Number(a.covered) - Number(b.covered));
  const items: QuickPickItem[] = [];
  for (const route of routes) {
    if (seen.has(route.policyPath)) continue;
    seen.add(route.policyPath);
    const what = route.kind === 'health' ? 'health check' : route.kind === 'static' ? 'static content' : 'route';
    items.push({
      label: route.policyPath,
      description: `${route.method === 'USE' ? 'mounted' : route.method} ${route.path} · ${what}`,
      detail: route.covered ? 'Already covered by a policy of this plugin.' : undefined,
    });
  }
  items.push({ label: ENTER_PATH, alwaysShow: true });
  const picked = await window.showQuickPick(items, {
    title: `Add Auth Policy to ${nameOf(init)}: which path?`,
    placeHolder: 'Relative to the plugin, e.g. /health (a prefix: /static also covers /static/logo.svg)',
  });
  if (!picked) return undefined;
  if (picked.label !== ENTER_PATH) return picked.label;
  return window.showInputBox({
    title: 'Add Auth Policy: path',
    prompt: "Relative to the plugin's base path; a prefix",
    value: '/',
    validateInput: (value) => (value === '*' || (value.startsWith('/') && !/['"`\\\s]/.test(value)) ? undefined : "Start with '/', without quotes or spaces"),
  });
}

async function chooseAllow(path: string): Promise<PolicyAllow | undefined> {
  const picked = await window.showQuickPick(ALLOW_CHOICES, { title: `Who may call ${path} without a Backstage token?` });
  return picked?.allow;
}

async function showAt(init: InitTargets): Promise<void> {
  const editor = await window.showTextDocument(Uri.parse(init.uri), { preview: false });
  const position = new Position(init.position.line, init.position.character);
  editor.selection = new Selection(position, position);
}

function nameOf(init: InitTargets): string {
  return init.feature === 'module' ? `module ${init.moduleId ?? '?'} of ${init.pluginId ?? '?'}` : `plugin ${init.pluginId ?? '?'}`;
}

function samePosition(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line === b.line && a.character === b.character;
}

function cancelled(reason: string): AddAuthPolicyOutcome {
  return { added: false, reason };
}
