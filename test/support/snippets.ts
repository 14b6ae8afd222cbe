// Expands a VS Code snippet body the way the editor does when every placeholder keeps its
// default: `${1:x}` -> x, `${1|a,b|}` -> a, `$1` mirrors placeholder 1, `$0` -> nothing.
export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const defaults = new Map<string, string>();
  const withDefaults = text
    .replace(/\$\{(\d+)\|([^|}]*)\|\}/g, (_m, n: string, choices: string) => remember(defaults, n, choices.split(',')[0]))
    .replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, value: string) => remember(defaults, n, value));
  return withDefaults.replace(/\$(\d+)/g, (_m, n: string) => defaults.get(n) ?? '');
}

function remember(defaults: Map<string, string>, n: string, value: string): string {
  if (!defaults.has(n)) defaults.set(n, value);
  return value;
}
