import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouter } from './rootHttpRouter';

// The backend moved to the new backend system; its plugins are being migrated one by one.
const backend = createBackend();

backend.add(rootHttpRouter);
backend.add(import('@backstage/plugin-app-backend/alpha'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(import('@backstage/plugin-catalog-backend/alpha'));
backend.add(import('@backstage/plugin-permission-backend/alpha'));
backend.add(import('@backstage/plugin-permission-backend-module-allow-all-policy'));

// Our own plugins (plugins/ in this repository).
backend.add(import('@internal/plugin-bookmarks-backend'));
backend.add(import('@internal/plugin-bookmarks-backend-module-digest'));

backend.start();
