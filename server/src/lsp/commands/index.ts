// workspace/executeCommand: the guided commands' server side (see protocol.ts). A command that
// cannot do its job returns `{ ok: false, reason }`; malformed arguments are an InvalidParams error.
import type { Connection } from 'vscode-languageserver';
import { addAuthPolicy, authPolicyTargets, findPlugins } from './authPolicy';
import { invalid, type CommandContext } from './context';
import { migrateFile, migrateWorkspace } from './migrate';
import { SERVER_COMMANDS } from './protocol';
import { disableDefaultAuthPolicy, guestSetupPlan } from './setup';

export type { CommandContext } from './context';

/** For the `executeCommandProvider` capability. */
export const SERVER_COMMAND_IDS: string[] = Object.values(SERVER_COMMANDS);

export function registerServerCommands(connection: Connection, context: CommandContext): void {
  connection.onExecuteCommand(async (params, token, progress) => {
    const args = params.arguments;
    switch (params.command) {
      case SERVER_COMMANDS.findPlugins:
        return findPlugins(context, args);
      case SERVER_COMMANDS.authPolicyTargets:
        return authPolicyTargets(context, args);
      case SERVER_COMMANDS.addAuthPolicy:
        return addAuthPolicy(context, args);
      case SERVER_COMMANDS.guestSetupPlan:
        return guestSetupPlan(context, args);
      case SERVER_COMMANDS.disableDefaultAuthPolicy:
        return disableDefaultAuthPolicy(context, args);
      case SERVER_COMMANDS.migrateFile:
        return migrateFile(context, args);
      case SERVER_COMMANDS.migrateWorkspace:
        return migrateWorkspace(context, args, token, progress);
      default:
        throw invalid(`unknown command ${params.command}`);
    }
  });
}
