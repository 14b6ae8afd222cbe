import type { ConfigRule } from '../../engine/types';
import { guide } from '../../rules/shared/docs';
import { findPair, keyRange, removePair } from '../yamlText';

const PATH = ['backend', 'auth', 'dangerouslyDisableDefaultAuthPolicy'];

/** The escape hatch that lets unauthenticated requests reach every plugin. */
export const configDefaultAuthPolicyDisabled: ConfigRule = {
  language: 'yaml',
  id: 'config-default-auth-policy-disabled',
  title: 'Default auth policy turned off',
  severity: 'warning',
  docsUrl: guide.disablePolicy,
  explanation:
    'With `backend.auth.dangerouslyDisableDefaultAuthPolicy: true` every plugin accepts requests without any credentials ' +
    '(they arrive as the `none` principal) and `httpRouter.addAuthPolicy` does nothing. It exists to buy time while plugins are ' +
    'migrated; Backstage plans to remove it. Migrate the plugins, then delete the key.',
  example: {
    option: 'remove',
    fileName: 'app-config.yaml',
    before: 'backend:\n  baseUrl: http://localhost:7007\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n',
    after: 'backend:\n  baseUrl: http://localhost:7007\n',
  },
  triggers: ['dangerouslyDisableDefaultAuthPolicy'],

  detect({ document }) {
    const located = findPair(document, PATH);
    if (!located || located.pair.value?.toJSON() !== true) return [];
    return [
      {
        range: keyRange(located),
        message:
          'The default auth policy is off: every plugin accepts unauthenticated requests. Meant only as a temporary step.',
        fixes: [
          {
            id: 'remove',
            title: 'Remove it (turn the default auth policy back on)',
            // Turning auth back on can break plugins that are not migrated yet: the user decides.
            preferred: false,
          },
        ],
      },
    ];
  },

  fix({ text, document }) {
    return removePair(text, document, PATH);
  },
};
