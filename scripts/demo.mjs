// `npm run demo`: the main job on the bundled example, no editor needed. Checks examples/,
// then shows the fix as a unified diff (nothing is written).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const target = process.argv[2] ?? 'examples';
const node = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;

if (node(['esbuild.mjs']) !== 0) process.exit(1);
console.log(`\n== backstage-auth-migrate check ${target}\n`);
const check = node(['dist/cli.js', 'check', target]);
console.log(`\n== backstage-auth-migrate fix --dry-run ${target}\n`);
const fix = node(['dist/cli.js', 'fix', '--dry-run', target]);
// check exits 1 when it finds something, which is the point of the demo.
process.exit(check === 2 || fix === 2 ? 2 : 0);
