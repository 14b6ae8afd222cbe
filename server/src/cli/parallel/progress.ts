// "checked 1200/10000 files" on stderr while a long run works, redrawn in place. Only on a
// terminal: a pipe or a CI log gets nothing, and neither does a machine-readable format.
import type { CliIO } from '../io';
import type { ProgressListener } from './pool';

const REDRAW_MS = 100;
const CLEAR_LINE = '\r\u001b[K';

export interface TerminalProgress {
  update: ProgressListener;
  /** Removes the progress line (before the report is printed). */
  end(): void;
}

export function terminalProgress(io: CliIO, verb: string, enabled: boolean): TerminalProgress {
  if (!enabled || !io.errIsTerminal) return { update: () => {}, end: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < REDRAW_MS && done < total) return;
      last = now;
      shown = true;
      io.err(`${CLEAR_LINE}${verb} ${done}/${total} files`);
    },
    end() {
      if (shown) io.err(CLEAR_LINE);
    },
  };
}
