import { SyntaxKind, ts } from 'ts-morph';
import type { Rule } from '../engine/types';
import { wrapNode } from '../engine/morph';
import { isFunctionLike, nodesOfKind, propertyNameText, rangeOf, referencesTo } from './shared/ast';
import { guide } from './shared/docs';
import { removeListItem } from './shared/lists';

const LEGACY_KEYS = ['identity', 'tokenManager'];

/**
 * After the calls move to `auth`/`httpAuth`, `const { tokenManager } = options` is left behind
 * with no reader. The option itself stays (old-system callers still pass it); only the
 * dead local goes.
 */
export const unusedLegacyBinding: Rule = {
  id: 'unused-legacy-binding',
  title: 'Old service read from the options but no longer used',
  severity: 'hint',
  docsUrl: guide.createRouter,
  explanation:
    'Once every call goes through `auth` and `httpAuth`, a `tokenManager` or `identity` taken out of the router options ' +
    'is dead code. The options keep the member (callers of the old backend system may still pass it, and ' +
    '`createLegacyAuthAdapters` uses it); only the unused local is removed.',
  example: {
    before: [
      'export async function createRouter(options: { logger: { info(m: string): void }; tokenManager?: unknown }) {',
      '  const { logger, tokenManager } = options;',
      "  logger.info('ready');",
      '}',
      '',
    ].join('\n'),
    after: [
      'export async function createRouter(options: { logger: { info(m: string): void }; tokenManager?: unknown }) {',
      '  const { logger } = options;',
      "  logger.info('ready');",
      '}',
      '',
    ].join('\n'),
  },
  triggers: LEGACY_KEYS,

  detect(ctx) {
    return unusedLegacyElements(ctx.sourceFile).map(({ element, key }) => ({
      range: rangeOf(element),
      message: `\`${key}\` is taken from the options but never used.`,
      fixes: [{ id: 'remove', title: `Remove the unused \`${key}\``, preferred: true }],
    }));
  },

  fix({ sourceFile }, finding) {
    const found = unusedLegacyElements(sourceFile.compilerNode).find(({ element }) => element.getStart() === finding.range.start);
    if (!found) throw new Error('binding moved');
    const pattern = wrapNode(sourceFile, found.element.parent);
    const elements = pattern.getChildrenOfKind(SyntaxKind.BindingElement);
    if (elements.length === 1) {
      pattern.getFirstAncestorByKindOrThrow(SyntaxKind.VariableStatement).remove();
      return;
    }
    const index = elements.findIndex((e) => e.getStart() === finding.range.start);
    removeListItem(pattern, elements, index);
  },
};

/** `const { tokenManager } = someIdentifier` elements whose local is never read. */
function unusedLegacyElements(root: ts.Node): { element: ts.BindingElement; key: string }[] {
  const result: { element: ts.BindingElement; key: string }[] = [];
  for (const declaration of nodesOfKind<ts.VariableDeclaration>(root, ts.SyntaxKind.VariableDeclaration)) {
    if (!ts.isObjectBindingPattern(declaration.name) || !declaration.initializer || !ts.isIdentifier(declaration.initializer)) continue;
    const scope = enclosingScope(declaration);
    for (const element of declaration.name.elements) {
      const key = propertyNameText(element.propertyName ?? element.name);
      if (!key || !LEGACY_KEYS.includes(key) || !ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
      if (referencesTo(scope, element.name.text).length === 0) result.push({ element, key });
    }
  }
  return result;
}

function enclosingScope(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}
