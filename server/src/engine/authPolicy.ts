// Pure edits behind the guided commands ("Add Auth Policy…", "Set Up Guest Sign-in…"): text in,
// text (or the reason it cannot be done) out. The commands decide what to ask the user; the
// same code runs in the quick fixes of missing-auth-policy and guest-provider-module.
import type { ProjectHost } from './types';
import { parseSource } from './source';
import {
  existingPolicies,
  httpRouterUses,
  insertAuthPolicy,
  isCovered,
  needsPolicy,
  pluginInits,
  policyProblem,
  routesOfHandler,
  type PolicyAllow,
  type RouteKind,
} from '../rules/shared/authPolicies';
import { addGuestProviderModuleEdit, editSource, type TextEditResult } from '../rules/shared/guestProvider';
import { ProjectReader } from '../rules/shared/project';

export type { PolicyAllow, RouteKind, TextEditResult };
export { addGuestProviderModuleEdit };

export interface AuthPolicyRequest {
  /** Relative to the plugin, a prefix: `/health` also covers `/health/db`. */
  path: string;
  allow: PolicyAllow;
}

export interface EditOptions {
  /** An offset inside the `registerInit(...)` call to edit, when the file has several. */
  at?: number;
}

/**
 * Adds `httpRouter.addAuthPolicy({ path, allow })` to the plugin's (or module's) init: right
 * after `httpRouter.use(...)` and the policies that follow it, else at the end of init; adds the
 * `httpRouter: coreServices.httpRouter` dep and init parameter when missing.
 */
export function addAuthPolicyEdit(
  fileText: string,
  fileName: string,
  policy: { path: string; allow: string },
  options: EditOptions = {},
): TextEditResult {
  const problem = policyProblem(policy);
  if (problem) return { ok: false, reason: problem };
  return editSource(fileText, fileName, (sourceFile) =>
    insertAuthPolicy(sourceFile, { path: policy.path, allow: policy.allow as PolicyAllow }, options.at),
  );
}

export interface RouteSuggestion {
  /** `GET`, `POST`, ..., `USE` for a mounted handler. */
  method: string;
  /** As written in the router. */
  path: string;
  /** The policy path that covers it (the route's path up to its first wildcard). */
  policyPath: string;
  kind: RouteKind;
  /** The file that declares the route. */
  fileName: string;
  /** 0-based line of the route in that file. */
  line: number;
  /** An auth policy of this file covers it (or might: a policy whose path is not a literal counts as covering). */
  covered: boolean;
  /** Health checks and static content without a policy yet: what the prompt should offer first. */
  suggested: boolean;
}

/**
 * The routes of the plugin(s) in `fileName` (read from the router module through `host` when the
 * router is built elsewhere), in source order, for the "Add Auth Policy…" prompt.
 */
export function listPluginRoutes(fileText: string, fileName: string, host: ProjectHost, options: EditOptions = {}): RouteSuggestion[] {
  const file = parseSource(fileName, fileText);
  const reader = new ProjectReader(host);
  const policies = existingPolicies(file);
  const module = { fileName, sourceFile: file };
  const inits = pluginInits(file).filter(
    (i) => options.at === undefined || (i.registerInit.getStart() <= options.at && options.at < i.registerInit.getEnd()),
  );
  const suggestions: RouteSuggestion[] = [];
  for (const init of inits) {
    for (const use of httpRouterUses(init)) {
      const found = routesOfHandler(use.arguments[0], module, reader);
      if (!found || 'unreadable' in found) continue;
      for (const route of found.routes) {
        const covered = isCovered(route, policies);
        suggestions.push({
          method: route.method,
          path: route.path,
          policyPath: route.policyPath,
          kind: route.kind,
          fileName: route.module.fileName,
          line: route.module.sourceFile.getLineAndCharacterOfPosition(route.node.getStart()).line,
          covered,
          suggested: needsPolicy(route) && !covered && !route.pathless,
        });
      }
    }
  }
  return suggestions;
}
