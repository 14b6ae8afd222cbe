import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

/** The bookmarks plugin for the new backend system. */
export const bookmarksPlugin = createBackendPlugin({
  pluginId: 'bookmarks',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        identity: coreServices.identity,
        tokenManager: coreServices.tokenManager,
        permissions: coreServices.permissions,
        httpRouter: coreServices.httpRouter,
      },
      async init({
        logger,
        discovery,
        identity,
        tokenManager,
        permissions,
        httpRouter,
      }) {
        httpRouter.use(
          await createRouter({
            logger,
            discovery,
            identity,
            tokenManager,
            permissions,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/bookmarks', allow: 'user-cookie' });
      },
    });
  },
});
