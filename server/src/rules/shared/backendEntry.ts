// Facts about a backend entry file (`packages/backend/src/index.ts`): which backend system it
// runs, and which features it adds with `backend.add(...)`. Syntax only.
import { ts } from 'ts-morph';
import { calleeName, callsBelow, methodCall, nodesOfKind, skipParens, stringValue } from './ast';
import { importOf } from './project';

export const AUTH_BACKEND = '@backstage/plugin-auth-backend';
export const GUEST_PROVIDER_MODULE = '@backstage/plugin-auth-backend-module-guest-provider';

export interface FeatureAdd {
  /** The whole `backend.add(...)` call. */
  call: ts.CallExpression;
  /** The receiver as written (`backend`). */
  receiver: string;
  /** The package the feature comes from. */
  packageName: string;
}

/**
 * `backend.add(import('pkg'))`, `backend.add(import('pkg/alpha'))`, and
 * `backend.add(feature)` where `feature` is imported or required from the package.
 */
export function featureAdds(file: ts.SourceFile): FeatureAdd[] {
  const adds: FeatureAdd[] = [];
  for (const node of callsBelow(file)) {
    const call = methodCall(node);
    if (!call || call.method !== 'add' || node.arguments.length !== 1) continue;
    const receiver = skipParens(call.receiver);
    if (!ts.isIdentifier(receiver)) continue;
    const packageName = featurePackage(file, node.arguments[0]);
    if (packageName) adds.push({ call: node, receiver: receiver.text, packageName });
  }
  return adds;
}

function featurePackage(file: ts.SourceFile, argument: ts.Expression): string | undefined {
  const value = skipParens(argument);
  if (ts.isCallExpression(value) && value.expression.kind === ts.SyntaxKind.ImportKeyword) {
    return packageOf(stringValue(value.arguments[0]));
  }
  const named = ts.isCallExpression(value) ? value.expression : value;
  if (ts.isIdentifier(named)) return packageOf(importOf(file, named.text)?.specifier);
  return undefined;
}

/** `@scope/name/alpha` -> `@scope/name`; relative paths are no package. */
function packageOf(specifier: string | undefined): string | undefined {
  if (!specifier || specifier.startsWith('.')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** True when the file builds a backend of the new system (`createBackend()`). */
export function createsNewBackend(file: ts.SourceFile): boolean {
  return callsBelow(file).some((call) => {
    const name = calleeName(call);
    return name === 'createBackend' || name === 'createSpecializedBackend';
  });
}

export interface LegacyBackendMarkers {
  /** The node a finding is best placed on: `createServiceBuilder`, else `makeCreateEnv`, else `useHotMemoize`. */
  anchor: ts.Node;
  /** What was seen, for the message (`createServiceBuilder`, `makeCreateEnv`, ...). */
  seen: string[];
}

/**
 * The old backend system's entry file: `makeCreateEnv`/`useHotMemoize` (only backend entries
 * have them), or `createServiceBuilder` wired with a `PluginEnvironment`. A plugin's standalone
 * dev server also calls `createServiceBuilder`, but without either, so it is left alone.
 */
export function legacyBackendMarkers(file: ts.SourceFile): LegacyBackendMarkers | undefined {
  const calls = callsBelow(file);
  const serviceBuilder = calls.find((c) => calleeName(c) === 'createServiceBuilder');
  const hotMemoize = calls.find((c) => calleeName(c) === 'useHotMemoize');
  const makeCreateEnv = makeCreateEnvName(file) ?? calls.find((c) => calleeName(c) === 'makeCreateEnv')?.expression;
  const pluginEnvironment = nodesOfKind<ts.TypeReferenceNode>(file, ts.SyntaxKind.TypeReference).some((t) => {
    const name = t.typeName;
    return (ts.isIdentifier(name) ? name.text : name.right.text) === 'PluginEnvironment';
  });
  const isEntry = !!makeCreateEnv || !!hotMemoize || (!!serviceBuilder && pluginEnvironment);
  if (!isEntry) return undefined;
  const seen = [
    ...(serviceBuilder ? ['createServiceBuilder'] : []),
    ...(makeCreateEnv ? ['makeCreateEnv'] : []),
    ...(hotMemoize ? ['useHotMemoize'] : []),
    ...(pluginEnvironment ? ['PluginEnvironment'] : []),
  ];
  const anchor = serviceBuilder?.expression ?? makeCreateEnv ?? hotMemoize!.expression;
  return { anchor, seen };
}

/** The name node of a `makeCreateEnv` function declared in the file. */
function makeCreateEnvName(file: ts.SourceFile): ts.Node | undefined {
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'makeCreateEnv') return statement.name;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === 'makeCreateEnv') return declaration.name;
      }
    }
  }
  return undefined;
}
