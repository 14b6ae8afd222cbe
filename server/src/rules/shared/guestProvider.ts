// Adding the guest provider module to a backend entry, right after the auth plugin. Used by the
// guest-provider-module rule's fix and, as a pure text edit, by the "set up guest sign-in" command.
import { type SourceFile, ts } from 'ts-morph';
import { createFixSourceFile } from '../../engine/morph';
import { syntaxErrors, parseSource } from '../../engine/source';
import { FixRefusal } from '../../engine/types';
import { AUTH_BACKEND, featureAdds, GUEST_PROVIDER_MODULE, type FeatureAdd } from './backendEntry';
import { importOf } from './project';
import { insertLinesAfter } from './lineEdits';

export type TextEditResult = { ok: true; text: string } | { ok: false; reason: string };

/** The auth plugin's `backend.add(...)` in a backend entry, if it adds one. */
export function authPluginAdd(file: ts.SourceFile): FeatureAdd | undefined {
  return featureAdds(file).find((add) => add.packageName === AUTH_BACKEND);
}

/** True when the file already adds (or at least imports) the guest provider module. */
export function hasGuestProviderModule(file: ts.SourceFile): boolean {
  if (featureAdds(file).some((add) => add.packageName === GUEST_PROVIDER_MODULE)) return true;
  return file.statements.some(
    (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === GUEST_PROVIDER_MODULE,
  );
}

/** Why the module cannot be added after the auth plugin's line, or undefined when it can. */
export function guestModuleRefusal(add: FeatureAdd): string | undefined {
  const statement = add.call.parent;
  if (!ts.isExpressionStatement(statement) || statement.expression !== add.call) {
    return 'the auth plugin is not added by a statement of its own, so there is no line to put the guest provider module after; add `backend.add(import(\'@backstage/plugin-auth-backend-module-guest-provider\'))` yourself';
  }
  if (!ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent)) {
    return 'the auth plugin is added inside a construct the fix does not edit; add the guest provider module next to it yourself';
  }
  return undefined;
}

/**
 * Inserts `backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));` right
 * after the statement that adds the auth plugin. Throws FixRefusal when it cannot.
 */
export function insertGuestProviderModule(sourceFile: SourceFile): void {
  const file = sourceFile.compilerNode;
  if (hasGuestProviderModule(file)) throw new FixRefusal('the guest provider module is already added');
  const add = authPluginAdd(file);
  if (!add) throw new FixRefusal('this file does not add @backstage/plugin-auth-backend');
  const refusal = guestModuleRefusal(add);
  if (refusal) throw new FixRefusal(refusal);
  const quote = quoteOf(file, add);
  insertLinesAfter(sourceFile, add.call.parent, `${add.receiver}.add(import(${quote}${GUEST_PROVIDER_MODULE}${quote}));`);
}

function quoteOf(file: ts.SourceFile, add: FeatureAdd): string {
  const argument = add.call.arguments[0];
  const literal = ts.isCallExpression(argument) ? argument.arguments[0] : undefined;
  if (literal && ts.isStringLiteral(literal)) return literal.getText(file)[0];
  const imported = ts.isIdentifier(argument) ? importOf(file, argument.text) : undefined;
  if (imported) {
    const specifier = file.statements.find(
      (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === imported.specifier,
    );
    if (specifier) return specifier.moduleSpecifier.getText(file)[0];
  }
  return "'";
}

/** The pure text edit behind the guest provider command: the backend entry with the module added. */
export function addGuestProviderModuleEdit(fileText: string, fileName: string): TextEditResult {
  return editSource(fileText, fileName, insertGuestProviderModule);
}

const BOM = '\uFEFF';

/**
 * Runs a ts-morph edit on a copy of `fileText` and returns the new text, or the reason it was
 * refused. The input and the result must both parse (the engine's own guarantee for fixes).
 */
export function editSource(fileText: string, fileName: string, edit: (sourceFile: SourceFile) => void): TextEditResult {
  const errors = syntaxErrors(parseSource(fileName, fileText));
  if (errors.length > 0) return { ok: false, reason: `the file has syntax errors (${errors[0]}); fix them first` };
  const bom = fileText.startsWith(BOM) ? BOM : '';
  let text: string;
  try {
    const sourceFile = createFixSourceFile(fileName, fileText.slice(bom.length));
    edit(sourceFile);
    text = bom + sourceFile.getFullText();
  } catch (error) {
    if (error instanceof FixRefusal) return { ok: false, reason: error.message };
    throw error;
  }
  const after = syntaxErrors(parseSource(fileName, text));
  if (after.length > 0) return { ok: false, reason: `the edit would not parse (${after[0]}), so it is not made` };
  return { ok: true, text };
}
