import { rootHttpRouterServiceFactory } from '@backstage/backend-app-api';
import { HostDiscovery, ServerTokenManager } from '@backstage/backend-common';
import {
  DefaultIdentityClient,
  getBearerTokenFromAuthorizationHeader,
} from '@backstage/plugin-auth-node';
import { NextFunction, Request, Response } from 'express';

/** The root router of the backend: what every request passes through before a plugin. */
export const rootHttpRouter = rootHttpRouterServiceFactory({
  configure({ app, middleware, routes, config, logger }) {
    const identity = DefaultIdentityClient.create({
      discovery: HostDiscovery.fromConfig(config),
    });
    const tokenManager = ServerTokenManager.fromConfig(config, { logger });

    // Carried over from the old backend (the contrib "authenticate API requests" recipe):
    // a user's Backstage token, or a service token from another backend.
    const requireToken = async (req: Request, res: Response, next: NextFunction) => {
      const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
      if (!token) {
        res.status(401).json({ error: { name: 'AuthenticationError', message: 'No token' } });
        return;
      }
      try {
        const user = await identity.getIdentity({ request: req });
        if (!user) {
          await tokenManager.authenticate(token);
        }
        next();
      } catch {
        res.status(401).json({ error: { name: 'AuthenticationError', message: 'Invalid token' } });
      }
    };

    app.use(middleware.helmet());
    app.use(middleware.cors());
    app.use(middleware.compression());
    app.use(middleware.logging());
    app.use('/api', requireToken);
    app.use(routes);
    app.use(middleware.notFound());
    app.use(middleware.error());
  },
});
