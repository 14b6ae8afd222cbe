// contrib-auth-middleware beyond its fixtures: which middlewares count, partial import removal,
// and the refusals that keep the API from being left open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixFinding } from '../../server/src/engine/engine';
import { contribAuthMiddleware } from '../../server/src/rules/contrib-auth-middleware';
import { memoryHost, VIRTUAL_ROOT } from '../support/engine';

const lines = (...text: string[]) => text.join('\n');
const FILE = `${VIRTUAL_ROOT}/packages/backend/src/rootHttpRouter.ts`;
const options = (files: Record<string, string> = {}) => ({ rules: [contribAuthMiddleware], host: memoryHost(files) });

function rootRouter(...body: string[]): string {
  return lines(
    "import { HostDiscovery, rootHttpRouterServiceFactory } from '@backstage/backend-app-api';",
    "import { DefaultIdentityClient } from '@backstage/plugin-auth-node';",
    "import { NextFunction, Request, Response } from 'express';",
    '',
    'export const rootHttpRouter = rootHttpRouterServiceFactory({',
    '  configure({ app, routes, config }) {',
    '    const identity = DefaultIdentityClient.create({ discovery: HostDiscovery.fromConfig(config) });',
    '    const requireUser = async (req: Request, res: Response, next: NextFunction) => {',
    '      if (!(await identity.getIdentity({ request: req }))) {',
    '        return res.status(401).end();',
    '      }',
    '      return next();',
    '    };',
    ...body,
    '  },',
    '});',
    '',
  );
}

function fix(text: string, files?: Record<string, string>) {
  const [finding] = analyze(FILE, text, options(files)).findings;
  assert.ok(finding, 'expected a finding');
  return { finding, result: fixFinding(FILE, text, { ruleId: finding.ruleId, start: finding.range.start, optionId: 'remove-middleware' }, options(files)) };
}

describe('contrib-auth-middleware', () => {
  it('keeps the other names of an import it shortens', () => {
    const { result } = fix(rootRouter("    app.use('/api', requireUser);", '    app.use(routes);'));
    assert.deepEqual(result, {
      ok: true,
      text: lines(
        "import { rootHttpRouterServiceFactory } from '@backstage/backend-app-api';",
        '',
        'export const rootHttpRouter = rootHttpRouterServiceFactory({',
        '  configure({ app, routes, config }) {',
        '    app.use(routes);',
        '  },',
        '});',
        '',
      ),
      edits: result.ok ? result.edits : [],
    });
  });

  it('keeps a client that other code still uses', () => {
    const text = rootRouter(
      "    app.use('/api', requireUser);",
      "    app.get('/whoami', async (req, res) => res.json(await identity.getIdentity({ request: req })));",
      '    app.use(routes);',
    );
    const { result } = fix(text);
    assert.ok(result.ok);
    assert.match(result.text, /const identity = DefaultIdentityClient\.create/);
    assert.doesNotMatch(result.text, /requireUser/);
  });

  it('leaves middlewares that are not in front of the API alone', () => {
    const text = rootRouter("    app.use('/metrics', requireUser);", '    app.use(routes);').replace(
      'rootHttpRouterServiceFactory({\n  configure',
      'rootHttpRouterServiceFactory({\n  setup',
    );
    assert.deepEqual(analyze(FILE, text, options()).findings, []);
  });

  it('refuses when the registration mounts more than the middleware', () => {
    const { finding } = fix(rootRouter("    app.use('/api', requireUser, routes);"));
    assert.equal(finding.notFixableReason, "`app.use('/api', requireUser, routes)` also mounts `routes`; take the middleware out of it by hand");
  });

  it('refuses when the middleware is used elsewhere too', () => {
    const { finding } = fix(rootRouter("    app.use('/api', requireUser);", "    app.get('/me', requireUser, (_req, res) => res.end());", '    app.use(routes);'));
    assert.equal(finding.notFixableReason, "`requireUser` is also used outside its registration (`app.get('/me', requireUser, (_req, res) => res.end())`)");
  });

  it('refuses when a development config turns the default auth policy off', () => {
    const { finding, result } = fix(rootRouter("    app.use('/api', requireUser);", '    app.use(routes);'), {
      'app-config.yaml': 'backend:\n  baseUrl: http://localhost:7007\n',
      'app-config.local.yaml': 'backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n',
    });
    assert.deepEqual(finding.fixes, []);
    assert.equal(
      finding.notFixableReason,
      'app-config.local.yaml turns the default auth policy off (`backend.auth.dangerouslyDisableDefaultAuthPolicy: true`), so this middleware is what protects the API; turn the policy back on first',
    );
    assert.equal(result.ok, false);
  });
});
