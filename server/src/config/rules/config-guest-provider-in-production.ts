import { dirname, join } from 'node:path';
import type { ConfigRule, ProjectHost } from '../../engine/types';
import { configEnvironment, isDevelopmentConfig, parseConfig } from '../../engine/config';
import { guide } from '../../rules/shared/docs';
import { findPair, keyRange, setScalarValue } from '../yamlText';

const GUEST = ['auth', 'providers', 'guest'];

/** Guest sign-in lets anyone in as a shared user: fine on a laptop, never in production. */
export const configGuestProviderInProduction: ConfigRule = {
  language: 'yaml',
  id: 'config-guest-provider-in-production',
  title: 'Guest sign-in enabled outside local development',
  severity: 'error',
  docsUrl: guide.backend,
  explanation:
    'The guest provider signs anyone in as `user:development/guest` without a password. Enable it only in a ' +
    'development config (`app-config.local.yaml`), and set `auth.providers.guest: null` in the production config ' +
    'so that no other file can turn it on there.',
  example: {
    fileName: 'app-config.production.yaml',
    before: 'auth:\n  providers:\n    guest: {}\n    github:\n      production:\n        clientId: ${GITHUB_CLIENT_ID}\n',
    after: 'auth:\n  providers:\n    guest: null\n    github:\n      production:\n        clientId: ${GITHUB_CLIENT_ID}\n',
  },
  triggers: ['guest'],

  detect({ fileName, document, host }) {
    if (isDevelopmentConfig(fileName)) return [];
    const located = findPair(document, GUEST);
    if (!located || located.pair.value?.toJSON() === null) return [];
    const environment = configEnvironment(fileName);
    if (environment === undefined) {
      // The base app-config.yaml is also loaded in production, unless production turns guest off.
      if (productionTurnsGuestOff(fileName, host)) return [];
      return [
        {
          range: keyRange(located),
          message:
            'Guest sign-in is enabled in the base config, which production also loads, and app-config.production.yaml does not set `guest: null`.',
          fixes: [{ id: 'null', title: 'Turn guest sign-in off here (guest: null)', preferred: false }],
        },
      ];
    }
    return [
      {
        range: keyRange(located),
        message: `Guest sign-in is enabled in the ${environment} config; anyone could sign in as the guest user.`,
        fixes: [{ id: 'null', title: 'Turn guest sign-in off (guest: null)', preferred: true }],
      },
    ];
  },

  fix({ text, document }) {
    return setScalarValue(text, document, GUEST, 'null');
  },
};

function productionTurnsGuestOff(fileName: string, host: ProjectHost): boolean {
  for (const name of ['app-config.production.yaml', 'app-config.production.yml']) {
    const text = host.readFile(join(dirname(fileName), name));
    if (text === undefined) continue;
    const guest = findPair(parseConfig(text), GUEST);
    return guest !== undefined && guest.pair.value?.toJSON() === null;
  }
  return false;
}
