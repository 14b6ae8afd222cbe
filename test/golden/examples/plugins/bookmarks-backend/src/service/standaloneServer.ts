import {
  createServiceBuilder,
  HostDiscovery,
  loadBackendConfig,
  ServerTokenManager,
} from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { Server } from 'http';
import { createRouter } from './router';

export interface ServerOptions {
  port: number;
  logger: LoggerService;
}

/** Runs the plugin on its own for local development (old backend system). */
export async function startStandaloneServer(options: ServerOptions): Promise<Server> {
  const logger = options.logger.child({ service: 'bookmarks-backend' });
  const config = await loadBackendConfig({ logger, argv: process.argv });
  const discovery = HostDiscovery.fromConfig(config);
  const tokenManager = ServerTokenManager.noop();
  const permissions = ServerPermissionClient.fromConfig(config, {
    discovery,
    tokenManager,
  });
  const router = await createRouter({
    logger,
    discovery,
    tokenManager,
    permissions,
  });

  const service = createServiceBuilder(module)
    .setPort(options.port)
    .addRouter('/bookmarks', router);
  return await service.start().catch((err) => {
    logger.error(`Failed to start: ${err}`);
    process.exit(1);
  });
}
