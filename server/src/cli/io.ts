/** Where a command writes; the entry point binds it to the process, tests could too. */
export interface CliIO {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: long runs may show progress there. */
  errIsTerminal?: boolean;
}

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;
