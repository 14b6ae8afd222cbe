// What the "Add Auth Policy" command offers: the backend plugins and modules a file registers,
// the routes each one's router serves (read through the host when the router lives in another
// module), and the policies already there. Built on the auth-policy facts the rules use.
import { ts } from 'ts-morph';
import { calleeName, objectProperty, propertyValue, stringValue } from '../../rules/shared/ast';
import {
  existingPolicies,
  httpRouterUses,
  isCovered,
  pluginInits,
  routesOfHandler,
  type PluginInit,
  type RouteKind,
} from '../../rules/shared/authPolicies';
import { ProjectReader } from '../../rules/shared/project';
import { parseSource } from '../source';
import type { ProjectHost } from '../types';

export interface BackendFeature {
  feature: 'plugin' | 'module';
  pluginId?: string;
  moduleId?: string;
  /** Offset where its `registerInit` call starts. */
  registerInitStart: number;
}

export interface PluginRoutes extends BackendFeature {
  routes: { method: string; path: string; policyPath: string; kind: RouteKind; covered: boolean }[];
  policies: { path: string; allow?: string }[];
}

/** Every `registerInit` (with an init function) of a backend plugin or module in the file. */
export function backendFeatures(fileName: string, text: string): BackendFeature[] {
  const sourceFile = parseSource(fileName, text);
  return initsOf(sourceFile).map((init) => featureOf(init, sourceFile));
}

/** The same, with the routes each one's router serves and the policies it already adds. */
export function pluginRoutes(fileName: string, text: string, host: ProjectHost): PluginRoutes[] {
  const sourceFile = parseSource(fileName, text);
  const policies = existingPolicies(sourceFile);
  const reader = new ProjectReader(host);
  const module = { fileName, sourceFile };
  return initsOf(sourceFile).map((init) => {
    const start = init.registerInit.getStart(sourceFile);
    const end = init.registerInit.getEnd();
    const routes: PluginRoutes['routes'] = [];
    for (const use of httpRouterUses(init)) {
      const found = routesOfHandler(use.arguments[0], module, reader);
      if (!found || 'unreadable' in found) continue;
      for (const route of found.routes) {
        routes.push({ method: route.method, path: route.path, policyPath: route.policyPath, kind: route.kind, covered: isCovered(route, policies) });
      }
    }
    const own = policies.policies.filter((p) => start <= p.call.getStart(sourceFile) && p.call.getEnd() <= end);
    return {
      ...featureOf(init, sourceFile),
      routes,
      policies: own.map((p) => ({ path: p.path, ...(p.allow === undefined ? {} : { allow: p.allow }) })),
    };
  });
}

function initsOf(sourceFile: ts.SourceFile): PluginInit[] {
  return pluginInits(sourceFile).filter((init) => init.init);
}

function featureOf(init: PluginInit, sourceFile: ts.SourceFile): BackendFeature {
  return { feature: init.feature, ...featureIds(init), registerInitStart: init.registerInit.getStart(sourceFile) };
}

/** The literal `pluginId`/`moduleId` of the `createBackendPlugin`/`createBackendModule` around the init. */
function featureIds(init: PluginInit): { pluginId?: string; moduleId?: string } {
  for (let node: ts.Node = init.registerInit; node.parent; ) {
    node = node.parent;
    if (!ts.isCallExpression(node)) continue;
    const name = calleeName(node);
    if (name !== 'createBackendPlugin' && name !== 'createBackendModule') continue;
    const options: ts.Expression | undefined = node.arguments[0];
    if (!options || !ts.isObjectLiteralExpression(options)) return {};
    const read = (key: string) => {
      const property = objectProperty(options, key);
      return stringValue(property && propertyValue(property));
    };
    const pluginId = read('pluginId');
    const moduleId = read('moduleId');
    return { ...(pluginId === undefined ? {} : { pluginId }), ...(moduleId === undefined ? {} : { moduleId }) };
  }
  return {};
}

/** A cheap test before parsing: could the file register a backend plugin or module? */
export function mayRegisterFeature(text: string): boolean {
  return text.includes('registerInit') && (text.includes('createBackendPlugin') || text.includes('createBackendModule'));
}
