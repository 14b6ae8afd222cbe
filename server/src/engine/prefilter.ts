// The cheap test before any parse, on its own so front ends can ask it too (the CLI decides
// on the main thread which files are worth sending to a worker, the server's workspace scan
// which files to analyze at all): a file is parsed only when an enabled rule for its language
// has a trigger word in the text. Asked for every file of a tree, so it is one search for all
// trigger words at once rather than one per word.
import { isConfigFile } from './config';
import type { EngineOptions } from './engine';
import { isSourceFile, refuseInput } from './source';
import { isConfigRule, type AnyRule } from './types';

/** Enabled rules whose trigger words occur in the text. */
export function rulesTriggeredBy(text: string, options: Pick<EngineOptions, 'rules' | 'severities'>): AnyRule[] {
  // Most files have no trigger word at all: one search says so, instead of one per word.
  const search = triggerSearch(options);
  if (!search.source?.test(text) && !search.config?.test(text)) return [];
  return options.rules.filter(
    (rule) => options.severities?.[rule.id] !== 'off' && rule.triggers.some((t) => text.includes(t)),
  );
}

/** Whether `analyze` would parse this file; when false, it returns at once without findings. */
export function needsParse(fileName: string, text: string, options: EngineOptions): boolean {
  const config = isConfigFile(fileName);
  if (!config && !isSourceFile(fileName)) return false;
  if (refuseInput(text, options.maxFileSize)) return false;
  const words = triggerSearch(options)[config ? 'config' : 'source'];
  return words !== undefined && words.test(text);
}

interface TriggerSearch {
  /** Any trigger word of an enabled source rule; undefined when there is none. */
  source?: RegExp;
  config?: RegExp;
}

const NO_SEVERITIES = {};
/** Per rule list and severities object (both stable for a run, or between settings changes). */
const searches = new WeakMap<readonly AnyRule[], WeakMap<object, TriggerSearch>>();

function triggerSearch(options: Pick<EngineOptions, 'rules' | 'severities'>): TriggerSearch {
  let bySeverities = searches.get(options.rules);
  if (!bySeverities) searches.set(options.rules, (bySeverities = new WeakMap()));
  const key = options.severities ?? NO_SEVERITIES;
  let search = bySeverities.get(key);
  if (!search) {
    const enabled = options.rules.filter((rule) => options.severities?.[rule.id] !== 'off');
    search = {
      source: anyOf(enabled.filter((rule) => !isConfigRule(rule)).flatMap((rule) => rule.triggers)),
      config: anyOf(enabled.filter(isConfigRule).flatMap((rule) => rule.triggers)),
    };
    bySeverities.set(key, search);
  }
  return search;
}

/** A literal search for any of `words` (escaped: trigger words are plain substrings). */
function anyOf(words: readonly string[]): RegExp | undefined {
  if (words.includes('')) return /(?:)/; // an empty word is in every text, as with `includes`
  const unique = [...new Set(words)];
  if (unique.length === 0) return undefined;
  return new RegExp(unique.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}
