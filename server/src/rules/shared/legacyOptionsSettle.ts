// What becomes of a router's old `identity`/`tokenManager` options once its code no longer needs
// them, per target:
// - legacy-compatible: a required member becomes optional (old-system callers may still pass it,
//   `createLegacyAuthAdapters` uses it), but only while the router bridges through the adapters;
// - new-backend-only: the member goes, with the dead locals that still read it and the imports
//   of the old types, since backend-plugin-api 1.x has no such services.
// Run after a fix's rewrite (see `afterFix`), and by router-auth-adapters for routers edited by hand.
import { Node, type SourceFile, SyntaxKind, ts } from 'ts-morph';
import { wrapNode } from '../../engine/morph';
import type { MigrationTarget } from '../../engine/targets';
import { FixRefusal } from '../../engine/types';
import { calleeName, propertyNameText, referencesTo, skipParens, typeReferenceName, walk, callsBelow } from './ast';
import { removeImportIfUnused } from './imports';
import { directUses, LEGACY_OPTIONS, type LegacyOption } from './legacyOptionUse';
import { removeListItem } from './lists';
import { declaredObjectType, type FunctionLike, type ObjectType } from './project';

/** Types and classes of the old services that may be left unused once the options go. */
export const LEGACY_IMPORTS = [
  'IdentityApi',
  'IdentityService',
  'IdentityClient',
  'DefaultIdentityClient',
  'TokenManager',
  'TokenManagerService',
  'ServerTokenManager',
];

export function hasAdaptersCall(fn: ts.Node): boolean {
  return callsBelow(fn).some((c) => calleeName(c) === 'createLegacyAuthAdapters');
}

/** The router's options type when it is declared in this file (interface, alias or inline literal). */
export function localOptionsType(fn: FunctionLike): ObjectType | undefined {
  const param = fn.parameters[0];
  if (!param?.type) return undefined;
  if (ts.isTypeLiteralNode(param.type)) return param.type;
  const name = typeReferenceName(param.type);
  return name ? declaredObjectType(fn.getSourceFile(), name) : undefined;
}

export function legacyMember(type: ObjectType, option: LegacyOption): ts.PropertySignature | undefined {
  return type.members.find((m): m is ts.PropertySignature => ts.isPropertySignature(m) && !!m.name && propertyNameText(m.name) === option);
}

// ---------------------------------------------------------------------------------------------
// legacy-compatible

/** Old members the options type requires although the bridged router no longer reads them. */
export function idleRequiredOptions(fn: FunctionLike): LegacyOption[] {
  const type = localOptionsType(fn);
  if (!type || !hasAdaptersCall(fn)) return [];
  return LEGACY_OPTIONS.filter((option) => {
    const member = legacyMember(type, option);
    return member && !member.questionToken && directUses(fn, option).length === 0;
  });
}

// ---------------------------------------------------------------------------------------------
// new-backend-only

/** One read of an old option, and what removing it takes when its value is dead. */
interface OptionRead {
  node: ts.Node;
  /** The statement or binding element to delete, when nothing uses what it declares. */
  removable?: ts.VariableStatement | ts.BindingElement;
}

/**
 * Old options the router (without adapters) no longer needs: every read is a local nobody
 * uses, so the reads, the member and the old imports can go.
 */
export function droppableOptions(fn: FunctionLike): LegacyOption[] {
  if (hasAdaptersCall(fn)) return [];
  const type = localOptionsType(fn);
  return LEGACY_OPTIONS.filter((option) => {
    const reads = optionReads(fn, option);
    const declared = type ? !!legacyMember(type, option) : false;
    return (declared || reads.length > 0) && reads.every((r) => r.removable);
  });
}

function optionReads(fn: FunctionLike, option: LegacyOption): OptionRead[] {
  const body = fn.body;
  const param = fn.parameters[0];
  if (!body || !param) return [];
  const reads: OptionRead[] = [];
  const unused = (name: ts.BindingName) => ts.isIdentifier(name) && referencesTo(body, name.text).every((r) => r === name);
  const fromPattern = (pattern: ts.ObjectBindingPattern) => {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken || propertyNameText(element.propertyName ?? element.name) !== option) continue;
      reads.push({ node: element, removable: unused(element.name) ? element : undefined });
    }
  };
  if (ts.isObjectBindingPattern(param.name)) fromPattern(param.name);
  const optionsName = ts.isIdentifier(param.name) ? param.name.text : undefined;
  walk(body, (node) => {
    if (!optionsName) return;
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const init = skipParens(node.initializer);
      if (ts.isIdentifier(init) && init.text === optionsName) fromPattern(node.name);
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === option && ts.isIdentifier(node.expression) && node.expression.text === optionsName) {
      reads.push({ node, removable: deadLocalOf(node, unused) });
    }
  });
  return reads;
}

/** `const x = options.identity;` or `const x = options.identity ?? fallback;` with `x` unused: that statement. */
function deadLocalOf(access: ts.Node, unused: (name: ts.BindingName) => boolean): ts.VariableStatement | undefined {
  let value: ts.Node = access;
  while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const defaulting = value.parent;
  if (
    ts.isBinaryExpression(defaulting) &&
    defaulting.left === value &&
    (defaulting.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || defaulting.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    value = defaulting;
    while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
  }
  const declaration = value.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== value || !unused(declaration.name)) return undefined;
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 ? statement : undefined;
}

/** Removes the old options `droppableOptions` names: their dead reads, the members, the old imports. */
export function dropLegacyOptions(sourceFile: SourceFile, fn: Node): boolean {
  let dropped = false;
  for (const option of LEGACY_OPTIONS) {
    if (fn.wasForgotten() || !droppableOptions(fn.compilerNode as FunctionLike).includes(option)) continue;
    // One read at a time: each removal re-creates the nodes around it.
    for (let guard = 0; guard < 20; guard++) {
      const read = optionReads(fn.compilerNode as FunctionLike, option)[0];
      if (!read?.removable) break;
      removeRead(sourceFile, read.removable);
    }
    const type = localOptionsType(fn.compilerNode as FunctionLike);
    const member = type && legacyMember(type, option);
    if (member) removeMember(wrapNode(sourceFile, member));
    dropped = true;
  }
  if (dropped) for (const name of LEGACY_IMPORTS) removeImportIfUnused(sourceFile, name);
  return dropped;
}

/** Removes a member with the `//` comment lines right above it, which describe it. */
function removeMember(member: Node): void {
  const owner = member.getParentOrThrow();
  if (!Node.isInterfaceDeclaration(owner) && !Node.isTypeLiteral(owner)) throw new FixRefusal('unexpected options type');
  const all = owner.getMembersWithComments();
  const index = all.findIndex((m) => m.getStart() === member.getStart() && m.getKind() === member.getKind());
  const comments: Node[] = [];
  let line = member.getStartLineNumber();
  for (let i = index - 1; i >= 0; i--) {
    const previous = all[i];
    const isComment = previous.getKind() === SyntaxKind.SingleLineCommentTrivia || previous.getKind() === SyntaxKind.MultiLineCommentTrivia;
    if (!isComment || previous.getEndLineNumber() !== line - 1) break;
    comments.push(previous);
    line = previous.getStartLineNumber();
  }
  member.asKindOrThrow(SyntaxKind.PropertySignature).remove();
  for (const comment of comments) (comment as Node & { remove(): void }).remove();
}

function removeRead(sourceFile: SourceFile, removable: ts.VariableStatement | ts.BindingElement): void {
  const node = wrapNode(sourceFile, removable);
  if (Node.isVariableStatement(node)) {
    node.remove();
    return;
  }
  const pattern = node.getParentOrThrow();
  const elements = pattern.getChildrenOfKind(SyntaxKind.BindingElement);
  const declaration = pattern.getParent();
  if (elements.length === 1 && Node.isVariableDeclaration(declaration)) {
    const statement = declaration.getVariableStatement();
    if (!statement || statement.getDeclarations().length !== 1) throw new FixRefusal('the old option is read in a shared declaration');
    statement.remove();
    return;
  }
  if (elements.length === 1) throw new FixRefusal('the old option is the only destructured parameter');
  removeListItem(pattern, elements, elements.findIndex((e) => e.getStart() === removable.getStart()));
}

// ---------------------------------------------------------------------------------------------

/** After a fix wired a service into this router: the old options' next shape for the target. */
export function settleLegacyOptions(sourceFile: SourceFile, fn: Node, target: MigrationTarget): void {
  if (fn.wasForgotten()) return;
  if (target === 'new-backend-only') {
    dropLegacyOptions(sourceFile, fn);
    return;
  }
  for (const option of idleRequiredOptions(fn.compilerNode as FunctionLike)) {
    // Read the type again each time: the previous edit re-created its nodes.
    const type = localOptionsType(fn.compilerNode as FunctionLike);
    const member = type && legacyMember(type, option);
    if (member) wrapNode(sourceFile, member).asKindOrThrow(SyntaxKind.PropertySignature).setHasQuestionToken(true);
  }
}
