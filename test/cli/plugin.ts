// A small legacy backend plugin written for the CLI tests. Only `PermissionEvaluator` types
// are old here, so the findings are those of `permission-evaluator-type` (the tests that
// assert exact output also pass `--rule permission-evaluator-type`).

export const ROUTER = `import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  logger: LoggerService;
  // Decides who may see which bookmark.
  permissions: PermissionEvaluator;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger } = options;
  const router = Router();
  router.get('/health', (_req, res) => {
    logger.debug('health check');
    res.json({ status: 'ok', allow: AuthorizeResult.ALLOW });
  });
  return router;
}
`;

export const ROUTER_FIXED = `import { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  logger: LoggerService;
  // Decides who may see which bookmark.
  permissions: PermissionsService;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger } = options;
  const router = Router();
  router.get('/health', (_req, res) => {
    logger.debug('health check');
    res.json({ status: 'ok', allow: AuthorizeResult.ALLOW });
  });
  return router;
}
`;

export const ACCESS = `import type { PermissionEvaluator } from '@backstage/plugin-permission-common';

/** Hands the evaluator to the bookmark store. */
export class BookmarkAccess {
  constructor(private readonly evaluator: PermissionEvaluator) {}

  get permissions(): PermissionEvaluator {
    return this.evaluator;
  }
}
`;

export const ACCESS_FIXED = `import type { PermissionsService } from '@backstage/backend-plugin-api';

/** Hands the evaluator to the bookmark store. */
export class BookmarkAccess {
  constructor(private readonly evaluator: PermissionsService) {}

  get permissions(): PermissionsService {
    return this.evaluator;
  }
}
`;

/** Does not parse (a missing closing brace): findings are reported, no fix is offered. */
export const BROKEN = `import { PermissionEvaluator } from '@backstage/plugin-permission-common';

export function check(permissions: PermissionEvaluator) {
  return permissions;
`;

export const INDEX = `export { createRouter } from './service/router';
export type { RouterOptions } from './service/router';
`;

export const PACKAGE_JSON = `{
  "name": "@internal/plugin-bookmarks-backend",
  "version": "0.1.0",
  "main": "src/index.ts"
}
`;

/** The plugin as a folder tree, plus files the walk must not read. */
export function pluginTree(): Record<string, string | Buffer> {
  return {
    'package.json': PACKAGE_JSON,
    'src/index.ts': INDEX,
    'src/service/router.ts': ROUTER,
    'src/service/access.ts': ACCESS,
    // Skipped by name wherever they are:
    'node_modules/@backstage/legacy/index.ts': ACCESS,
    'dist/service/router.js': ROUTER,
    'src/dist/old.ts': ACCESS,
  };
}
