import { sep } from 'node:path';
import { relativeTo } from '../../workspace/relativePath';

/** How a path is printed: relative to the current folder, with forward slashes. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relativeTo(cwd, absolute);
  if (rel === '') return '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}
