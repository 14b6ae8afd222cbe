// What one analysis read besides its own file: every sibling a rule asked the host for (a
// plugin's router, an imported options type, ...), with what came back. A result cache keeps
// this list with the findings; the findings stay valid while each of these reads would return
// the same text (or, for a file that was missing, still nothing).
import type { ProjectHost } from './types';

export interface FileRead {
  path: string;
  /** The size limit the rule asked for (undefined: the host's own). */
  maxBytes?: number;
  /** undefined: missing, unreadable or over the limit. */
  text: string | undefined;
}

/** One key per path and size limit: reads of the same file with another limit can differ. */
export function readKey(path: string, maxBytes: number | null | undefined): string {
  return `${maxBytes ?? ''}\u0000${path}`;
}

/** `host`, noting each read in `reads`; parses are passed through (they follow a read). */
export function loggingHost(host: ProjectHost, reads: FileRead[]): ProjectHost {
  return {
    readFile(path, options) {
      const text = host.readFile(path, options);
      reads.push({ path, maxBytes: options?.maxBytes, text });
      return text;
    },
    ...(host.parse ? { parse: host.parse.bind(host) } : {}),
  };
}
