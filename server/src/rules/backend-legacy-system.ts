import type { Rule } from '../engine/types';
import { rangeOf } from './shared/ast';
import { legacyBackendMarkers } from './shared/backendEntry';
import { guide } from './shared/docs';

/** Information only: the example is the code the rule points at (there is no rewrite). */
const EXAMPLE = [
  "import { createServiceBuilder, useHotMemoize } from '@backstage/backend-common';",
  '',
  'async function main() {',
  '  const database = useHotMemoize(module, () => createDatabase());',
  "  const service = createServiceBuilder(module).addRouter('/api', await apiRouter(database));",
  '  await service.start();',
  '}',
  '',
].join('\n');

const MIGRATE_BACKEND = 'https://backstage.io/docs/backend-system/building-backends/migrating';

/**
 * The auth services, and the default auth policy that protects every plugin, exist only in the
 * new backend system: a backend on the old one has to move first. Too big for a quick fix.
 */
export const backendLegacySystem: Rule = {
  id: 'backend-legacy-system',
  title: 'Backend still on the old backend system',
  severity: 'information',
  docsUrl: `${guide.root}#backend-migration`,
  explanation:
    'The `auth`, `httpAuth` and `httpRouter.addAuthPolicy` services, and the default auth policy that rejects ' +
    'unauthenticated requests, only exist in the new backend system (`createBackend()` and `backend.add(...)`). ' +
    `A backend wired with \`createServiceBuilder\` and a \`PluginEnvironment\` per plugin has to be migrated first: ${MIGRATE_BACKEND}. ` +
    'Plugins can be migrated before that; `createLegacyAuthAdapters` keeps them working on the old system.',
  example: {
    fileName: 'packages/backend/src/index.ts',
    before: EXAMPLE,
    after: EXAMPLE,
  },
  triggers: ['createServiceBuilder', 'useHotMemoize', 'makeCreateEnv'],

  detect(ctx) {
    const markers = legacyBackendMarkers(ctx.sourceFile);
    if (!markers) return [];
    return [
      {
        range: rangeOf(markers.anchor),
        message:
          `This backend runs the old backend system (${markers.seen.map((s) => `\`${s}\``).join(', ')}). ` +
          `The new auth services and the default auth policy need the new backend system; migrate the backend first: ${MIGRATE_BACKEND}`,
        notFixableReason: 'moving a backend to the new backend system is a manual migration (one `backend.add(...)` per plugin)',
      },
    ];
  },
};
