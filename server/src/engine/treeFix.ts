// Fixing a tree of files together, for the CLI's `fix` and the language server's migrate
// commands. Some fixes wait on another file (a plugin's deps wait until its router no longer
// needs `tokenManager`); fixed one by one against the tree as it was, those would need a second
// run. Here the rules read the other files' fixed texts, and files with findings left are fixed
// again while a pass changes something, so one run does what repeated runs would.
import { fixAll, type EngineOptions, type FixAllResult } from './engine';
import type { Finding, ProjectHost } from './types';

/** How many times a file is fixed at most: its first fix, then once per settle pass. */
export const MAX_FIXES_PER_FILE = 5;

/** One file of the tree and its fixes so far. */
export interface TreeFile {
  readonly fileName: string;
  /** The text before any fix. */
  readonly original: string;
  /** The text after every fix so far. */
  readonly text: string;
  /** Every fix so far, in order, each with its edits on the text as it was right before it. */
  readonly applied: readonly FixAllResult['applied'][number][];
  /** Findings still in `text`. */
  readonly remaining: readonly Finding[];
}

interface MutableTreeFile {
  fileName: string;
  original: string;
  text: string;
  applied: FixAllResult['applied'];
  remaining: Finding[];
}

export class TreeFix {
  /**
   * The caller's options with a host that reads the fixed texts first: use them for the files'
   * first fixes too, and for anything else asked about the fixed tree (why a finding was left).
   */
  readonly options: EngineOptions;
  private readonly fixedTexts = new Map<string, string>();
  private readonly entries: MutableTreeFile[] = [];

  constructor(options: EngineOptions) {
    this.options = { ...options, host: withFixedTexts(this.fixedTexts, options.host) };
  }

  get files(): readonly TreeFile[] {
    return this.entries;
  }

  /** A file and its first fix-all (made with `options` or not, on `original`). */
  add(fileName: string, original: string, first: FixAllResult): TreeFile {
    const file: MutableTreeFile = { fileName, original, text: original, applied: [], remaining: [] };
    this.entries.push(file);
    this.record(file, first);
    return file;
  }

  /**
   * Fixes the files with findings left again, in the order they were added, while a pass changes
   * something. Yields each file right before fixing it again, so a caller can stop there (the
   * file then keeps what it had); `settleAll` runs it to the end.
   */
  *settle(): Generator<TreeFile, void, undefined> {
    let changed = this.entries.some((file) => file.text !== file.original);
    for (let fixes = 1; changed && fixes < MAX_FIXES_PER_FILE; fixes++) {
      changed = false;
      for (const file of this.entries) {
        if (file.remaining.length === 0) continue;
        yield file;
        const result = fixAll(file.fileName, file.text, this.options);
        if (result.text !== file.text) changed = true;
        this.record(file, result);
      }
    }
  }

  settleAll(): void {
    const steps = this.settle();
    while (!steps.next().done);
  }

  private record(file: MutableTreeFile, result: FixAllResult): void {
    file.text = result.text;
    file.applied.push(...result.applied);
    file.remaining = result.remaining;
    if (result.text !== file.original) this.fixedTexts.set(file.fileName, result.text);
  }
}

/**
 * Reads the tree's fixed texts (not written yet) before the files themselves. A shared parse
 * (the CLI's runHost) stays shared: it is keyed by the text, so a fixed text is parsed anew.
 */
function withFixedTexts(fixedTexts: ReadonlyMap<string, string>, host: ProjectHost | undefined): ProjectHost {
  const parse = host?.parse?.bind(host);
  return {
    readFile: (absolutePath, options) => fixedTexts.get(absolutePath) ?? host?.readFile(absolutePath, options),
    ...(parse ? { parse } : {}),
  };
}
