// Why fix-all left a finding for a person. Both front ends report it next to each finding that
// is still there after `fixAll`: the CLI's `fix` and the language server's migrate commands.
import { fixFinding, preferredOption, type EngineOptions } from './engine';
import type { Finding } from './types';

/** What a front end says in its own terms; the decision between them is made here. */
export interface LeftForPersonWording {
  /** The finding has no preferred fix: a person has to choose one, or there is none. */
  notFixable: (finding: Finding) => string;
  /** The preferred fix applies now: fixes enabled further fixes, more than one run makes. */
  runAgain: string;
}

/**
 * `finding` is one of `fixAll`'s `remaining` in `fixedText`. When it has a preferred fix, that
 * fix is tried again on the fixed text: it either applies now (run again) or is refused, and
 * the refusal is the reason.
 */
export function whyLeftForPerson(
  finding: Finding,
  fileName: string,
  fixedText: string,
  options: EngineOptions,
  wording: LeftForPersonWording,
): string {
  const option = preferredOption(finding);
  if (!option) return wording.notFixable(finding);
  const retry = fixFinding(fileName, fixedText, { ruleId: finding.ruleId, start: finding.range.start, optionId: option.id }, options);
  return retry.ok ? wording.runAgain : `the fix was refused: ${retry.reason}`;
}
