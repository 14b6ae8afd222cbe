import type { Rule, RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import { developmentValue, GUEST_PROVIDER_PATH, repoConfigs } from './shared/appConfigs';
import { featureAdds, GUEST_PROVIDER_MODULE } from './shared/backendEntry';
import { guide } from './shared/docs';
import { authPluginAdd, guestModuleRefusal, hasGuestProviderModule, insertGuestProviderModule } from './shared/guestProvider';

/**
 * Since 1.24 guest sign-in is a provider module of the auth backend: `auth.providers.guest` in
 * the development config does nothing unless the backend adds the module, and the module does
 * nothing without that config.
 */
export const guestProviderModule: Rule = {
  id: 'guest-provider-module',
  title: 'Guest provider module and guest config out of step',
  // Local development only: production never loads the guest provider.
  severity: 'information',
  docsUrl: guide.backend,
  explanation:
    'With the default auth policy, local development needs a signed-in user, and guest sign-in is now the ' +
    '`@backstage/plugin-auth-backend-module-guest-provider` module of the auth backend. It takes effect only when the ' +
    'backend adds the module and a development config (`app-config.local.yaml`, else `app-config.yaml`) sets ' +
    '`auth.providers.guest`. The fix adds the module after the auth plugin; add the package to `packages/backend` as well.',
  example: {
    fileName: 'packages/backend/src/index.ts',
    // Without app-config files next to it the rule cannot tell whether guest sign-in is wanted.
    before: [
      "import { createBackend } from '@backstage/backend-defaults';",
      '',
      'const backend = createBackend();',
      "backend.add(import('@backstage/plugin-auth-backend'));",
      'backend.start();',
      '',
    ].join('\n'),
    after: [
      "import { createBackend } from '@backstage/backend-defaults';",
      '',
      'const backend = createBackend();',
      "backend.add(import('@backstage/plugin-auth-backend'));",
      'backend.start();',
      '',
    ].join('\n'),
  },
  triggers: ['plugin-auth-backend'],

  detect(ctx) {
    const auth = authPluginAdd(ctx.sourceFile);
    const guestAdded = hasGuestProviderModule(ctx.sourceFile);
    if (!auth && !guestAdded) return [];
    const configs = repoConfigs(ctx.host, ctx.fileName);
    if (!configs) return [];
    const development = developmentValue(configs, GUEST_PROVIDER_PATH);
    const enabled = development.value !== undefined && development.value !== null;
    const findings: RuleFinding[] = [];

    if (auth && enabled && !guestAdded) {
      const refusal = guestModuleRefusal(auth);
      findings.push({
        range: rangeOf(auth.call),
        message:
          `${development.file!.name} enables \`auth.providers.guest\`, but this backend does not add ` +
          `\`${GUEST_PROVIDER_MODULE}\`, so guest sign-in is not available.`,
        ...(refusal
          ? { notFixableReason: refusal }
          : { fixes: [{ id: 'add-guest-module', title: 'Add the guest provider module after the auth plugin', preferred: true }] }),
      });
    }

    const guestAdd = featureAdds(ctx.sourceFile).find((add) => add.packageName === GUEST_PROVIDER_MODULE);
    if (guestAdd && !enabled) {
      const where = configs.files.filter((f) => f.role !== 'production').map((f) => f.name);
      findings.push({
        range: rangeOf(guestAdd.call),
        message:
          `The guest provider module is added, but no development config (${where.join(', ') || 'none found'}) ` +
          'enables `auth.providers.guest`, so nobody can sign in as guest.',
        notFixableReason:
          'add `auth: { providers: { guest: {} } }` to app-config.local.yaml (development only), or remove the module if guest sign-in is not wanted',
      });
    }
    return findings;
  },

  fix({ sourceFile }) {
    insertGuestProviderModule(sourceFile);
  },
};
