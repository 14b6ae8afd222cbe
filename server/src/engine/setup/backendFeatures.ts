// The backend plugins and modules a file registers (for "Add Auth Policy…" to offer, and to
// name them): each `registerInit` with an init function, with the literal ids of its
// `createBackendPlugin`/`createBackendModule`.
import { ts } from 'ts-morph';
import { calleeName, objectProperty, propertyValue, stringValue } from '../../rules/shared/ast';
import { pluginInits, type PluginInit } from '../../rules/shared/authPolicies';
import { parseSource } from '../source';

export interface BackendFeature {
  feature: 'plugin' | 'module';
  pluginId?: string;
  moduleId?: string;
  /** Offset where its `registerInit` call starts. */
  registerInitStart: number;
}

export function backendFeatures(fileName: string, text: string): BackendFeature[] {
  const sourceFile = parseSource(fileName, text);
  return pluginInits(sourceFile)
    .filter((init) => init.init)
    .map((init) => ({ feature: init.feature, ...featureIds(init), registerInitStart: init.registerInit.getStart(sourceFile) }));
}

/** A cheap test before parsing: could the file register a backend plugin or module? */
export function mayRegisterFeature(text: string): boolean {
  return text.includes('registerInit') && (text.includes('createBackendPlugin') || text.includes('createBackendModule'));
}

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
