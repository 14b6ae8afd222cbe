// App-config edits of the guided commands, as whole-file changes: text in, text out.
import { findPair, setPathValue, type YamlEdit } from '../../config/yamlText';
import { DISABLE_DEFAULT_POLICY_PATH } from '../../rules/shared/appConfigs';
import { parseConfig } from '../config';
import type { RepoReader } from './packageManager';

/** One file's new text. */
export interface FileChange {
  /** Relative to the repo root (forward slashes). */
  path: string;
  before: string;
  after: string;
  /** What the change does, for the preview and the summary. */
  summary: string;
}

export interface ExistingFile {
  name: string;
  text: string;
}

/** The first of `names` that exists. */
export function firstExisting(read: RepoReader, names: readonly string[]): ExistingFile | undefined {
  for (const name of names) {
    const text = read(name);
    if (text !== undefined) return { name, text };
  }
  return undefined;
}

/** The JSON value at `path` (null included); undefined when the key is absent or the text does not parse. */
export function configValueAt(text: string, path: readonly string[]): unknown {
  const document = parseConfig(text);
  if (document.errors.length > 0) return undefined;
  const located = findPair(document, path);
  if (!located) return undefined;
  return located.pair.value === null ? null : (located.pair.value.toJSON() as unknown);
}

/** `backend.auth.dangerouslyDisableDefaultAuthPolicy: true`, in place or added under `backend.auth`. */
export function disableDefaultAuthPolicyEdit(text: string): YamlEdit {
  return setPathValue(text, parseConfig(text), [...DISABLE_DEFAULT_POLICY_PATH], 'true');
}
