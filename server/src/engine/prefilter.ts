// The cheap test before any parse, on its own so front ends can ask it too (the CLI decides
// on the main thread which files are worth sending to a worker): a file is parsed only when
// an enabled rule for its language has a trigger word in the text.
import { isConfigFile } from './config';
import type { EngineOptions } from './engine';
import { isSourceFile, refuseInput } from './source';
import { isConfigRule, type AnyRule } from './types';

/** Enabled rules whose trigger words occur in the text. */
export function rulesTriggeredBy(text: string, options: Pick<EngineOptions, 'rules' | 'severities'>): AnyRule[] {
  return options.rules.filter(
    (rule) => options.severities?.[rule.id] !== 'off' && rule.triggers.some((t) => text.includes(t)),
  );
}

/** Whether `analyze` would parse this file; when false, it returns at once without findings. */
export function needsParse(fileName: string, text: string, options: EngineOptions): boolean {
  const config = isConfigFile(fileName);
  if (!config && !isSourceFile(fileName)) return false;
  if (refuseInput(text, options.maxFileSize)) return false;
  return rulesTriggeredBy(text, options).some((rule) => isConfigRule(rule) === config);
}
