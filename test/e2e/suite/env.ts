// Environment variables the drivers hand to the extension host (it inherits the editor's environment).
/** JSON written by test/e2e/support/expectations.ts. */
export const EXPECTATIONS_ENV = 'BACKSTAGE_AUTH_E2E_EXPECTATIONS';
/** Where the suite writes its SuiteResult. */
export const RESULT_ENV = 'BACKSTAGE_AUTH_E2E_RESULT';
