// The shared readings that several rules rely on, after merging the duplicates: which plugin a
// call sends a token to (shared/tokenTarget.ts: bearer-token-forwarding, token-manager-get-token,
// identity-get-identity) and whether a value is the request's bearer token (shared/bearer.ts:
// bearer-token-forwarding, token-manager-authenticate, permissions-token-option).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { findAll, methodCall } from '../../server/src/rules/shared/ast';
import { bearerExtractions, requestTokenSource } from '../../server/src/rules/shared/bearer';
import { clientTarget, fetchTarget, tokenTargets } from '../../server/src/rules/shared/tokenTarget';

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('/virtual/router.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The call to `method` in `text` (the first one). */
function callTo(text: string, method: string): ts.CallExpression {
  const call = findAll(parse(text), ts.isCallExpression).find((c) => (methodCall(c)?.method ?? c.expression.getText()) === method);
  assert.ok(call, `no call to ${method}`);
  return call;
}

describe('clientTarget: a declared type or `new` decides, otherwise the name', () => {
  const cases: [string, string, string | undefined][] = [
    ['a new CatalogClient', 'new CatalogClient({ discoveryApi }).getEntityByRef(ref, { token });', 'catalog'],
    ['a parameter typed CatalogApi, any name', 'function f(entities: CatalogApi) { entities.getEntityByRef(ref, { token }); }', 'catalog'],
    ['a parameter named catalog but typed otherwise', 'function f(catalog: SearchClient) { catalog.getEntityByRef(ref, { token }); }', undefined],
    ['an untyped parameter named catalog', 'function f(catalog) { catalog.getEntityByRef(ref, { token }); }', 'catalog'],
    ['an option destructured under another name', 'function f({ catalogClient: c }: O) { c.getEntityByRef(ref, { token }); }', 'catalog'],
    ['a member named catalogApi', 'this.catalogApi.getEntityByRef(ref, { token });', 'catalog'],
    ['some other client', 'function f(search: SearchClient) { search.query(q, { token }); }', undefined],
  ];
  for (const [what, code, expected] of cases) {
    it(what, () => {
      const method = code.includes('query') ? 'query' : 'getEntityByRef';
      assert.equal(clientTarget(callTo(code, method)), expected);
    });
  }
});

describe('fetchTarget: a fetch to a URL built from exactly one discovery base URL', () => {
  const cases: [string, string, string | undefined][] = [
    ['a template starting with the base URL', "fetch(`${await discovery.getBaseUrl('search')}/query`, init);", 'search'],
    ['through a local constant', "const base = await discovery.getBaseUrl('notifications'); fetch(`${base}/send`, init);", 'notifications'],
    ['a URL from config', "fetch(config.getString('x.url'), init);", undefined],
    ['two base URLs', "fetch(`${await discovery.getBaseUrl('a')}?next=${await discovery.getBaseUrl('b')}`, init);", undefined],
    ['not fetch', "got(`${await discovery.getBaseUrl('search')}/query`, init);", undefined],
  ];
  for (const [what, code, expected] of cases) {
    it(what, () => {
      const method = code.includes('got(') ? 'got' : 'fetch';
      assert.equal(fetchTarget(callTo(`async function f() { ${code} }`, method)), expected);
    });
  }
});

describe('tokenTargets: a permission check is no plugin target', () => {
  it('a token only handed to permissions.authorize has no target and no unknown use', () => {
    const code = [
      'async function f({ permissions, tokenManager }: O) {',
      '  const { token } = await tokenManager.getToken();',
      '  await permissions.authorize([{ permission: p }], { token });',
      '}',
    ].join('\n');
    const found = tokenTargets(callTo(code, 'getToken'));
    assert.deepEqual({ targets: found.targets, unknown: found.unknown }, { targets: [], unknown: false });
    assert.deepEqual(found.permissionChecks.map((v) => v.getText()), ['token']);
  });

  it('a token sent to the catalog and checked with permissions has the catalog as its target', () => {
    const code = [
      'async function f({ catalog, permissions, tokenManager }: O) {',
      '  const { token } = await tokenManager.getToken();',
      '  await permissions.authorize([{ permission: p }], { token });',
      '  await catalog.getEntities({}, { token });',
      '}',
    ].join('\n');
    const found = tokenTargets(callTo(code, 'getToken'));
    assert.deepEqual({ targets: found.targets, unknown: found.unknown }, { targets: ['catalog'], unknown: false });
  });
});

describe('the bearer token: extraction sites and values followed back', () => {
  const handler = (body: string) => `router.get('/x', async (req, res) => {\n${body}\n});`;

  it('finds a token cut from a destructured Authorization header, with the header as a feeder', () => {
    const [extraction] = bearerExtractions(parse(handler("const { authorization } = req.headers;\nconst token = authorization?.split(' ')[1];")));
    assert.equal(extraction.expression.getText(), "authorization?.split(' ')[1]");
    assert.equal(extraction.request?.getText(), 'req');
    assert.deepEqual(extraction.feeders.map((f) => f.getText()), ['{ authorization } = req.headers']);
  });

  it('does not take the header itself for a token extraction', () => {
    assert.deepEqual(bearerExtractions(parse(handler("const header = req.header('authorization')?.trim();"))), []);
  });

  it('follows a checked value back through parsing, fallbacks and constants to the request', () => {
    const file = parse(
      handler(
        [
          "const header = req.header('authorization') ?? '';",
          "const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;",
          'await tokenManager.authenticate(token);',
        ].join('\n'),
      ),
    );
    const source = requestTokenSource(callTo(file.getText(), 'authenticate').arguments[0]);
    assert.equal(source?.request.text, 'req');
    assert.deepEqual(source?.declarations.map((d) => (d.name as ts.Identifier).text).sort(), ['header', 'token']);
  });

  it('a token from a query parameter is not the request token', () => {
    const file = parse(handler('const token = String(req.query.token);\nawait tokenManager.authenticate(token);'));
    assert.equal(requestTokenSource(callTo(file.getText(), 'authenticate').arguments[0]), undefined);
  });
});
