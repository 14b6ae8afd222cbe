// ts-morph files for fixes. Each fix gets its own in-memory project so fixes never see each
// other's half-done state; manipulation settings follow the file's own style.
import {
  IndentationText,
  NewLineKind,
  Node,
  Project,
  QuoteKind,
  type SourceFile,
  ts,
} from 'ts-morph';
import { scriptKindOf } from './source';

export function createFixSourceFile(fileName: string, text: string): SourceFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve },
    manipulationSettings: {
      indentationText: detectIndentation(text),
      newLineKind: text.includes('\r\n')
        ? NewLineKind.CarriageReturnLineFeed
        : NewLineKind.LineFeed,
      quoteKind: detectQuote(text),
      usePrefixAndSuffixTextForRename: false,
      useTrailingCommas: detectTrailingCommas(text),
    },
  });
  return project.createSourceFile(virtualName(fileName), text, {
    overwrite: true,
    scriptKind: scriptKindOf(fileName),
  });
}

/** ts-morph's memory file system wants a plain absolute path. */
function virtualName(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() || 'file.ts';
  return `/fix/${base}`;
}

function detectIndentation(text: string): IndentationText {
  const match = /^( +|\t)\S/m.exec(text);
  if (!match) return IndentationText.TwoSpaces;
  const indent = match[1];
  if (indent === '\t') return IndentationText.Tab;
  if (indent.length === 4) return IndentationText.FourSpaces;
  if (indent.length === 8) return IndentationText.EightSpaces;
  return IndentationText.TwoSpaces;
}

function detectQuote(text: string): QuoteKind {
  const match = /\bfrom\s+(['"])|\brequire\((['"])/.exec(text);
  const quote = match?.[1] ?? match?.[2];
  return quote === '"' ? QuoteKind.Double : QuoteKind.Single;
}

function detectTrailingCommas(text: string): boolean {
  return /,\s*\n\s*[}\])]/.test(text);
}

/**
 * The wrapper of a compiler node of this file (found during detection or planning). Several
 * nodes can share one range (a statement and its expression), so the kind decides.
 */
export function wrapNode(sourceFile: SourceFile, node: ts.Node): Node {
  const found = nodeAtStart(sourceFile, node.getStart(), node.kind, node.getEnd());
  if (!found) throw new Error(`no ${ts.SyntaxKind[node.kind]} at ${node.getStart()}`);
  return found;
}

/** The node of `kind` starting at `start` (and ending at `end`, when given). */
export function nodeAtStart(sourceFile: SourceFile, start: number, kind: ts.SyntaxKind, end?: number): Node | undefined {
  let found: Node | undefined;
  sourceFile.forEachDescendant((node, traversal) => {
    if (node.getEnd() < start || node.getPos() > start) {
      traversal.skip();
      return;
    }
    if (node.getKind() === kind && node.getStart() === start && (end === undefined || node.getEnd() === end)) {
      found = node;
      traversal.stop();
    }
  });
  return found;
}

/**
 * Replaces a node with exactly `text`. ts-morph's own `replaceWithText` re-indents every line
 * after the first by the node's indentation, which would double-indent text that already has
 * the right indentation (e.g. a list rebuilt from its original text).
 */
export function replaceVerbatim(node: Node, text: string): Node {
  let written = '';
  const writer = {
    write(chunk: string) {
      written += chunk;
      return writer;
    },
    toString: () => written,
  };
  // The second parameter (the writer) is internal to ts-morph but stable since its early versions.
  const replace = node.replaceWithText as unknown as (this: Node, t: string, w: unknown) => Node;
  return replace.call(node, text, writer);
}

/** The file's line break, for text a fix builds itself. */
export function newLineOf(sourceFile: SourceFile): string {
  return sourceFile.getFullText().includes('\r\n') ? '\r\n' : '\n';
}
