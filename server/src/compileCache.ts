// Node 22.1+ can keep V8's compiled code of our bundles between runs (in the OS temp folder,
// keyed by file content). TypeScript is most of that code, so every later start of the CLI,
// its workers and the language server is cheaper. On older Node there is nothing to enable.
import * as nodeModule from 'node:module';

export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  try {
    enable?.();
  } catch {
    // A cache that cannot be written costs speed only.
  }
}
