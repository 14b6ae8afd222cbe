// A host for one CLI run, when no file changes under it: every file a rule reads is read once
// (a plugin's router is read for the plugin, for the router's tests, for the router itself),
// and the last few files parsed for detection are kept, so a sibling parsed for one file is
// not parsed again for the next. Never for the language server: there files change between
// analyses, and it keeps no syntax tree of a file that is not open.
import type { ts } from 'ts-morph';
import { parseForDetection } from './preorder';
import { readKey } from './readLog';
import type { ProjectHost } from './types';

export function runHost(base: ProjectHost, keptParses = 32): ProjectHost {
  const reads = new Map<string, string | undefined>();
  // Insertion order is use order (a hit is moved to the end): the first key is the oldest.
  const parses = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
  return {
    readFile(absolutePath, options) {
      const key = readKey(absolutePath, options?.maxBytes);
      if (!reads.has(key)) reads.set(key, base.readFile(absolutePath, options));
      return reads.get(key);
    },
    parse(fileName, text) {
      const kept = parses.get(fileName);
      parses.delete(fileName);
      const sourceFile = kept && kept.text === text ? kept.sourceFile : parseForDetection(fileName, text);
      parses.set(fileName, { text, sourceFile });
      if (parses.size > keptParses) parses.delete(parses.keys().next().value!);
      return sourceFile;
    },
  };
}
