// The small Backstage repo that "Set Up Guest Provider" runs on in the e2e tests: npm workspaces
// (package-lock.json, so the command picks npm), a backend on the new backend system that adds
// the auth plugin, guest sign-in in neither config yet. Written by the driver, read back by the
// suite; `expected` is what the command must leave behind, byte for byte. No `vscode` import: the
// driver (plain Node) uses this file too.

export const GUEST_MODULE = '@backstage/plugin-auth-backend-module-guest-provider';
/** The version the test registry serves (the latest it knows). */
export const GUEST_MODULE_VERSION = '0.2.0';

const ROOT_PACKAGE = `{
  "name": "guest-demo",
  "private": true,
  "workspaces": [
    "packages/*"
  ]
}
`;

const BACKEND_PACKAGE = `{
  "name": "backend",
  "version": "0.0.0",
  "private": true,
  "main": "src/index.ts"
}
`;

const BACKEND_PACKAGE_AFTER = `{
  "name": "backend",
  "version": "0.0.0",
  "private": true,
  "main": "src/index.ts",
  "dependencies": {
    "${GUEST_MODULE}": "^${GUEST_MODULE_VERSION}"
  }
}
`;

/** What `npm install` writes for this tree before anything is added. */
const LOCKFILE = `{
  "name": "guest-demo",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "guest-demo",
      "workspaces": [
        "packages/*"
      ]
    },
    "node_modules/backend": {
      "resolved": "packages/backend",
      "link": true
    },
    "packages/backend": {
      "version": "0.0.0"
    }
  }
}
`;

/** The lockfile after `npm install`, with what the registry served (npm's own layout). */
export function guestLockfileAfter(tarballUrl: string, integrity: string): string {
  return `{
  "name": "guest-demo",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "guest-demo",
      "workspaces": [
        "packages/*"
      ]
    },
    "node_modules/${GUEST_MODULE}": {
      "version": "${GUEST_MODULE_VERSION}",
      "resolved": "${tarballUrl}",
      "integrity": "${integrity}",
      "license": "Apache-2.0"
    },
    "node_modules/backend": {
      "resolved": "packages/backend",
      "link": true
    },
    "packages/backend": {
      "version": "0.0.0",
      "dependencies": {
        "${GUEST_MODULE}": "^${GUEST_MODULE_VERSION}"
      }
    }
  }
}
`;
}

const BACKEND_INDEX = `import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend/alpha'));
// Sign-in: the providers come from app-config.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-catalog-backend/alpha'));

backend.start();
`;

const BACKEND_INDEX_AFTER = `import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend/alpha'));
// Sign-in: the providers come from app-config.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('${GUEST_MODULE}'));
backend.add(import('@backstage/plugin-catalog-backend/alpha'));

backend.start();
`;

const DEV_CONFIG = `app:
  title: Guest demo
  baseUrl: http://localhost:3000

backend:
  baseUrl: http://localhost:7007
  database:
    client: better-sqlite3
    connection: ':memory:'

auth:
  environment: development
  providers:
    # GitHub sign-in needs an OAuth app of your own.
    github:
      development:
        clientId: \${AUTH_GITHUB_CLIENT_ID}
        clientSecret: \${AUTH_GITHUB_CLIENT_SECRET}
`;

const DEV_CONFIG_AFTER = `app:
  title: Guest demo
  baseUrl: http://localhost:3000

backend:
  baseUrl: http://localhost:7007
  database:
    client: better-sqlite3
    connection: ':memory:'

auth:
  environment: development
  providers:
    # GitHub sign-in needs an OAuth app of your own.
    github:
      development:
        clientId: \${AUTH_GITHUB_CLIENT_ID}
        clientSecret: \${AUTH_GITHUB_CLIENT_SECRET}
    guest: {}
`;

const PRODUCTION_CONFIG = `backend:
  baseUrl: https://backstage.example.com
  database:
    client: pg

auth:
  environment: production
  providers:
    github:
      production:
        clientId: \${AUTH_GITHUB_CLIENT_ID}
        clientSecret: \${AUTH_GITHUB_CLIENT_SECRET}
`;

const PRODUCTION_CONFIG_AFTER = `backend:
  baseUrl: https://backstage.example.com
  database:
    client: pg

auth:
  environment: production
  providers:
    github:
      production:
        clientId: \${AUTH_GITHUB_CLIENT_ID}
        clientSecret: \${AUTH_GITHUB_CLIENT_SECRET}
    guest: null
`;

/** Relative path -> text, before the command runs. */
export const GUEST_REPO: Readonly<Record<string, string>> = {
  'package.json': ROOT_PACKAGE,
  'package-lock.json': LOCKFILE,
  'packages/backend/package.json': BACKEND_PACKAGE,
  'packages/backend/src/index.ts': BACKEND_INDEX,
  'app-config.yaml': DEV_CONFIG,
  'app-config.production.yaml': PRODUCTION_CONFIG,
};

/** The files the command changes, after it ran; the others stay as they were (the lockfile aside). */
export const GUEST_REPO_AFTER: Readonly<Record<string, string>> = {
  'packages/backend/package.json': BACKEND_PACKAGE_AFTER,
  'packages/backend/src/index.ts': BACKEND_INDEX_AFTER,
  'app-config.yaml': DEV_CONFIG_AFTER,
  'app-config.production.yaml': PRODUCTION_CONFIG_AFTER,
};
