// A large legacy plugin router, as a team would have grown it before 1.24: per resource a store
// that calls the catalog with a token manager token, a PermissionEvaluator check with the
// caller's bearer token, and routes that read the user from the identity service.
const RESOURCES = [
  'bookmark', 'shelf', 'tag', 'note', 'reading', 'review', 'highlight', 'comment', 'collection', 'reminder',
  'subscription', 'digest', 'badge', 'streak', 'import', 'export', 'share', 'vote', 'flag', 'archive',
  'draft', 'template', 'label', 'folder', 'mention', 'feed', 'pin', 'quote', 'series', 'wishlist',
];

const HEADER = `import {
  errorHandler,
  PluginEndpointDiscovery,
  TokenManager,
} from '@backstage/backend-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { getBearerTokenFromAuthorizationHeader, IdentityApi } from '@backstage/plugin-auth-node';
import {
  AuthorizeResult,
  BasicPermission,
  createPermission,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  logger: LoggerService;
  discovery: PluginEndpointDiscovery;
  identity: IdentityApi;
  tokenManager: TokenManager;
  /** Decides who may read and change library records. */
  permissions: PermissionEvaluator;
}

/** Asks the permission framework with the caller's own token. */
async function isAllowed(
  permissions: PermissionEvaluator,
  permission: BasicPermission,
  token: string | undefined,
): Promise<boolean> {
  const [decision] = await permissions.authorize([{ permission }], { token });
  return decision.result === AuthorizeResult.ALLOW;
}
`;

function capitalize(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

function resourceBlock(name: string): string {
  const type = capitalize(name);
  return `
// ${'-'.repeat(20)} ${name} records ${'-'.repeat(40 - name.length)}

export const ${name}ReadPermission = createPermission({
  name: 'library.${name}.read',
  attributes: { action: 'read' },
});

export const ${name}DeletePermission = createPermission({
  name: 'library.${name}.delete',
  attributes: { action: 'delete' },
});

export interface ${type}Record {
  id: string;
  title: string;
  owner: string;
  createdAt: string;
  tags: string[];
}

/** Keeps ${name} records in memory and checks owners against the catalog. */
export class ${type}Store {
  private readonly records = new Map<string, ${type}Record>();

  constructor(
    private readonly discovery: PluginEndpointDiscovery,
    private readonly tokenManager: TokenManager,
    private readonly logger: LoggerService,
  ) {}

  async ownerExists(owner: string): Promise<boolean> {
    const { token } = await this.tokenManager.getToken();
    const catalogUrl = await this.discovery.getBaseUrl('catalog');
    const response = await fetch(\`\${catalogUrl}/entities/by-ref/\${encodeURIComponent(owner)}\`, {
      headers: { Authorization: \`Bearer \${token}\` },
    });
    this.logger.debug(\`${name} owner lookup for \${owner}: \${response.status}\`);
    return response.ok;
  }

  list(owner: string): ${type}Record[] {
    return [...this.records.values()].filter((record) => record.owner === owner);
  }

  add(record: ${type}Record): void {
    this.records.set(record.id, record);
  }

  remove(id: string): boolean {
    return this.records.delete(id);
  }
}

function register${type}Routes(router: express.Router, options: RouterOptions, store: ${type}Store): void {
  const { identity, permissions, logger } = options;

  router.get('/${name}s', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    if (!user) {
      res.status(401).json({ error: 'sign in to see your ${name}s' });
      return;
    }
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    if (!(await isAllowed(permissions, ${name}ReadPermission, token))) {
      res.status(403).json({ error: 'not allowed' });
      return;
    }
    res.json(store.list(user.identity.userEntityRef));
  });

  router.post('/${name}s', async (req, res) => {
    const user = await identity.getIdentity({ request: req });
    const owner = user?.identity.userEntityRef ?? 'user:default/guest';
    if (!(await store.ownerExists(owner))) {
      res.status(400).json({ error: \`unknown owner \${owner}\` });
      return;
    }
    const record: ${type}Record = {
      id: String(Date.now()),
      title: String(req.body.title ?? 'untitled'),
      owner,
      createdAt: new Date().toISOString(),
      tags: Array.isArray(req.body.tags) ? req.body.tags.map(String) : [],
    };
    store.add(record);
    logger.info(\`\${owner} added ${name} \${record.id}\`);
    res.status(201).json(record);
  });

  router.delete('/${name}s/:id', async (req, res) => {
    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));
    if (!(await isAllowed(permissions, ${name}DeletePermission, token))) {
      res.status(403).json({ error: 'not allowed' });
      return;
    }
    res.status(store.remove(req.params.id) ? 204 : 404).end();
  });
}
`;
}

/** Resource names, unique however many blocks are needed. */
function nameAt(index: number): string {
  const round = Math.floor(index / RESOURCES.length);
  return RESOURCES[index % RESOURCES.length] + (round > 0 ? String(round) : '');
}

/** At least `minLines` lines: whole resource blocks, then the router that wires them. */
export function generateLegacyRouter(minLines: number): string {
  const names: string[] = [];
  const blocks: string[] = [];
  let lines = HEADER.split('\n').length + 20;
  while (lines < minLines) {
    names.push(nameAt(names.length));
    blocks.push(resourceBlock(names[names.length - 1]));
    lines += blocks[blocks.length - 1].split('\n').length - 1;
  }
  const wiring = names
    .map((name) => `  register${capitalize(name)}Routes(router, options, new ${capitalize(name)}Store(discovery, tokenManager, logger));`)
    .join('\n');
  return `${HEADER}${blocks.join('')}
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, discovery, tokenManager } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

${wiring}

  router.use(errorHandler());
  return router;
}
`;
}
