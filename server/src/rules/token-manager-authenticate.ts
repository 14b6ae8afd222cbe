import { ts } from 'ts-morph';
import { nodeAtStart } from '../engine/morph';
import { FixRefusal, type Rule, type RuleFinding } from '../engine/types';
import { rangeOf } from './shared/ast';
import { analyzeCall, type Form } from './shared/authenticateCall';
import { fixMixed, fixRequest, fixToken } from './shared/authenticateRewrite';
import { requestTokenSource } from './shared/bearer';
import { guide } from './shared/docs';
import { legacyCalls, serviceReachability } from './shared/services';

const FIX_TITLES: Record<Form, string> = {
  request: "Check the request with httpAuth.credentials, allowing services only",
  mixed: "Check the request with httpAuth.credentials, allowing users and services",
  token: 'Check the token with auth.authenticate, allowing services only',
};

/**
 * `tokenManager.authenticate(token)` accepted only service tokens. On an incoming request the
 * same check is `httpAuth.credentials(req, { allow: ['service'] })`; for a token from elsewhere
 * it is `auth.authenticate(token)` plus a service-principal check, because `auth.authenticate`
 * alone would also accept user tokens.
 */
export const tokenManagerAuthenticate: Rule = {
  id: 'token-manager-authenticate',
  title: 'tokenManager.authenticate() -> httpAuth.credentials()',
  severity: 'warning',
  docsUrl: guide.root,
  explanation:
    '`tokenManager.authenticate(token)` lets only other backend services through. With the new auth services the request ' +
    "itself is checked: `httpAuth.credentials(req, { allow: ['service'] })` reads the bearer token, verifies it (including " +
    'the new plugin-to-plugin tokens) and rejects users, so the hand-written token extraction can go. A check that first ' +
    "tries `identity.getIdentity` and falls back to the token manager becomes `allow: ['user', 'service']`.",
  example: {
    before: [
      'function addExportRoute({ httpAuth, router, store, tokenManager }: ExportDeps) {',
      "  router.get('/export', async (req, res) => {",
      "    const token = getBearerTokenFromAuthorizationHeader(req.header('authorization'));",
      '    await tokenManager.authenticate(token!);',
      '    res.json(await store.exportAll());',
      '  });',
      '}',
      '',
    ].join('\n'),
    after: [
      'function addExportRoute({ httpAuth, router, store, tokenManager }: ExportDeps) {',
      "  router.get('/export', async (req, res) => {",
      "    await httpAuth.credentials(req, { allow: ['service'] });",
      '    res.json(await store.exportAll());',
      '  });',
      '}',
      '',
    ].join('\n'),
  },
  // 'authenticate(' rather than 'authenticate', which every 'unauthenticated' auth policy contains.
  triggers: ['authenticate('],

  detect(ctx) {
    return legacyCalls(ctx.sourceFile, 'tokenManager', ['authenticate']).map(({ call, receiver }) =>
      describeCall(call, receiver),
    );
  },

  fix({ sourceFile }, finding) {
    const form = finding.data?.form as Form | undefined;
    if (form === 'mixed') return fixMixed(sourceFile, finding);
    const call = nodeAtStart(sourceFile, finding.range.start, ts.SyntaxKind.CallExpression, finding.range.end);
    if (!call) throw new FixRefusal('the code changed; the call is no longer there');
    const analysis = analyzeCall(call.compilerNode as ts.CallExpression);
    if (!analysis || analysis.form !== form) throw new FixRefusal('the code changed shape; run the check again');
    if (form === 'request') return fixRequest(sourceFile, call.compilerNode as ts.CallExpression, analysis.source!);
    return fixToken(sourceFile, call.compilerNode as ts.CallExpression);
  },
};

function describeCall(call: ts.CallExpression, receiver: ts.Expression): RuleFinding {
  const name = `${receiver.getText()}.authenticate(${call.arguments.map((a) => a.getText()).join(', ')})`;
  const range = rangeOf(call);
  const analysis = analyzeCall(call);
  if (!analysis) {
    const source = call.arguments[0] && requestTokenSource(call.arguments[0]);
    const replacement = source
      ? `\`httpAuth.credentials(${source.request.text}, { allow: ['service'] })\``
      : "`auth.authenticate(token)` followed by a check that `auth.isPrincipal(credentials, 'service')`";
    return {
      range,
      message: `\`${name}\` checks for a service token by hand; use the new auth services.`,
      notFixableReason: `its result is used as a value, not just awaited as a statement, so it is not rewritten automatically; rewrite it by hand with ${replacement}, which rejects non-service callers by throwing`,
    };
  }
  if (analysis.form === 'mixed') {
    const { first, last, request } = analysis.mixed!;
    return withReachability(
      {
        range: { start: first.getStart(), end: last.getEnd() },
        message: `This accepts a signed-in user or, failing that, a service token (\`${name}\`); \`httpAuth.credentials(${request}, { allow: ['user', 'service'] })\` does both.`,
        data: { form: 'mixed' },
      },
      call,
      'httpAuth',
    );
  }
  if (analysis.form === 'request') {
    const request = analysis.source!.request.text;
    return withReachability(
      {
        range,
        message: `\`${name}\` checks the request's bearer token by hand; \`httpAuth.credentials(${request}, { allow: ['service'] })\` does the same check.`,
        data: { form: 'request' },
      },
      call,
      'httpAuth',
    );
  }
  return withReachability(
    {
      range,
      message: `\`${name}\` accepts service tokens only; \`auth.authenticate\` also accepts user tokens, so keep a service-principal check.`,
      data: { form: 'token' },
    },
    call,
    'auth',
  );
}

function withReachability(finding: RuleFinding, at: ts.Node, service: 'auth' | 'httpAuth'): RuleFinding {
  const reason = serviceReachability(at, service);
  if (reason) return { ...finding, notFixableReason: reason };
  const form = finding.data?.form as Form;
  return { ...finding, fixes: [{ id: `${form}-check`, title: FIX_TITLES[form], preferred: true }] };
}
