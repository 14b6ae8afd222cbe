// The two pinned sets are what the targets assume: the root set still has the old services,
// bs-1x (backend-plugin-api 1.x) does not, and the compile helper really resolves packages from
// the set it is given (so a new-backend-only output cannot pass by compiling against the root set).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileErrors, ensureInstalled, REPO_ROOT, SET_OF_TARGET } from './sets/sets';

const DIR = join(REPO_ROOT, '.test-tmp', 'typecheck-sets');

function probe(name: string, text: string): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, name);
  writeFileSync(file, text);
  return file;
}

const OLD_SERVICES = probe(
  'old-services.ts',
  [
    "import { coreServices } from '@backstage/backend-plugin-api';",
    'export const refs = [coreServices.identity, coreServices.tokenManager];',
    '',
  ].join('\n'),
);

const NEW_SERVICES = probe(
  'new-services.ts',
  [
    "import { coreServices, type AuthService, type HttpAuthService } from '@backstage/backend-plugin-api';",
    'export const refs = [coreServices.auth, coreServices.httpAuth, coreServices.userInfo];',
    'export type Services = { auth: AuthService; httpAuth: HttpAuthService };',
    '',
  ].join('\n'),
);

const TOKEN_OPTION = probe(
  'token-option.ts',
  [
    "import type { PermissionEvaluator } from '@backstage/plugin-permission-common';",
    "export const check = (permissions: PermissionEvaluator, token: string) => permissions.authorize([], { token });",
    '',
  ].join('\n'),
);

describe('pinned package sets', () => {
  const bs1x = SET_OF_TARGET['new-backend-only']!;

  it('root set (legacy-compatible): old and new services, { token } still accepted', () => {
    assert.deepEqual(compileErrors([OLD_SERVICES, NEW_SERVICES, TOKEN_OPTION], SET_OF_TARGET['legacy-compatible']), []);
  });

  it('bs-1x (new-backend-only): new services only, { token } is a compile error', { timeout: 20 * 60_000 }, () => {
    assert.equal(ensureInstalled(bs1x), undefined);
    assert.deepEqual(compileErrors([NEW_SERVICES], bs1x), []);
    const old = compileErrors([OLD_SERVICES], bs1x);
    assert.deepEqual(old.map((m) => m.replace(/^\S+ /, '')), [
      "Property 'identity' does not exist on type 'typeof coreServices'.",
      "Property 'tokenManager' does not exist on type 'typeof coreServices'.",
    ]);
    assert.match(compileErrors([TOKEN_OPTION], bs1x).join('\n'), /'token' does not exist in type 'EvaluatorRequestOptions/);
  });
});
