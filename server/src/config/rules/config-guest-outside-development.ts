import type { ConfigRule } from '../../engine/types';
import { guide } from '../../rules/shared/docs';
import { findPair, keyRange, removePair } from '../yamlText';

const PATH = ['auth', 'providers', 'guest', 'dangerouslyAllowOutsideDevelopment'];

/** The override that lets the guest provider run when NODE_ENV is not 'development'. */
export const configGuestOutsideDevelopment: ConfigRule = {
  language: 'yaml',
  id: 'config-guest-outside-development',
  title: 'Guest sign-in allowed outside development',
  severity: 'warning',
  docsUrl: guide.backend,
  explanation:
    'The guest provider refuses to run unless `NODE_ENV` is `development`. ' +
    '`dangerouslyAllowOutsideDevelopment: true` removes that safety net, so a deployed Backstage lets anyone sign in ' +
    'as the guest user. Keep it only for throwaway demo instances.',
  example: {
    option: 'remove',
    fileName: 'app-config.local.yaml',
    before: 'auth:\n  providers:\n    guest:\n      userEntityRef: user:default/demo\n      dangerouslyAllowOutsideDevelopment: true\n',
    after: 'auth:\n  providers:\n    guest:\n      userEntityRef: user:default/demo\n',
  },
  triggers: ['dangerouslyAllowOutsideDevelopment'],

  detect({ document }) {
    const located = findPair(document, PATH);
    if (!located || located.pair.value?.toJSON() !== true) return [];
    return [
      {
        range: keyRange(located),
        message: 'Guest sign-in is allowed outside development; a deployed instance would let anyone in.',
        fixes: [{ id: 'remove', title: 'Remove it (guest sign-in only in development)', preferred: false }],
      },
    ];
  },

  fix({ text, document }) {
    return removePair(text, document, PATH);
  },
};
