// Each snippet, expanded with its defaults, must give code that compiles against the pinned
// Backstage packages (TypeScript) or the intended config (YAML).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { parse } from 'yaml';
import { expandSnippet } from '../support/snippets';

const ROOT = join(__dirname, '..', '..');
type Snippets = Record<string, { prefix: string; body: string[] }>;
const typescriptSnippets: Snippets = JSON.parse(readFileSync(join(ROOT, 'snippets', 'typescript.json'), 'utf8'));
const yamlSnippets: Snippets = JSON.parse(readFileSync(join(ROOT, 'snippets', 'yaml.json'), 'utf8'));

const IMPORTS = `import type { AuthService, DiscoveryService, HttpAuthService, HttpRouterService, LoggerService } from '@backstage/backend-plugin-api';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { createLegacyAuthAdapters } from '@backstage/backend-common';
import express from 'express';
import Router from 'express-promise-router';
`;

/** Where each snippet is meant to be typed: the code around it. */
const CONTEXTS: Record<string, (snippet: string) => string> = {
  'bs-auth-policy': (s) => `${IMPORTS}export function policies(httpRouter: HttpRouterService) {\n${s}\n}\n`,
  'bs-plugin-token': (s) => `${IMPORTS}export async function call(auth: AuthService) {\n${s}\nreturn token;\n}\n`,
  'bs-plugin-token-request': (s) =>
    `${IMPORTS}export async function call(auth: AuthService, httpAuth: HttpAuthService, req: express.Request) {\n${s}\nreturn token;\n}\n`,
  'bs-credentials-user': (s) =>
    `${IMPORTS}export async function who(httpAuth: HttpAuthService, req: express.Request): Promise<string> {\n${s}\nreturn userEntityRef;\n}\n`,
  'bs-credentials-optional-user': (s) =>
    `${IMPORTS}export async function who(httpAuth: HttpAuthService, req: express.Request): Promise<string | undefined> {\n${s}\nreturn userEntityRef;\n}\n`,
  'bs-router-options': (s) => `${IMPORTS}${s.replace('\t\n', '\tvoid logger; void auth; void httpAuth;\n')}\n`,
  'bs-backend-plugin': (s) =>
    `${IMPORTS}async function createRouter(_options: { logger: LoggerService; discovery: DiscoveryService; auth: AuthService; httpAuth: HttpAuthService }) {\n  return Router();\n}\n${s}\n`,
};

describe('snippets', () => {
  it('every TypeScript snippet has a typecheck context', () => {
    assert.deepEqual(
      Object.values(typescriptSnippets).map((s) => s.prefix).sort(),
      Object.keys(CONTEXTS).sort(),
    );
  });

  it('TypeScript snippets compile against the pinned Backstage packages', () => {
    const dir = join(ROOT, '.test-tmp', 'snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = Object.values(typescriptSnippets).map((snippet) => {
      const file = join(dir, `${snippet.prefix}.ts`);
      writeFileSync(file, CONTEXTS[snippet.prefix](expandSnippet(snippet.body)));
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      noUnusedLocals: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(errors, []);
  });

  it('YAML snippets give exactly the intended config', () => {
    const byPrefix = Object.fromEntries(Object.values(yamlSnippets).map((s) => [s.prefix, parse(expandSnippet(s.body))]));
    assert.deepEqual(byPrefix, {
      'bs-guest-provider': { auth: { providers: { guest: {} } } },
      'bs-guest-provider-off': { auth: { providers: { guest: null } } },
    });
  });

  it('expands placeholders, choices and mirrors like the editor', () => {
    assert.equal(expandSnippet(['a ${1:x} ${2|p,q|} $1$0']), 'a x p x');
  });
});
