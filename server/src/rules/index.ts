// The registry: every rule, in one list. Front ends take rules from here and nowhere else.
import type { Rule } from '../engine/types';
import { permissionEvaluatorType } from './permission-evaluator-type';

export const allRules: readonly Rule[] = [permissionEvaluatorType];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
