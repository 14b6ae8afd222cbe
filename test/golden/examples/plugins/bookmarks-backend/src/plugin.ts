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
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        httpRouter: coreServices.httpRouter,
      },
      async init({
        logger,
        discovery,
        auth,
        httpAuth,
        permissions,
        httpRouter,
      }) {
        httpRouter.use(
          await createRouter({
            logger,
            discovery,
            auth,
            httpAuth,
            permissions,
          }),
        );
      },
    });
  },
});
