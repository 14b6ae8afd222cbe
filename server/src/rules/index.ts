// The registry: every rule, in one list. Front ends take rules from here and nowhere else.
import type { Rule } from '../engine/types';
import { identityGetIdentity } from './identity-get-identity';
import { permissionEvaluatorType } from './permission-evaluator-type';

export const allRules: readonly Rule[] = [permissionEvaluatorType, identityGetIdentity];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
