import { rootHttpRouterServiceFactory } from '@backstage/backend-app-api';

/** The root router of the backend: what every request passes through before a plugin. */
export const rootHttpRouter = rootHttpRouterServiceFactory({
  configure({ app, middleware, routes, config, logger }) {
    app.use(middleware.helmet());
    app.use(middleware.cors());
    app.use(middleware.compression());
    app.use(middleware.logging());
    app.use(routes);
    app.use(middleware.notFound());
    app.use(middleware.error());
  },
});
