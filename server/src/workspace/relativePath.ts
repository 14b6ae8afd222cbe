// `path.relative` resolves and normalizes both paths on every call, which shows on a walk of ten
// thousand files. The walk's paths are absolute and already normal (built with `join`), so a
// path inside `base` is just its tail.
import { relative, sep } from 'node:path';

/** `relative(base, path)` for absolute, normalized paths; the shortcut when `path` is inside `base`. */
export function relativeTo(base: string, path: string): string {
  if (path === base) return '';
  const prefix = base.endsWith(sep) ? base : base + sep;
  return path.startsWith(prefix) ? path.slice(prefix.length) : relative(base, path);
}
