// "Disable Default Auth Policy (temporary)": after a modal warning that says what it turns off,
// the server adds `backend.auth.dangerouslyDisableDefaultAuthPolicy: true` to the chosen config.
import { Uri, window, workspace } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type EditResult } from '../../../server/src/lsp/commands/protocol';
import { applyServerEdit, serverCommand } from './server';

/** Arguments that skip the prompts: `{ uri, confirmed: true }`. */
export interface DisableDefaultPolicyArgs {
  /** The app-config file. */
  uri?: string;
  confirmed?: boolean;
}

export type DisableDefaultPolicyOutcome = { changed: true } | { changed: false; reason: string };

const TURN_OFF = 'Turn Off the Default Auth Policy';

export async function disableDefaultPolicyCommand(client: LanguageClient, given: DisableDefaultPolicyArgs = {}): Promise<DisableDefaultPolicyOutcome> {
  if (!workspace.isTrusted) {
    const reason = 'it weakens the backend\'s auth, which Restricted Mode does not allow; trust the workspace first';
    void window.showErrorMessage(`Backstage Auth: ${reason}.`);
    return { changed: false, reason };
  }
  const uri = given.uri ?? (await chooseConfig());
  if (!uri) return { changed: false, reason: 'no config file chosen' };
  const name = workspace.asRelativePath(Uri.parse(uri));

  if (!given.confirmed) {
    const answer = await window.showWarningMessage(
      `Turn off the default auth policy in ${name}?`,
      {
        modal: true,
        detail: [
          'Every plugin of the backend will then accept requests without any credentials (they arrive as unauthenticated).',
          'Policies added with httpRouter.addAuthPolicy have no effect while it is off.',
          'Only use it for a short time while plugins are migrated; Backstage will remove this option. Never ship it to production.',
        ].join('\n\n'),
      },
      TURN_OFF,
    );
    if (answer !== TURN_OFF) return { changed: false, reason: 'not confirmed' };
  }

  const result = await serverCommand<EditResult>(client, SERVER_COMMANDS.disableDefaultAuthPolicy, { uri });
  if (!result.ok) {
    void window.showErrorMessage(`Backstage Auth: ${name} was not changed: ${result.reason}.`);
    return { changed: false, reason: result.reason };
  }
  if (!(await applyServerEdit(client, result.edit))) return { changed: false, reason: 'the editor did not apply the edit' };
  void window.showWarningMessage(`Backstage Auth: the default auth policy is off in ${name}. Remove the key once the plugins are migrated.`);
  return { changed: true };
}

async function chooseConfig(): Promise<string | undefined> {
  const files = await workspace.findFiles('**/app-config*.{yaml,yml}', '**/node_modules/**');
  if (files.length === 0) {
    void window.showWarningMessage('Backstage Auth: there is no app-config*.yaml in the workspace.');
    return undefined;
  }
  // Local development configs first: the only place this option belongs.
  const rank = (uri: Uri) => (/\.local\./.test(uri.path) ? 0 : /\.production\./.test(uri.path) ? 2 : 1);
  const sorted = files.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  const picked = await window.showQuickPick(
    sorted.map((uri) => ({ label: workspace.asRelativePath(uri), uri })),
    { title: 'Disable Default Auth Policy: in which config file?' },
  );
  return picked?.uri.toString();
}
