// Reading other files of the project through the host: which module a name is imported from,
// where that module is, and which function it exports under that name. Syntax only; each file
// is parsed once per reader (one reader per analysis or fix), never cached beyond it.
import { dirname, join } from 'node:path';
import { ts } from 'ts-morph';
import type { DetectContext, ProjectHost } from '../../engine/types';
import { parseForDetection } from '../../engine/preorder';
import { propertyNameText, skipParens } from './ast';

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction;

export interface ModuleFile {
  fileName: string;
  sourceFile: ts.SourceFile;
}

export interface ImportedName {
  /** The module specifier as written (`./service/router`). */
  specifier: string;
  /** The exported name (`default` for a default import). */
  importedName: string;
}

export interface FoundFunction {
  module: ModuleFile;
  fn: FunctionLike;
}

/** An options type: the members of an interface or of a type literal. */
export type ObjectType = ts.InterfaceDeclaration | ts.TypeLiteralNode;

export interface FoundType {
  module: ModuleFile;
  type: ObjectType;
}

/** Reads and parses sibling files; one per analysis (see `projectReader`). */
export class ProjectReader {
  private readonly parsed = new Map<string, ModuleFile | undefined>();

  constructor(private readonly host: ProjectHost) {}

  read(fileName: string): ModuleFile | undefined {
    if (!this.parsed.has(fileName)) {
      const text = this.host.readFile(fileName);
      // Sibling files are only read, never edited: flattened like the analyzed file.
      const sourceFile = text === undefined ? undefined : parseForDetection(fileName, text, this.host);
      this.parsed.set(fileName, sourceFile && { fileName, sourceFile });
    }
    return this.parsed.get(fileName);
  }

  /** The file a relative specifier points at (`./router` -> `./router.ts`, `./service` -> `./service/index.ts`). */
  resolve(fromFile: string, specifier: string): ModuleFile | undefined {
    if (!isRelative(specifier)) return undefined;
    const base = join(dirname(fromFile), specifier);
    for (const candidate of candidatesOf(base)) {
      const found = this.read(candidate);
      if (found) return found;
    }
    return undefined;
  }

  /** The function `module` exports as `name`, following `export { x } from` and `export * from`. */
  exportedFunction(module: ModuleFile, name: string): FoundFunction | undefined {
    const found = this.exported(module, name, declaredFunction, 0);
    return found && { module: found.module, fn: found.node };
  }

  /** The object type (interface or type literal) `module` exports as `name`. */
  exportedType(module: ModuleFile, name: string): FoundType | undefined {
    const found = this.exported(module, name, declaredObjectType, 0);
    return found && { module: found.module, type: found.node };
  }

  private exported<T>(
    module: ModuleFile,
    name: string,
    declared: (file: ts.SourceFile, name: string) => T | undefined,
    depth: number,
  ): { module: ModuleFile; node: T } | undefined {
    if (depth > 4) return undefined;
    const node = declared(module.sourceFile, name);
    if (node) return { module, node };
    for (const statement of module.sourceFile.statements) {
      if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
      if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
      let target: string | undefined;
      if (!statement.exportClause) target = name;
      else if (ts.isNamedExports(statement.exportClause)) {
        const specifier = statement.exportClause.elements.find((e) => e.name.text === name);
        target = specifier && (specifier.propertyName ?? specifier.name).text;
      }
      if (!target) continue;
      const next = this.resolve(module.fileName, statement.moduleSpecifier.text);
      const found = next && this.exported(next, target, declared, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

/** The reader of this analysis (shared by every rule that looks at sibling files). */
export function projectReader(ctx: DetectContext): ProjectReader {
  return ctx.shared('project-reader', () => new ProjectReader(ctx.host));
}

export function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.jsx'];

function candidatesOf(base: string): string[] {
  // ESM TypeScript writes `./router.js` for `./router.ts`.
  const withoutJs = /\.(c|m)?js$/.test(base) ? [base.replace(/\.(c|m)?js$/, '.ts'), base] : [];
  return [
    ...withoutJs,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
}

/** Where `localName` is imported from (`import`, or a destructured / plain `require`). */
export function importOf(sourceFile: ts.SourceFile, localName: string): ImportedName | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.importClause) {
      const clause = statement.importClause;
      const specifier = statement.moduleSpecifier.text;
      if (clause.name?.text === localName) return { specifier, importedName: 'default' };
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        const element = bindings.elements.find((e) => e.name.text === localName);
        if (element) return { specifier, importedName: (element.propertyName ?? element.name).text };
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const specifier = declaration.initializer && requiredModule(declaration.initializer);
        if (!specifier) continue;
        if (ts.isObjectBindingPattern(declaration.name)) {
          const element = declaration.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === localName);
          const key = element && propertyNameText(element.propertyName ?? element.name);
          if (key) return { specifier, importedName: key };
        }
      }
    }
  }
  return undefined;
}

function requiredModule(expression: ts.Expression): string | undefined {
  const call = skipParens(expression);
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'require') return undefined;
  const [argument] = call.arguments;
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

/**
 * A function this file declares under `name`: `function name`, `const name = () => {}`,
 * `export default function`, `exports.name = function`, `module.exports = { name }`.
 */
export function declaredFunction(sourceFile: ts.SourceFile, name: string): FunctionLike | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.body) {
      if (statement.name?.text === name) return statement;
      if (name === 'default' && hasDefaultModifier(statement)) return statement;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
          const fn = asFunction(declaration.initializer);
          if (fn) return fn;
        }
      }
    }
    if (ts.isExportAssignment(statement) && name === 'default') {
      const value = skipParens(statement.expression);
      if (ts.isIdentifier(value)) return declaredFunction(sourceFile, value.text);
      const fn = asFunction(value);
      if (fn) return fn;
    }
    if (ts.isExpressionStatement(statement)) {
      const fn = commonJsExport(sourceFile, statement.expression, name);
      if (fn) return fn;
    }
  }
  return undefined;
}

function hasDefaultModifier(node: ts.FunctionDeclaration): boolean {
  return !!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function asFunction(expression: ts.Expression): FunctionLike | undefined {
  const value = skipParens(expression);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
}

/** `exports.name = fn`, `module.exports.name = fn`. */
function commonJsExport(sourceFile: ts.SourceFile, expression: ts.Expression, name: string): FunctionLike | undefined {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const target = expression.left;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== name) return undefined;
  const owner = target.expression;
  const isExports =
    (ts.isIdentifier(owner) && owner.text === 'exports') ||
    (ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'module' && owner.name.text === 'exports');
  if (!isExports) return undefined;
  const value = skipParens(expression.right);
  if (ts.isIdentifier(value) && value.text !== name) return declaredFunction(sourceFile, value.text);
  return asFunction(value);
}

/** The function a called identifier refers to: declared in this file, or imported from a relative module. */
export function calledFunction(
  reader: ProjectReader,
  module: ModuleFile,
  callee: string,
): FoundFunction | { unreadable: string } | undefined {
  const local = declaredFunction(module.sourceFile, callee);
  if (local) return { module, fn: local };
  const imported = importOf(module.sourceFile, callee);
  if (!imported) return undefined;
  if (!isRelative(imported.specifier)) return { unreadable: imported.specifier };
  const target = reader.resolve(module.fileName, imported.specifier);
  return (target && reader.exportedFunction(target, imported.importedName)) ?? { unreadable: imported.specifier };
}

/** An interface or object type alias this file declares under `name`. */
export function declaredObjectType(sourceFile: ts.SourceFile, name: string): ObjectType | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement;
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name && ts.isTypeLiteralNode(statement.type)) {
      return statement.type;
    }
  }
  return undefined;
}

/** The object type named `name` as seen from `module`: declared there, or imported from a relative module. */
export function namedType(reader: ProjectReader, module: ModuleFile, name: string): FoundType | undefined {
  const local = declaredObjectType(module.sourceFile, name);
  if (local) return { module, type: local };
  const imported = importOf(module.sourceFile, name);
  if (!imported || !isRelative(imported.specifier)) return undefined;
  const target = reader.resolve(module.fileName, imported.specifier);
  return target && reader.exportedType(target, imported.importedName);
}
