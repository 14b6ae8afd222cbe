// Environment variables the drivers hand to the extension host (it inherits the editor's environment).
/** JSON written by test/e2e/support/expectations.ts. */
export const EXPECTATIONS_ENV = 'BACKSTAGE_AUTH_E2E_EXPECTATIONS';
/** JSON written by test/e2e/support/scenarios.ts: the command, snippet and crash tests' folders and results. */
export const SCENARIOS_ENV = 'BACKSTAGE_AUTH_E2E_SCENARIOS';
/** Where the suite writes its SuiteResult. */
export const RESULT_ENV = 'BACKSTAGE_AUTH_E2E_RESULT';
/** Which test files run (see SUITES in index.ts); the main suite when unset. */
export const SUITE_ENV = 'BACKSTAGE_AUTH_E2E_SUITE';
