// `node --import tsx scripts/e2e/install.ts`: installs (or checks) what the real-editor tests
// need and prints where it is. The test drivers call the same `ensureTools`.
import { CACHE_ROOT, ensureTools, VERSIONS } from './tools';

const started = Date.now();
const tools = ensureTools((message) => console.log(`[e2e install] ${message}`));
console.log(`[e2e install] cache ${CACHE_ROOT}, code-server ${VERSIONS.codeServer}, Node ${VERSIONS.node}`);
for (const [name, path] of Object.entries(tools)) console.log(`${name}=${path}`);
console.log(`[e2e install] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
