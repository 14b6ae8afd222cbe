import { SyntaxKind, ts } from 'ts-morph';
import type { Rule } from '../engine/types';
import { wrapNode } from '../engine/morph';
import { findAll, nodesOfKind, rangeOf, typeReferenceName } from './shared/ast';
import { guide } from './shared/docs';
import { BACKEND_PLUGIN_API, ensureImport, removeImportIfUnused } from './shared/imports';

/**
 * `PermissionEvaluator` only takes `{ token }`; `PermissionsService` (what
 * `coreServices.permissions` is) also takes `{ credentials }`.
 */
export const permissionEvaluatorType: Rule = {
  id: 'permission-evaluator-type',
  title: 'PermissionEvaluator -> PermissionsService',
  severity: 'warning',
  docsUrl: guide.forwarding,
  explanation:
    'A `PermissionEvaluator` can only be handed a raw `token`, which the new auth services no longer give you. ' +
    'Type the permissions dependency as `PermissionsService` from `@backstage/backend-plugin-api` so it accepts `{ credentials }`. ' +
    'The permissions service of the new backend system and `ServerPermissionClient` both already implement it.',
  example: {
    before: [
      "import { PermissionEvaluator } from '@backstage/plugin-permission-common';",
      '',
      'export interface RouterOptions {',
      '  permissions: PermissionEvaluator;',
      '}',
      '',
    ].join('\n'),
    after: [
      "import type { PermissionsService } from '@backstage/backend-plugin-api';",
      '',
      'export interface RouterOptions {',
      '  permissions: PermissionsService;',
      '}',
      '',
    ].join('\n'),
  },
  triggers: ['PermissionEvaluator'],

  detect(ctx) {
    return nodesOfKind<ts.TypeReferenceNode>(ctx.sourceFile, ts.SyntaxKind.TypeReference)
      .filter((type) => typeReferenceName(type) === 'PermissionEvaluator')
      .map((type) => ({
        range: rangeOf(type),
        message: '`PermissionEvaluator` cannot take credentials; use `PermissionsService`.',
        fixes: [{ id: 'use-permissions-service', title: 'Use PermissionsService', preferred: true }],
      }));
  },

  fix({ sourceFile }, finding) {
    const type = wrapNode(sourceFile, findTypeAt(sourceFile.compilerNode, finding.range.start));
    type.asKindOrThrow(SyntaxKind.TypeReference).getTypeName().replaceWithText('PermissionsService');
    ensureImport(sourceFile, BACKEND_PLUGIN_API, 'PermissionsService', { typeOnly: true });
    removeImportIfUnused(sourceFile, 'PermissionEvaluator');
  },
};

function findTypeAt(root: ts.SourceFile, start: number): ts.TypeReferenceNode {
  const type = findAll(root, ts.isTypeReferenceNode).find((t) => t.getStart() === start);
  if (!type) throw new Error('type reference moved');
  return type;
}
