// A synthetic Backstage monorepo, shaped like real ones: packages/app and packages/backend,
// then pairs of plugins: a frontend (API client, React pages and cards with their tests) and a
// backend (new-system plugin, express router with tests, database store, migrations). About 1%
// of the files still use the pre-1.24 auth patterns. Everything is deterministic: the same
// options give the same tree, byte for byte.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateLegacyRouter } from '../file/generate';

export interface MonorepoOptions {
  /** At least this many source files (default 10,000). */
  files?: number;
  /** Share of plugin backends whose router and plugin still use the old auth (default 0.2: about 1% of the files). */
  legacyShare?: number;
}

export interface GeneratedMonorepo {
  files: number;
  bytes: number;
  /** Files written with old auth patterns (what `check` must find). */
  legacyFiles: string[];
}

const WORDS = [
  'catalog', 'scaffold', 'search', 'techdocs', 'kubernetes', 'sonar', 'pagerduty', 'jenkins', 'lighthouse',
  'cost', 'radar', 'explore', 'playlist', 'badges', 'todo', 'shortcuts', 'bazaar', 'announce', 'entity', 'feedback',
  'incident', 'release', 'quota', 'billing', 'deploy', 'runbook', 'oncall', 'linter', 'insights', 'notes',
];

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
const camel = (name: string) => pascal(name).replace(/^\w/, (c) => c.toLowerCase());

function frontendClient(plugin: string): string {
  const type = pascal(plugin);
  return `import { createApiRef, DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

export interface ${type}Item {
  id: string;
  title: string;
  owner: string;
  updatedAt: string;
}

export interface ${type}Api {
  listItems(options?: { owner?: string }): Promise<${type}Item[]>;
  getItem(id: string): Promise<${type}Item | undefined>;
}

export const ${camel(plugin)}ApiRef = createApiRef<${type}Api>({ id: 'plugin.${plugin}.service' });

/** Talks to the ${plugin} backend; the fetch API adds the user's credentials. */
export class ${type}Client implements ${type}Api {
  constructor(private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  async listItems(options?: { owner?: string }): Promise<${type}Item[]> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('${plugin}');
    const query = options?.owner ? \`?owner=\${encodeURIComponent(options.owner)}\` : '';
    const response = await this.options.fetchApi.fetch(\`\${baseUrl}/items\${query}\`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  async getItem(id: string): Promise<${type}Item | undefined> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('${plugin}');
    const response = await this.options.fetchApi.fetch(\`\${baseUrl}/items/\${encodeURIComponent(id)}\`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
`;
}

function frontendPlugin(plugin: string): string {
  const type = pascal(plugin);
  return `import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ${type}Client, ${camel(plugin)}ApiRef } from './api';
import { rootRouteRef } from './routes';

export const ${camel(plugin)}Plugin = createPlugin({
  id: '${plugin}',
  apis: [
    createApiFactory({
      api: ${camel(plugin)}ApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new ${type}Client({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

export const ${type}Page = ${camel(plugin)}Plugin.provide(
  createRoutableExtension({
    name: '${type}Page',
    component: () => import('./components/${type}Page').then((m) => m.${type}Page),
    mountPoint: rootRouteRef,
  }),
);
`;
}

function component(plugin: string, name: string, rows: number): string {
  const type = pascal(plugin);
  const columns = Array.from({ length: rows }, (_, i) => `    { title: 'Field ${i + 1}', field: 'field${i}', width: '${10 + (i % 5) * 5}%' },`).join('\n');
  return `import React, { useMemo, useState } from 'react';
import { Content, Header, Page, Progress, Table, TableColumn, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { Grid, TextField } from '@material-ui/core';
import { ${camel(plugin)}ApiRef, ${type}Item } from '../../api';

const columns: TableColumn<${type}Item>[] = [
${columns}
];

export interface ${name}Props {
  /** Only items of this owner (an entity ref). */
  owner?: string;
  title?: string;
}

export const ${name} = ({ owner, title = '${type}' }: ${name}Props) => {
  const api = useApi(${camel(plugin)}ApiRef);
  const [filter, setFilter] = useState('');
  const { value, loading, error } = useAsync(() => api.listItems({ owner }), [api, owner]);
  const visible = useMemo(
    () => (value ?? []).filter((item) => item.title.toLowerCase().includes(filter.toLowerCase())),
    [value, filter],
  );

  if (loading) return <Progress />;
  if (error) return <WarningPanel title="Could not load items" message={error.message} />;

  return (
    <Page themeId="tool">
      <Header title={title} subtitle={owner ? \`Owned by \${owner}\` : undefined} />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <TextField label="Filter" value={filter} onChange={(event) => setFilter(event.target.value)} />
          </Grid>
          <Grid item xs={12}>
            <Table options={{ paging: true, pageSize: 20 }} data={visible} columns={columns} title={title} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
`;
}

function componentTest(plugin: string, name: string): string {
  return `import React from 'react';
import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ${camel(plugin)}ApiRef } from '../../api';
import { ${name} } from './${name}';

describe('${name}', () => {
  const api = { listItems: jest.fn(), getItem: jest.fn() };

  beforeEach(() => jest.resetAllMocks());

  it('lists the items', async () => {
    api.listItems.mockResolvedValue([{ id: '1', title: 'First', owner: 'user:default/jane', updatedAt: '2024-03-01' }]);
    await renderInTestApp(
      <TestApiProvider apis={[[${camel(plugin)}ApiRef, api]]}>
        <${name} />
      </TestApiProvider>,
    );
    expect(await screen.findByText('First')).toBeInTheDocument();
  });

  it('shows a warning when loading fails', async () => {
    api.listItems.mockRejectedValue(new Error('boom'));
    await renderInTestApp(
      <TestApiProvider apis={[[${camel(plugin)}ApiRef, api]]}>
        <${name} />
      </TestApiProvider>,
    );
    expect(await screen.findByText('boom')).toBeInTheDocument();
  });
});
`;
}

function backendPlugin(plugin: string): string {
  return `import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

export const ${camel(plugin)}Plugin = createBackendPlugin({
  pluginId: '${plugin}',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ logger, database, httpAuth, httpRouter }) {
        httpRouter.use(await createRouter({ logger, database, httpAuth }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
`;
}

function backendRouter(routes: number): string {
  const handlers = Array.from({ length: routes }, (_, i) => `
  router.get('/items/${i}/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const rows = await store.summary(${i}, credentials.principal.userEntityRef);
    logger.debug(\`summary ${i}: \${rows.length} rows\`);
    res.json(rows);
  });
`).join('');
  return `import { DatabaseService, HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { errorHandler } from '@backstage/backend-common';
import express from 'express';
import Router from 'express-promise-router';
import { ItemStore } from '../database/ItemStore';

export interface RouterOptions {
  logger: LoggerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
}

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { logger, database, httpAuth } = options;
  const store = await ItemStore.create(await database.getClient());
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/items', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await store.list(credentials.principal.userEntityRef));
  });
${handlers}
  router.use(errorHandler());
  return router;
}
`;
}

function backendRouterTest(plugin: string): string {
  return `import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';

describe('createRouter (${plugin})', () => {
  let app: express.Express;

  beforeAll(async () => {
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      database: mockServices.database.mock(),
      httpAuth: mockServices.httpAuth(),
    });
    app = express().use(router);
  });

  it('answers the health check', async () => {
    const response = await request(app).get('/health');
    expect(response.status).toEqual(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
`;
}

function store(plugin: string, methods: number): string {
  const extra = Array.from({ length: methods }, (_, i) => `
  async summary${i === 0 ? '' : i}(bucket: number, owner: string) {
    return this.db('${plugin.replace(/-/g, '_')}_items')
      .where({ owner, bucket })
      .select('id', 'title')
      .orderBy('updated_at', 'desc')
      .limit(${10 + i});
  }
`).join('');
  return `import { Knex } from 'knex';

export interface ItemRow {
  id: string;
  title: string;
  owner: string;
  bucket: number;
  updated_at: string;
}

/** Items of the ${plugin} plugin, one table. */
export class ItemStore {
  static async create(db: Knex): Promise<ItemStore> {
    await db.migrate.latest({ directory: \`\${__dirname}/../../migrations\` });
    return new ItemStore(db);
  }

  private constructor(private readonly db: Knex) {}

  async list(owner: string): Promise<ItemRow[]> {
    return this.db<ItemRow>('${plugin.replace(/-/g, '_')}_items').where({ owner }).orderBy('updated_at', 'desc');
  }
${extra}}
`;
}

function migration(plugin: string, index: number): string {
  return `// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.${index === 0 ? 'createTable' : 'alterTable'}('${plugin.replace(/-/g, '_')}_items', (table) => {
    ${index === 0 ? "table.string('id').primary();\n    table.string('title').notNullable();\n    table.string('owner').notNullable();" : `table.integer('column_${index}').nullable();`}
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  ${index === 0 ? `await knex.schema.dropTable('${plugin.replace(/-/g, '_')}_items');` : `await knex.schema.alterTable('${plugin.replace(/-/g, '_')}_items', (table) => table.dropColumn('column_${index}'));`}
};
`;
}

/** The old plugin wiring (deps on identity and tokenManager) that `plugin-deps-legacy-services` finds. */
function legacyBackendPlugin(plugin: string): string {
  return `import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

export const ${camel(plugin)}Plugin = createBackendPlugin({
  pluginId: '${plugin}',
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
      async init({ logger, discovery, identity, tokenManager, permissions, httpRouter }) {
        httpRouter.use(await createRouter({ logger, discovery, identity, tokenManager, permissions }));
      },
    });
  },
});
`;
}

const packageJson = (name: string, role: string, dependencies: string[]) =>
  `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      main: 'src/index.ts',
      backstage: { role },
      dependencies: Object.fromEntries(dependencies.map((d) => [d, '^0.6.17'])),
    },
    null,
    2,
  )}\n`;

/** Writes the monorepo under `root` and says what it wrote. */
export function generateMonorepo(root: string, options: MonorepoOptions = {}): GeneratedMonorepo {
  const target = options.files ?? 10_000;
  const legacyShare = options.legacyShare ?? 0.2;
  const next = random(1_24_0);
  const result: GeneratedMonorepo = { files: 0, bytes: 0, legacyFiles: [] };
  const write = (path: string, text: string) => {
    const absolute = join(root, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    if (/\.(ts|tsx|js)$/.test(path)) result.files++;
    result.bytes += Buffer.byteLength(text);
  };

  write('package.json', `${JSON.stringify({ name: 'root', private: true, workspaces: { packages: ['packages/*', 'plugins/*'] }, devDependencies: { '@backstage/cli': '^0.26.0' } }, null, 2)}\n`);
  // An app repository's usual ignores, yarn's folders re-included by negations among them.
  write(
    '.gitignore',
    ['node_modules/', 'dist/', 'dist-types/', 'coverage/', '*.log', '.env', '*.local.yaml', '*-credentials.yaml', 'site', '.DS_Store', '.pnp.*', '.yarn/*', '!.yarn/patches', '!.yarn/plugins', '!.yarn/releases', '!.yarn/sdks', '!.yarn/versions', ''].join('\n'),
  );
  write('app-config.yaml', 'app:\n  title: Synthetic Backstage\nbackend:\n  baseUrl: http://localhost:7007\n');
  write('app-config.production.yaml', 'backend:\n  baseUrl: https://backstage.example.com\n');
  write('packages/backend/package.json', packageJson('backend', 'backend', ['@backstage/backend-defaults']));
  write('packages/backend/src/index.ts', "import { createBackend } from '@backstage/backend-defaults';\n\nconst backend = createBackend();\nbackend.add(import('@backstage/plugin-app-backend'));\nbackend.start();\n");
  write('packages/app/package.json', packageJson('app', 'frontend', ['@backstage/core-plugin-api']));
  // Build output and dependencies that a scan must never read.
  write('packages/app/dist/index.js', 'module.exports = { identity: coreServices.identity };\n');
  write('node_modules/@backstage/backend-common/index.js', 'exports.getBearerTokenFromAuthorizationHeader = () => undefined;\n');
  result.files -= 2;

  for (let index = 0; result.files < target; index++) {
    const word = WORDS[index % WORDS.length];
    const plugin = index < WORDS.length ? word : `${word}-${Math.floor(index / WORDS.length)}`;
    const type = pascal(plugin);
    const front = `plugins/${plugin}`;
    write(`${front}/package.json`, packageJson(`@internal/plugin-${plugin}`, 'frontend-plugin', ['@backstage/core-plugin-api']));
    write(`${front}/src/index.ts`, `export { ${camel(plugin)}Plugin, ${type}Page } from './plugin';\nexport * from './api';\n`);
    write(`${front}/src/routes.ts`, `import { createRouteRef } from '@backstage/core-plugin-api';\n\nexport const rootRouteRef = createRouteRef({ id: '${plugin}' });\n`);
    write(`${front}/src/plugin.ts`, frontendPlugin(plugin));
    write(`${front}/src/api/index.ts`, `export * from './${type}Client';\n`);
    write(`${front}/src/api/${type}Client.ts`, frontendClient(plugin));
    write(`${front}/src/setupTests.ts`, "import '@testing-library/jest-dom';\n");
    const components = 4 + Math.floor(next() * 8);
    for (let c = 0; c < components; c++) {
      const name = c === 0 ? `${type}Page` : `${type}${['Card', 'Table', 'List', 'Panel', 'Dialog', 'Chart', 'Header', 'Filter', 'Summary', 'Badge', 'Widget'][c - 1]}`;
      write(`${front}/src/components/${name}/${name}.tsx`, component(plugin, name, 3 + Math.floor(next() * 25)));
      write(`${front}/src/components/${name}/${name}.test.tsx`, componentTest(plugin, name));
      write(`${front}/src/components/${name}/index.ts`, `export { ${name} } from './${name}';\n`);
    }

    const back = `plugins/${plugin}-backend`;
    const legacy = next() < legacyShare;
    write(`${back}/package.json`, packageJson(`@internal/plugin-${plugin}-backend`, 'backend-plugin', ['@backstage/backend-plugin-api']));
    write(`${back}/src/index.ts`, `export { ${camel(plugin)}Plugin as default } from './plugin';\n`);
    write(`${back}/src/plugin.ts`, legacy ? legacyBackendPlugin(plugin) : backendPlugin(plugin));
    write(`${back}/src/service/router.ts`, legacy ? generateLegacyRouter(150 + Math.floor(next() * 300)) : backendRouter(2 + Math.floor(next() * 12)));
    write(`${back}/src/service/router.test.ts`, backendRouterTest(plugin));
    write(`${back}/src/database/ItemStore.ts`, store(plugin, 1 + Math.floor(next() * 10)));
    const migrations = 1 + Math.floor(next() * 4);
    for (let m = 0; m < migrations; m++) write(`${back}/migrations/2024010${m}_items.js`, migration(plugin, m));
    write(`${back}/dist/index.cjs.js`, 'exports.identity = coreServices.identity;\n');
    result.files--;
    if (legacy) result.legacyFiles.push(`${back}/src/plugin.ts`, `${back}/src/service/router.ts`);
  }
  return result;
}
