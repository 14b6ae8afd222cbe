// Project hosts: how a rule reads sibling files. The CLI reads the disk; the language server
// reads its open documents first (unsaved edits win), then the disk.
import { readFileSync, statSync } from 'node:fs';
import type { ProjectHost } from './types';

const MAX_SIBLING_BYTES = 2_000_000;

/** A host with no files: for analyses given no way to read siblings. */
export const NO_FILES: ProjectHost = { readFile: () => undefined };

export interface DiskHostOptions {
  /** Texts that win over the disk (the editor's open documents). */
  overlay?: (absolutePath: string) => string | undefined;
  /**
   * Paths the caller already knows are not there (a CLI run's walk listed their folder),
   * answered without a stat: most paths rules ask for are lockfile names and package.json files
   * of folders without one.
   */
  knownAbsent?: (absolutePath: string) => boolean;
}

export function diskHost({ overlay, knownAbsent }: DiskHostOptions = {}): ProjectHost {
  return {
    readFile(absolutePath, options) {
      const open = overlay?.(absolutePath);
      if (open !== undefined) return open;
      if (knownAbsent?.(absolutePath)) return undefined;
      try {
        // Most paths asked for do not exist (lockfile names, import candidates): no exception for those.
        const stats = statSync(absolutePath, { throwIfNoEntry: false });
        if (!stats || stats.size > (options?.maxBytes ?? MAX_SIBLING_BYTES)) return undefined;
        return readFileSync(absolutePath, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
