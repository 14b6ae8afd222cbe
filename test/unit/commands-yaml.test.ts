import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setPathValue } from '../../server/src/config/yamlText';
import { parseConfig } from '../../server/src/engine/config';
import { disableDefaultAuthPolicyEdit } from '../../server/src/engine/setup/configEdits';

const GUEST = ['auth', 'providers', 'guest'];

function set(text: string, path: string[], value: string): string {
  const result = setPathValue(text, parseConfig(text), path, value);
  if (!result.ok) throw new Error(result.reason);
  return result.text;
}

function refusal(text: string, path: string[], value: string): string {
  const result = setPathValue(text, parseConfig(text), path, value);
  assert.equal(result.ok, false);
  return (result as { reason: string }).reason;
}

describe('setPathValue (config edits of the guided commands)', () => {
  it('adds the missing keys after the last entry of the deepest existing map, comments kept', () => {
    const text = [
      'app:',
      '  title: Scaffolded Backstage App # shown in the header',
      '',
      'auth:',
      '  # sign-in providers, see the docs',
      '  providers:',
      '    github:',
      '      development:',
      '        clientId: ${GITHUB_CLIENT_ID}',
      '  # keep sessions short',
      '  session:',
      '    secret: ${SESSION_SECRET}',
      '',
      '# the end',
      '',
    ].join('\n');
    assert.equal(
      set(text, GUEST, '{}'),
      text.replace('        clientId: ${GITHUB_CLIENT_ID}\n', '        clientId: ${GITHUB_CLIENT_ID}\n    guest: {}\n'),
    );
  });

  it('adds a whole block at the end of the top-level map (before trailing blank lines and comments)', () => {
    const text = 'app:\n  title: x # t\n\n# end\n';
    assert.equal(set(text, GUEST, '{}'), 'app:\n  title: x # t\nauth:\n  providers:\n    guest: {}\n\n# end\n');
  });

  it('uses the indentation the file uses', () => {
    const text = 'backend:\n    baseUrl: http://localhost:7007\n    auth:\n        keys:\n            - secret: abc\n';
    assert.equal(
      set(text, ['backend', 'auth', 'dangerouslyDisableDefaultAuthPolicy'], 'true'),
      `${text}        dangerouslyDisableDefaultAuthPolicy: true\n`,
    );
  });

  it('replaces an empty map or an empty value with a block, keeping a trailing comment on the key line', () => {
    assert.equal(set('auth: # c\n  providers: {} # c2\n', GUEST, '{}'), 'auth: # c\n  providers: # c2\n    guest: {}\n');
    assert.equal(set('auth:\n', GUEST, '{}'), 'auth:\n  providers:\n    guest: {}\n');
    assert.equal(set('auth:\n  providers:\n    guest:\n', GUEST, '{}'), 'auth:\n  providers:\n    guest: {}\n');
  });

  it('replaces an existing value in place and leaves a value that is already right unchanged', () => {
    assert.equal(set('auth:\n  providers:\n    guest: {} # dev only\n', GUEST, 'null'), 'auth:\n  providers:\n    guest: null # dev only\n');
    const done = 'auth:\n  providers:\n    guest: {}\n';
    assert.equal(set(done, GUEST, '{}'), done);
  });

  it('handles an empty file, a file without a final line break, and CRLF files', () => {
    assert.equal(set('', GUEST, '{}'), 'auth:\n  providers:\n    guest: {}\n');
    assert.equal(set('# only a comment\n', GUEST, '{}'), '# only a comment\nauth:\n  providers:\n    guest: {}\n');
    assert.equal(set('a: 1', GUEST, '{}'), 'a: 1\nauth:\n  providers:\n    guest: {}\n');
    assert.equal(set('a:\r\n  b: 1\r\n', GUEST, '{}'), 'a:\r\n  b: 1\r\nauth:\r\n  providers:\r\n    guest: {}\r\n');
  });

  it('refuses where a block cannot go, naming the key', () => {
    assert.equal(
      refusal('auth: x\n', GUEST, '{}'),
      '`auth` does not hold a block map, so `providers.guest` cannot be added under it; add `auth.providers.guest` yourself',
    );
    assert.equal(
      refusal('auth: { providers: { github: {} } }\n', GUEST, '{}'),
      '`auth.providers` does not hold a block map, so `guest` cannot be added under it; add `auth.providers.guest` yourself',
    );
    assert.equal(refusal('a: [1\n', GUEST, '{}'), 'the file does not parse as YAML; fix it first');
  });
});

describe('disableDefaultAuthPolicyEdit', () => {
  it('adds backend.auth.dangerouslyDisableDefaultAuthPolicy under the existing backend map', () => {
    const text = 'backend:\n  # where the backend listens\n  baseUrl: http://localhost:7007\n  listen:\n    port: 7007\n';
    const result = disableDefaultAuthPolicyEdit(text);
    assert.deepEqual(result, { ok: true, text: `${text}  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n` });
  });

  it('turns an existing false into true', () => {
    assert.deepEqual(disableDefaultAuthPolicyEdit('backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: false\n'), {
      ok: true,
      text: 'backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n',
    });
  });
});
