// Debounces work per document: a newer request for the same document replaces the pending one,
// so a burst of edits costs one analysis of the last version.
export class DebouncedScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, delayMs),
    );
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
  }
}

/**
 * Lets messages that arrived during a long synchronous analysis (a newer didChange) be handled
 * before we decide to publish. vscode-jsonrpc needs a few event-loop turns from bytes to handler
 * (read, decode behind its read lock, then dispatch from its message queue), each one a
 * setImmediate; we wait one turn more than that.
 */
const TURNS_TO_DISPATCH = 4;

export async function yieldToEventLoop(): Promise<void> {
  for (let turn = 0; turn < TURNS_TO_DISPATCH; turn++) await new Promise((resolve) => setImmediate(resolve));
}
