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
import { authServicesUnavailable } from './auth-services-unavailable';
import { backendLegacySystem } from './backend-legacy-system';
import { contribAuthMiddleware } from './contrib-auth-middleware';
import { customLegacyService } from './custom-legacy-service';
import { guestProviderModule } from './guest-provider-module';
import { missingAuthPolicy } from './missing-auth-policy';

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
  authServicesUnavailable,
  backendLegacySystem,
  contribAuthMiddleware,
  customLegacyService,
  guestProviderModule,
  missingAuthPolicy,
];

export function ruleById(id: string): AnyRule | undefined {
  return allRules.find((rule) => rule.id === id);
}
