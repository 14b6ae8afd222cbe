// Where things are: the repo, the examples, and the build output of the e2e tests (gitignored).
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const EXAMPLES = join(ROOT, 'examples');
/** Compiled suite, the test .vsix and default screenshots; `.test-tmp/` is gitignored. */
export const E2E_OUT = join(ROOT, '.test-tmp', 'e2e');
export const SUITE_OUT = join(E2E_OUT, 'suite');
export const SUITE_INDEX = join(SUITE_OUT, 'index.js');
export const TEST_VSIX = join(E2E_OUT, 'backstage-auth-migration.vsix');
export const EXTENSION_ID = 'backstage-auth-tools.backstage-auth-migration';
