// A host for one CLI run, when no file changes under it: every file a rule reads is read once
// (a plugin's router is read for the plugin, for the router's tests, for the router itself),
// and the last few files parsed for detection are kept, so a sibling parsed for one file is
// not parsed again for the next. Never for the language server: there files change between
// analyses, and it keeps no syntax tree of a file that is not open.
import type { ts } from 'ts-morph';
import { parseForDetection } from './preorder';
import { readKey } from './readLog';
import type { ProjectHost } from './types';

export function runHost(base: ProjectHost, keptParses = 8): ProjectHost {
  const reads = new Map<string, string | undefined>();
  // Most recently used last. An array, not a Map: V8 links a Map's outgrown backing store to its
  // successor, so once one store was promoted, every later store and the trees in it survived
  // young collections until a full one (a first `check` of bench:scan spent 0.35 s in them).
  const parses: { fileName: string; text: string; sourceFile: ts.SourceFile }[] = [];
  return {
    readFile(absolutePath, options) {
      const key = readKey(absolutePath, options?.maxBytes);
      if (!reads.has(key)) reads.set(key, base.readFile(absolutePath, options));
      return reads.get(key);
    },
    parse(fileName, text) {
      const at = parses.findIndex((kept) => kept.fileName === fileName);
      const kept = at === -1 ? undefined : parses.splice(at, 1)[0];
      const sourceFile = kept && kept.text === text ? kept.sourceFile : parseForDetection(fileName, text);
      parses.push({ fileName, text, sourceFile });
      if (parses.length > keptParses) parses.shift();
      return sourceFile;
    },
  };
}
