// Output-channel messages that would repeat on every keystroke are written once per key.
export class OnceLog {
  private readonly seen = new Set<string>();

  constructor(private readonly write: (message: string) => void) {}

  /** Writes `message` unless something was already written under `key`. */
  once(key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.write(message);
  }
}
