import { relative, sep } from 'node:path';

/** How a path is printed: relative to the current folder, with forward slashes. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}
