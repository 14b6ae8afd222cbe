// Work a shared fix helper must do once the rule's own rewrite is done. `provideService` wires a
// service in before the rule replaces its node (so wrappers stay valid), but whether the router
// still needs its old `identity`/`tokenManager` option can only be told after that replacement.
// The engine runs these actions right after `rule.fix`, on the same ts-morph file.
import type { SourceFile } from 'ts-morph';

const pending = new WeakMap<SourceFile, Map<string, () => void>>();

/** Runs `action` after the current fix of `sourceFile`; a second action under the same key replaces the first. */
export function afterFix(sourceFile: SourceFile, key: string, action: () => void): void {
  const actions = pending.get(sourceFile) ?? new Map<string, () => void>();
  actions.set(key, action);
  pending.set(sourceFile, actions);
}

/** Called by the engine once the rule's fix returned. */
export function runAfterFix(sourceFile: SourceFile): void {
  const actions = pending.get(sourceFile);
  pending.delete(sourceFile);
  for (const action of actions?.values() ?? []) action();
}
