// `path.relative` and `path.join` resolve and normalize their paths on every call, which shows
// on a walk of ten thousand files. The walk's paths are absolute and already normal, so a path
// inside a folder is the folder's prefix and a tail.
import { isAbsolute, join, relative, sep } from 'node:path';

/** `folder` with one separator at its end: what the paths inside it start with. */
export function folderPrefix(folder: string): string {
  return folder.endsWith(sep) ? folder : folder + sep;
}

/** `relative(base, path)` for absolute, normalized paths; the shortcut when `path` is inside `base`. */
export function relativeTo(base: string, path: string): string {
  if (path === base) return '';
  const prefix = folderPrefix(base);
  return path.startsWith(prefix) ? path.slice(prefix.length) : relative(base, path);
}

/** The inverse of `relativeTo`: the absolute path of `rel` (as it returns them) from `base`. */
export function absoluteFrom(base: string, rel: string): string {
  if (isAbsolute(rel)) return rel;
  if (rel === '') return base;
  return rel.startsWith('..') ? join(base, rel) : folderPrefix(base) + rel;
}
