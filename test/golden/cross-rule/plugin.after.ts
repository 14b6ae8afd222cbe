import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import Router from 'express-promise-router';

export const standupJoinPermission = createPermission({
  name: 'standups.join',
  attributes: { action: 'update' },
});

/** Daily stand-ups per team, with the old services under names of the plugin's own. */
export const standupsPlugin = createBackendPlugin({
  pluginId: 'standups',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        perms: coreServices.permissions,
        users: coreServices.identity,
        tokens: coreServices.tokenManager,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
      },
      async init({ config, logger, discovery, httpRouter, perms, users, tokens, scheduler, httpAuth, auth }) {
        const catalog = new CatalogClient({ discoveryApi: discovery });
        const attendees = new Map<string, Set<string>>();
        const router = Router();

        router.post('/teams/:team/join', async (req, res) => {
          const credentials = await httpAuth.credentials(req, { allow: ['user'] });
          const [decision] = await perms.authorize([{ permission: standupJoinPermission }], { credentials });
          if (decision.result !== AuthorizeResult.ALLOW) {
            throw new NotAllowedError();
          }
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'catalog',
          });
          const team = await catalog.getEntityByRef(`group:default/${req.params.team}`, { token });
          if (!team) {
            res.status(404).end();
            return;
          }
          const members = attendees.get(req.params.team) ?? new Set<string>();
          members.add(credentials.principal.userEntityRef);
          attendees.set(req.params.team, members);
          res.status(204).end();
        });

        await scheduler.scheduleTask({
          id: 'standups-reset',
          frequency: { hours: 24 },
          timeout: { minutes: 1 },
          fn: async () => {
            const { token } = await auth.getPluginRequestToken({
              onBehalfOf: await auth.getOwnServiceCredentials(),
              targetPluginId: 'catalog',
            });
            const { items } = await catalog.getEntities({ filter: { kind: 'Group' } }, { token });
            logger.info(`resetting stand-ups of ${items.length} teams`);
            attendees.clear();
          },
        });

        // Posted to the notifications backend, whose address each organisation configures.
        const summaryUrl = config.getString('standups.notificationsUrl');
        await scheduler.scheduleTask({
          id: 'standups-summary',
          frequency: { hours: 24 },
          timeout: { minutes: 1 },
          fn: async () => {
            const { token } = await tokens.getToken();
            await fetch(summaryUrl, {
              method: 'POST',
              headers: { Authorization: `Bearer ${token}` },
              body: JSON.stringify([...attendees].map(([team, members]) => ({ team, members: [...members] }))),
            });
          },
        });

        httpRouter.use(router);
      },
    });
  },
});
