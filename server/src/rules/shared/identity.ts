// Reading `const user = await identity.getIdentity({ request: req })` and every use of `user`,
// so the identity-get-identity rule can decide (syntax only) whether the whole thing can move to
// `httpAuth.credentials(req, ...)` and exactly which expressions change.
import { ts } from 'ts-morph';
import { isFunctionLike, methodCall, objectProperty, propertyNameText, propertyValue, referencesTo, skipParens, skipParensUp } from './ast';
import { inAsyncFunction, planCredentials } from './credentials';
import { authGuardAfter, narrowedAt, presenceTest, type Narrowed, type Region } from './identityChecks';
import { findBinding, nameIsTaken } from './scope';
import { permissionCheckOf } from './permissionsToken';
import type { NewService } from './services';
import { discoveredPluginIds, tokenTargets } from './tokenTarget';

export type { Region };

/** One expression that changes; the texts are built in the fix, once services are known. */
export type UserEdit =
  /** `user.identity.userEntityRef` where a user is known to be signed in. */
  | { kind: 'entityRef'; node: ts.Expression }
  /** `user?.identity.userEntityRef [?? fallback]` where nobody may be signed in. */
  | { kind: 'entityRefOrElse'; node: ts.Expression; fallback?: string; parens: boolean }
  | { kind: 'ownership'; node: ts.Expression; hoisted: boolean }
  /** `user.token`; `target` is undefined when the plugin it goes to must be chosen. */
  | { kind: 'token'; node: ts.Expression; target?: string }
  /** `{ token: user.token }` given to `permissions.authorize`: becomes `{ credentials }`. */
  | { kind: 'permissionsOption'; node: ts.PropertyAssignment }
  /**
   * `if (user)` / `if (!user)` / `user ? a : b`: becomes a principal check. `viaAuth` when a
   * closure reads the narrowed credentials: only `auth.isPrincipal` narrows across closures.
   */
  | { kind: 'presence'; node: ts.Expression; present: boolean; viaAuth: boolean };

export interface IdentityPlan {
  request: ts.Expression;
  statement: ts.VariableStatement;
  declaration: ts.VariableDeclaration;
  /** 'user': the not-signed-in guard right after the call goes (credentials throw instead). */
  mode: 'user' | 'optional';
  guard?: ts.IfStatement;
  credentialsName: string;
  /**
   * An earlier `httpAuth.credentials(req, { allow })` read of the same request lets through no
   * principal this call would refuse: its name is used and no second read is added.
   */
  reusesExisting: boolean;
  edits: UserEdit[];
  /** Where `const { ownershipEntityRefs } = ...` goes when the refs are read more than once. */
  ownershipHoist?: Region;
  services: NewService[];
  /** Plugins a forwarded `user.token` may be meant for, when the use does not say. */
  tokenCandidates: string[];
}

export type IdentityAnalysis = { ok: true; plan: IdentityPlan } | { ok: false; reason: string };

const ONLY_READS =
  'only `user.identity.userEntityRef`, `user.identity.ownershipEntityRefs`, `user.token` and checks of `user` can move to credentials';

export function analyzeGetIdentity(call: ts.CallExpression): IdentityAnalysis {
  const request = requestArgument(call);
  if (!request) return fail('the call does not have the form `getIdentity({ request: req })`');
  const awaited = skipParensUp(call).parent;
  if (!ts.isAwaitExpression(awaited)) return fail('the result of `getIdentity` is not awaited where it is called');
  const declaration = skipParensUp(awaited).parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== skipParensUp(awaited) || !ts.isIdentifier(declaration.name)) {
    return fail(`the identity response ${escapeDescription(awaited)} (line ${lineOf(awaited)}) instead of being kept in a \`const\`, so its uses cannot be followed; ${ONLY_READS}`);
  }
  const list = declaration.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1 || !ts.isVariableStatement(statement) || !ts.isBlock(statement.parent)) {
    return fail(`\`${declaration.name.text}\` is not a single \`const\` declaration inside a function body`);
  }
  const fn = enclosingFunction(statement);
  if (!fn) return fail('`getIdentity` is called outside a request handler function');

  const name = declaration.name;
  const refs = referencesTo(fn, name.text).filter((ref) => findBinding(ref, name.text) === name);
  const guard = authGuardAfter(statement, name.text);
  const mode = guard ? 'user' : 'optional';
  const edits: UserEdit[] = [];
  const ownership: { node: ts.Expression; region?: Region; inAsync: boolean }[] = [];
  const services = new Set<NewService>(['httpAuth']);
  const closureNarrowed = new Set<ts.Node>();
  const tokenCandidates = new Set<string>();

  for (const ref of refs) {
    if (guard && ref.parent && isInside(ref, guard.expression)) continue;
    const use = classifyUse(ref);
    const line = lineOf(ref);
    if ('escape' in use) return fail(`\`${name.text}\` ${use.escape} (line ${line}); ${ONLY_READS}. Change that code to work with the credentials, then run the fix again`);
    if (use.kind === 'presence') {
      edits.push({ kind: 'presence', node: use.node, present: use.present, viaAuth: false });
      continue;
    }
    const narrowed: Narrowed | undefined = mode === 'user' ? { region: { anchor: statement, at: 'after' } } : narrowedAt(ref, name.text, fn);
    if (narrowed?.test && enclosingFunction(ref) !== enclosingFunction(narrowed.test)) closureNarrowed.add(narrowed.test);
    if (use.kind === 'entityRef') {
      if (narrowed) edits.push({ kind: 'entityRef', node: use.node });
      else if (use.optional) edits.push(orElse(use.node));
      else return fail(`\`${use.node.getText()}\` is read without checking that someone is signed in (line ${line}); add that check or use \`?.\`, then run the fix again`);
      continue;
    }
    if (!narrowed) {
      return fail(`\`${use.node.getText()}\` is read where nobody may be signed in (line ${line}); read it inside an \`if (${name.text})\` block, then run the fix again`);
    }
    const inAsync = inAsyncFunction(use.node);
    if (use.kind === 'ownership') {
      ownership.push({ node: use.node, region: narrowed.region, inAsync });
      services.add('userInfo');
      continue;
    }
    const option = permissionsTokenOption(use.node);
    if (option) {
      edits.push({ kind: 'permissionsOption', node: option });
      continue;
    }
    if (!inAsync) return fail(`\`${use.node.getText()}\` is read inside a function that is not async (line ${line}), so no token can be issued there`);
    const { targets, unknown } = tokenTargets(use.node, 'token');
    if (targets.length > 1) {
      return fail(`\`${use.node.getText()}\` is sent to several plugins (${targets.join(', ')}) (line ${line}); a new token is valid for one plugin only, so issue one per plugin by hand`);
    }
    edits.push({ kind: 'token', node: use.node, target: unknown ? undefined : targets[0] });
    targets.forEach((t) => tokenCandidates.add(t));
  }

  const hoist = ownership.length > 1 || ownership.some((o) => !o.inAsync);
  let ownershipHoist: Region | undefined;
  if (hoist) {
    const regions = new Set(ownership.map((o) => o.region?.anchor));
    const region = ownership[0].region;
    if (regions.size !== 1 || !region) {
      return fail(`\`${name.text}.identity.ownershipEntityRefs\` is read in places that check for a signed-in user separately; read it once, then run the fix again`);
    }
    if (nameIsTaken(fn, 'ownershipEntityRefs')) return fail('the name `ownershipEntityRefs` is already used in this handler');
    ownershipHoist = region;
  }
  for (const o of ownership) edits.push({ kind: 'ownership', node: o.node, hoisted: hoist });
  for (const edit of edits) {
    if (edit.kind === 'presence' && closureNarrowed.has(edit.node)) edit.viaAuth = true;
    if ((edit.kind === 'presence' && edit.viaAuth) || edit.kind === 'token') services.add('auth');
  }

  const unresolved = edits.some((e) => e.kind === 'token' && !e.target);
  if (unresolved) discoveredPluginIds(call.getSourceFile()).forEach((t) => tokenCandidates.add(t));
  if (unresolved && tokenCandidates.size === 0) {
    return fail(`\`${name.text}.token\` is forwarded, but nothing says to which plugin; a new token must name its target plugin. Issue it by hand with \`auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId })\``);
  }
  if (overlapping(edits)) return fail(`\`${name.text}\` is used inside another use of it; simplify that expression, then run the fix again`);

  const existing = planCredentials(statement, { request: request.getText(), allow: mode === 'user' ? ['user'] : ['user', 'service', 'none'] });
  if (existing.kind === 'existing') services.delete('httpAuth');
  const credentialsName = existing.kind === 'existing'
    ? existing.name
    : ['credentials', 'userCredentials'].find((n) => !nameIsTaken(fn, n));
  if (!credentialsName) return fail('the names `credentials` and `userCredentials` are both taken in this handler');
  return {
    ok: true,
    plan: {
      request, statement, declaration, mode, guard, credentialsName, edits, ownershipHoist,
      reusesExisting: existing.kind === 'existing',
      services: [...services],
      tokenCandidates: unresolved ? [...tokenCandidates] : [],
    },
  };
}

function fail(reason: string): IdentityAnalysis {
  return { ok: false, reason };
}

function requestArgument(call: ts.CallExpression): ts.Expression | undefined {
  const [arg] = call.arguments;
  if (call.arguments.length !== 1 || !ts.isObjectLiteralExpression(skipParens(arg))) return undefined;
  const object = skipParens(arg) as ts.ObjectLiteralExpression;
  const property = objectProperty(object, 'request');
  return object.properties.length === 1 && property ? propertyValue(property) : undefined;
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.getEnd() <= container.getEnd();
}

function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

type Use =
  | { kind: 'entityRef' | 'ownership' | 'token'; node: ts.Expression; optional: boolean }
  | { kind: 'presence'; node: ts.Expression; present: boolean }
  | { escape: string };

/** What one reference to `user` does. */
function classifyUse(ref: ts.Identifier): Use {
  const presence = presenceTest(ref);
  if (presence) {
    const owner = skipParensUp(presence.node).parent;
    const whole = (ts.isIfStatement(owner) && owner.expression === skipParensUp(presence.node)) ||
      (ts.isConditionalExpression(owner) && owner.condition === skipParensUp(presence.node));
    return whole ? { kind: 'presence', ...presence } : { escape: 'is tested as part of a larger condition' };
  }
  const first = ref.parent;
  if (!ts.isPropertyAccessExpression(first) || first.expression !== ref) return { escape: escapeDescription(ref) };
  if (first.name.text === 'token') return { kind: 'token', node: first, optional: !!first.questionDotToken };
  if (first.name.text !== 'identity') return { escape: `reads \`${first.getText()}\`, which credentials do not have` };
  const second = first.parent;
  if (!ts.isPropertyAccessExpression(second) || second.expression !== first) return { escape: `passes \`${first.getText()}\` on as a whole` };
  const optional = !!first.questionDotToken || !!second.questionDotToken;
  if (second.name.text === 'userEntityRef') return { kind: 'entityRef', node: second, optional };
  if (second.name.text === 'ownershipEntityRefs') return { kind: 'ownership', node: second, optional };
  return { escape: `reads \`${second.getText()}\`, which credentials do not have` };
}

function escapeDescription(node: ts.Expression): string {
  const parent = skipParensUp(node).parent;
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return 'is returned';
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    return `is passed to \`${parent.expression.getText()}(...)\``;
  }
  if (ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent)) {
    return 'is stored in an object that is passed on';
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return 'is assigned to something else';
  if (ts.isVariableDeclaration(parent)) return 'is destructured';
  return `is used as a value (\`${parent.getText().slice(0, 60)}\`)`;
}

/** `user?.identity.userEntityRef ?? 'guest'` -> the node to replace and the fallback. */
function orElse(node: ts.Expression): UserEdit {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  if (ts.isBinaryExpression(parent) && parent.left === outer && parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
    return { kind: 'entityRefOrElse', node: parent, fallback: parent.right.getText(), parens: needsParens(parent) };
  }
  return { kind: 'entityRefOrElse', node, parens: needsParens(node) };
}

/** Whether a conditional expression put in place of `node` needs parentheses. */
function needsParens(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isParenthesizedExpression(parent) || ts.isTemplateSpan(parent) || ts.isReturnStatement(parent)) return false;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent)) return false;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== node) return false;
  if (ts.isExpressionStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) return false;
  return true;
}

/** `permissions.authorize(requests, { token: user.token })`: the permissions service takes the credentials instead. */
function permissionsTokenOption(node: ts.Expression): ts.PropertyAssignment | undefined {
  const property = skipParensUp(node).parent;
  if (!ts.isPropertyAssignment(property) || property.initializer !== skipParensUp(node) || propertyNameText(property.name) !== 'token') return undefined;
  return property.parent.properties.length === 1 && permissionCheckOf(property.parent) ? property : undefined;
}

function overlapping(edits: UserEdit[]): boolean {
  return edits.some((a) => edits.some((b) => a !== b && isInside(b.node, a.node)));
}

/**
 * `const identity = DefaultIdentityClient.create({ discovery, issuer })`: a router's own identity
 * client. The statement, when `receiver` is such a local.
 */
export function defaultIdentityLocal(receiver: ts.Expression): ts.VariableStatement | undefined {
  const expr = skipParens(receiver);
  if (!ts.isIdentifier(expr)) return undefined;
  const declaration = findBinding(expr, expr.text)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const init = skipParens(declaration.initializer);
  const method = methodCall(init);
  const statement = declaration.parent.parent;
  const creates = method?.method === 'create' && ts.isIdentifier(method.receiver) && method.receiver.text === 'DefaultIdentityClient';
  return creates && ts.isVariableStatement(statement) ? statement : undefined;
}
