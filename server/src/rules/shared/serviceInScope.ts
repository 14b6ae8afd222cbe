// `provideService` returns the expression to use for a new service; when that is a plain name it
// may have been declared after the code being rewritten (e.g. destructured from options further
// down). Rules check it is really in scope there before using it.
import { ts } from 'ts-morph';
import { FixRefusal } from '../../engine/types';
import { planServiceAccess, type NewService } from './services';

/** Throws FixRefusal unless `expression` (from `provideService`) is readable at `at`. */
export function ensureServiceInScope(at: ts.Node, expression: string, service: NewService, place: 'call' | 'check'): void {
  if (expression.includes('.')) return;
  const plan = planServiceAccess(at, service);
  if (plan.kind !== 'bound' || plan.expression !== expression) {
    throw new FixRefusal(`\`${expression}\` cannot be made available before this ${place}; move the ${place} below the options it reads`);
  }
}
