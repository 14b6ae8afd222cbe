// Whether an expression holds a catalog client: tokens handed to one are for `'catalog'`.
import { ts } from 'ts-morph';
import { accessedName, propertyNameText, skipParens, typeReferenceName } from './ast';
import { findBinding } from './scope';
import { enclosingClass, MAX_TRACE_DEPTH } from './tokenTargetLookups';

const CATALOG_TYPES = new Set(['CatalogClient', 'CatalogApi', 'CatalogService']);

/**
 * Does the expression hold a catalog client? A declared type (`CatalogApi`, a class member's
 * type) or `new CatalogClient(...)` decides; otherwise the name does (`catalog`,
 * `catalogClient`, `catalogApi`, or the option it was destructured from).
 */
export function isCatalogClient(expression: ts.Expression, depth: number): boolean {
  const expr = skipParens(expression);
  if (depth > MAX_TRACE_DEPTH) return false;
  if (ts.isNewExpression(expr)) return ts.isIdentifier(expr.expression) && CATALOG_TYPES.has(expr.expression.text);
  if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const member = classMemberType(expr);
    if (member !== undefined) return member;
  }
  if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return looksLikeCatalog(accessedName(expr) ?? '');
  if (!ts.isIdentifier(expr)) return false;
  const declaration = findBinding(expr, expr.text)?.parent;
  if (declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration))) {
    const type = typeReferenceName(declaration.type);
    if (type) return CATALOG_TYPES.has(type);
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isCatalogClient(declaration.initializer, depth + 1)) {
      return true;
    }
  }
  if (declaration && ts.isBindingElement(declaration) && looksLikeCatalog(propertyNameText(declaration.propertyName ?? declaration.name) ?? '')) {
    return true;
  }
  return looksLikeCatalog(expr.text);
}

/** `this.x`: true/false when the class declares `x` with a type or initializer, else undefined. */
function classMemberType(access: ts.PropertyAccessExpression): boolean | undefined {
  const cls = enclosingClass(access);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && propertyNameText(member.name) === access.name.text) {
      const type = typeReferenceName(member.type);
      if (type) return CATALOG_TYPES.has(type);
      if (member.initializer) return isCatalogClient(member.initializer, 1);
    }
    if (ts.isConstructorDeclaration(member)) {
      const param = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === access.name.text);
      const type = param && typeReferenceName(param.type);
      if (type) return CATALOG_TYPES.has(type);
    }
  }
  return undefined;
}

function looksLikeCatalog(name: string): boolean {
  return /^catalog(Client|Api)?$/i.test(name);
}
