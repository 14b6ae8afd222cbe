// Document URIs as the engine sees them: file URIs become absolute paths (rules read siblings
// by path), anything else keeps its URI path so the extension still decides the language.
import { fileURLToPath } from 'node:url';

export function fileNameOf(uri: string): string {
  try {
    const url = new URL(uri);
    return url.protocol === 'file:' ? fileURLToPath(url) : decodeURIComponent(url.pathname);
  } catch {
    return uri;
  }
}
