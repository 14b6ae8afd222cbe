// Backstage config files: which files they are, and one parse per version with the `yaml`
// package's Document API (comments and source ranges kept, so edits can be made on the text).
import { parseDocument, type Document } from 'yaml';

const CONFIG_FILE = /(^|[\\/])app-config(\.[\w-]+)*\.ya?ml$/i;

export function isConfigFile(fileName: string): boolean {
  return CONFIG_FILE.test(fileName);
}

export function parseConfig(text: string): Document.Parsed {
  return parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false });
}

export function configSyntaxErrors(document: Document.Parsed): string[] {
  return document.errors.map((e) => `${e.linePos?.[0].line ?? 0}:${e.linePos?.[0].col ?? 0} ${e.message.split('\n')[0]}`);
}

/** The deployment a config file is for, from its name: `app-config.production.yaml` -> 'production'. */
export function configEnvironment(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const parts = base.replace(/\.ya?ml$/i, '').split('.');
  return parts.length > 1 ? parts.slice(1).join('.').toLowerCase() : undefined;
}

const DEVELOPMENT_ENVIRONMENTS = new Set(['local', 'development', 'dev']);

/** True for config files meant only for local development (`app-config.local.yaml`, ...). */
export function isDevelopmentConfig(fileName: string): boolean {
  const environment = configEnvironment(fileName);
  return environment !== undefined && environment.split('.').some((p) => DEVELOPMENT_ENVIRONMENTS.has(p));
}
