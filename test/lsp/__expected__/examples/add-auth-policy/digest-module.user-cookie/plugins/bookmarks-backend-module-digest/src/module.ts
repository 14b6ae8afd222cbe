import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

interface PopularItem {
  entityRef: string;
  count: number;
}

/** Posts the week's most bookmarked entities to a chat webhook. */
export const bookmarksModuleDigest = createBackendModule({
  pluginId: 'bookmarks',
  moduleId: 'digest',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        tokens: coreServices.tokenManager,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, scheduler, discovery, tokens, httpRouter }) {
        httpRouter.addAuthPolicy({ path: '/digest', allow: 'user-cookie' });
        const webhookUrl = config.getOptionalString('bookmarks.digest.webhookUrl');
        if (!webhookUrl) {
          logger.info('No digest webhook configured; the digest is off');
          return;
        }
        await scheduler.scheduleTask({
          id: 'bookmarks-weekly-digest',
          frequency: { days: 7 },
          timeout: { minutes: 5 },
          fn: async () => {
            const { token } = await tokens.getToken();
            const baseUrl = await discovery.getBaseUrl('bookmarks');
            const response = await fetch(`${baseUrl}/digest-data`, {
              headers: { Authorization: `Bearer ${token}` },
            });
            if (!response.ok) {
              throw new Error(`Digest data request failed: ${response.status}`);
            }
            const { items } = (await response.json()) as { items: PopularItem[] };
            const lines = items.map((i) => `${i.entityRef} (${i.count})`);
            await fetch(webhookUrl, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ text: `Most bookmarked this week:\n${lines.join('\n')}` }),
            });
          },
        });
      },
    });
  },
});
