// The registry: every rule, in one list. Front ends take rules from here and nowhere else.
import type { AnyRule } from '../engine/types';
import { configDefaultAuthPolicyDisabled } from '../config/rules/config-default-auth-policy-disabled';
import { configGuestOutsideDevelopment } from '../config/rules/config-guest-outside-development';
import { configGuestProviderInProduction } from '../config/rules/config-guest-provider-in-production';
import { bearerTokenForwarding } from './bearer-token-forwarding';
import { identityGetIdentity } from './identity-get-identity';
import { permissionEvaluatorType } from './permission-evaluator-type';
import { unusedLegacyBinding } from './unused-legacy-binding';
import { permissionsTokenOption } from './permissions-token-option';
import { createRouterDiscovery } from './create-router-discovery';
import { pluginDepsLegacyServices } from './plugin-deps-legacy-services';
import { routerAuthAdapters } from './router-auth-adapters';
import { tokenManagerAuthenticate } from './token-manager-authenticate';
import { tokenManagerGetToken } from './token-manager-get-token';

export const allRules: readonly AnyRule[] = [
  configDefaultAuthPolicyDisabled,
  configGuestOutsideDevelopment,
  configGuestProviderInProduction,
  permissionEvaluatorType,
  unusedLegacyBinding,
  pluginDepsLegacyServices,
  routerAuthAdapters,
  createRouterDiscovery,
  bearerTokenForwarding,
  permissionsTokenOption,
  identityGetIdentity,
  tokenManagerGetToken,
  tokenManagerAuthenticate,
];

export function ruleById(id: string): AnyRule | undefined {
  return allRules.find((rule) => rule.id === id);
}
