// What a forwarded bearer token is used for, and whether the bearer-token-forwarding rule can
// rewrite every use: `{ token }` to a permission check (becomes `{ credentials }`), `{ token }`
// to a client or `Bearer ${token}` to a request (a token issued for that plugin), `if (token)`
// (a principal check), `tokenManager.authenticate(token)` (the token-manager-authenticate rule's).
import { ts } from 'ts-morph';
import type { FixOption } from '../../engine/types';
import { calleeName, isFunctionLike, methodCall, propertyNameText, skipParens, skipParensUp } from './ast';
import type { BearerExtraction } from './bearer';
import { anchorStatement, planCredentials, requestFunction } from './credentials';
import { permissionCheckOf } from './permissionsToken';
import { isAssignedTo, outerValue, referencesOf } from './references';
import { legacyServiceOf, planServiceAccess } from './services';
import { clientTarget, discoveredPluginIds, fetchTarget } from './tokenTarget';

export type TokenUse =
  /** `{ token }` given to `permissions.authorize(...)`: becomes `{ credentials }`. */
  | { kind: 'permissions'; property: ts.ObjectLiteralElementLike }
  /** Sent to another plugin: gets a token issued for that plugin. */
  | { kind: 'outbound'; value: ts.Expression; property?: ts.ObjectLiteralElementLike; target?: string; call: ts.CallExpression }
  /** `if (token)` / `if (!token)`: becomes a check on the principal type. */
  | { kind: 'presence'; condition: ts.Expression; negated: boolean }
  /** `tokenManager.authenticate(token)`: the token-manager-authenticate rule rewrites it. */
  | { kind: 'authenticate'; call: ts.CallExpression }
  | { kind: 'unsupported'; reason: string };

export interface ForwardingPlan {
  request: string;
  fn: ts.SignatureDeclaration;
  uses: TokenUse[];
  options: FixOption[];
}

export function planForwarding(extraction: BearerExtraction): ForwardingPlan | { reason: string } | 'owned elsewhere' {
  const { request: requestNode, declaration } = extraction;
  if (!requestNode) {
    return {
      reason:
        'the Authorization header passed here does not come from a request this code receives, so there is no request to read credentials from; ' +
        'call `httpAuth.credentials(req)` in the handler and pass the credentials down instead',
    };
  }
  const request = requestNode.getText();
  const fn = requestFunction(extraction.expression, request);
  if (!fn) return { reason: `\`${request}\` is not a request this code receives; read the credentials where the request is handled` };
  if (declaration && ts.isVariableDeclarationList(declaration.parent) && !(declaration.parent.flags & ts.NodeFlags.Const)) {
    if (referencesOf(declaration.name).some((ref) => isAssignedTo(ref))) {
      return { reason: `\`${declaration.name.text}\` is reassigned, so this fix cannot tell which token each use gets; make it a \`const\` first` };
    }
  }
  const values = declaration ? referencesOf(declaration.name) : [extraction.expression];
  const uses = values.map((value) => classifyUse(value));
  const authenticate = uses.find((u): u is Extract<TokenUse, { kind: 'authenticate' }> => u.kind === 'authenticate');
  if (authenticate) {
    return uses.every((u) => u.kind === 'authenticate')
      ? 'owned elsewhere'
      : { reason: `the token is also checked with \`tokenManager.authenticate\` on line ${lineOf(authenticate.call)}; apply the token-manager-authenticate fix there first, then run this fix again` };
  }
  const unsupported = uses.find((u): u is Extract<TokenUse, { kind: 'unsupported' }> => u.kind === 'unsupported');
  if (unsupported) return { reason: unsupported.reason };
  if (uses.length === 0) return { reason: 'the token is never used, so there is nothing to migrate; delete the extraction' };

  const statement = declaration ? statementOf(declaration) : undefined;
  if (declaration && !statement) {
    return { reason: 'the token is declared together with other variables; give it its own `const` statement first' };
  }
  const credentials = planCredentials(statement ?? extraction.expression, { request });
  if (credentials.kind === 'none') return { reason: credentials.reason };
  if (uses.some((u) => u.kind === 'outbound' || u.kind === 'presence')) {
    const auth = planServiceAccess(statement ?? extraction.expression, 'auth');
    if (auth.kind === 'none') return { reason: auth.reason };
  }
  for (const use of uses) {
    if (use.kind === 'outbound' && !anchorStatement(use.value, fn)) {
      return { reason: `the token is sent on line ${lineOf(use.call)} from an expression-bodied function; give it a block body first` };
    }
  }

  const unknown = uses.filter((u): u is Extract<TokenUse, { kind: 'outbound' }> => u.kind === 'outbound' && !u.target);
  if (unknown.length === 0) return { request, fn, uses, options: [{ id: 'use-credentials', title: 'Read credentials with httpAuth and issue tokens per plugin', preferred: true }] };
  const known = uses.flatMap((u) => (u.kind === 'outbound' && u.target ? [u.target] : []));
  const candidates = [...new Set([...known, ...discoveredPluginIds(extraction.expression.getSourceFile())])];
  if (candidates.length === 0) {
    const call = unknown[0].call;
    return {
      reason:
        `the token is sent with \`${calleeText(call)}(...)\` on line ${lineOf(call)}, and which plugin receives it cannot be told from the code; ` +
        "issue a token for that plugin with `auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: '<plugin id>' })` by hand",
    };
  }
  return {
    request,
    fn,
    uses,
    options: candidates.map((id) => ({
      id: `target:${id}`,
      title: `Send the token from \`${calleeText(unknown[0].call)}(...)\` to plugin '${id}'`,
      preferred: false,
    })),
  };
}

function classifyUse(value: ts.Expression): TokenUse {
  const outer = outerValue(value);
  const parent = outer.parent;
  const line = lineOf(value);

  if ((ts.isShorthandPropertyAssignment(parent) && parent.name === outer) || (ts.isPropertyAssignment(parent) && parent.initializer === outer)) {
    const key = propertyNameText(parent.name);
    const object = parent.parent;
    const call = argumentOf(object);
    if (key !== 'token' || !call) {
      return { kind: 'unsupported', reason: `the token is stored in the \`${key ?? parent.name.getText()}\` property of an object on line ${line}, which this fix cannot follow; pass it straight to the call that uses it, then run the fix again` };
    }
    if (permissionCheckOf(object)) return { kind: 'permissions', property: parent };
    return { kind: 'outbound', value, property: parent, target: clientTarget(call), call };
  }
  if (ts.isTemplateSpan(parent) && isBearerTemplate(parent.parent)) {
    const call = enclosingCall(parent.parent);
    if (!call) return { kind: 'unsupported', reason: `the \`Bearer\` header built on line ${line} is not passed straight to a call, so the receiving plugin cannot be told; build it inside the request call, then run the fix again` };
    return { kind: 'outbound', value, target: fetchTarget(call), call };
  }
  if (ts.isIfStatement(parent) && parent.expression === outer) return { kind: 'presence', condition: outer as ts.Expression, negated: false };
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken && ts.isIfStatement(parent.parent) && parent.parent.expression === parent) {
    return { kind: 'presence', condition: parent, negated: true };
  }
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) {
    return { kind: 'unsupported', reason: `the token is returned on line ${line}; its callers would need credentials instead, so migrate them by hand` };
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === outer) {
    return { kind: 'unsupported', reason: `the token is stored in \`${parent.left.getText()}\` on line ${line}, which this fix cannot follow; keep credentials instead and issue tokens where they are sent` };
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
    const method = methodCall(parent);
    if (method?.method === 'authenticate' && legacyServiceOf(method.receiver) === 'tokenManager') return { kind: 'authenticate', call: parent };
    return { kind: 'unsupported', reason: `the token is passed to \`${calleeText(parent)}(...)\` on line ${line}, which this fix cannot follow; change that code to take \`credentials\` from \`httpAuth.credentials(req)\`, then run the fix again` };
  }
  return { kind: 'unsupported', reason: `the token is used in \`${parent.getText().slice(0, 60)}\` on line ${line}, which this fix cannot rewrite safely; migrate that use by hand` };
}

/** The call that an object literal is passed to directly, if any. */
function argumentOf(object: ts.Node): ts.CallExpression | undefined {
  const outer = skipParensUp(object);
  const parent = outer.parent;
  return ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression) ? parent : undefined;
}

/** `Bearer ${token}` and nothing else. */
function isBearerTemplate(template: ts.TemplateExpression): boolean {
  return (
    template.templateSpans.length === 1 &&
    template.templateSpans[0].literal.text === '' &&
    template.head.text.trim().toLowerCase() === 'bearer'
  );
}

/** The call whose arguments contain `node` (through object literals), not crossing functions. */
function enclosingCall(node: ts.Node): ts.CallExpression | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (isFunctionLike(parent) || ts.isStatement(parent)) return undefined;
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) return parent;
  }
  return undefined;
}

/** The statement of a declaration that has it to itself. */
export function statementOf(declaration: ts.VariableDeclaration): ts.VariableStatement | undefined {
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
  return ts.isVariableStatement(list.parent) ? list.parent : undefined;
}

function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

function calleeText(call: ts.CallExpression): string {
  const callee = skipParens(call.expression);
  return ts.isBinaryExpression(callee) ? (calleeName(call) ?? 'the call') : callee.getText();
}
