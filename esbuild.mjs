// Bundles the entry points. The client keeps `vscode` external (the editor provides it);
// server and CLI are self-contained so the .vsix needs no node_modules.
//
// TypeScript (through ts-morph) is most of the code and costs over a second to load, but a file
// the trigger prefilter rejects never needs it. So TypeScript goes into its own file,
// dist/typescript.js, and ts-morph (which uses that same file) into dist/ts-morph.js, both shared
// by server and CLI. Inside their bundles `ts-morph` is a small facade: its `ts` namespace
// requires dist/typescript.js on first use (detection only parses), everything else
// dist/ts-morph.js (fixes).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

const TS_MORPH_FILE = 'ts-morph.js';
// TypeScript on its own: detection needs only the parser, so it never loads ts-morph's own code.
const TYPESCRIPT_FILE = 'typescript.js';

/** ts-morph's copy of TypeScript comes from dist/typescript.js, the same instance the facade loads. */
const sharedTypeScript = {
  name: 'shared-typescript',
  setup(build) {
    build.onResolve({ filter: /^\.\/typescript$/ }, (args) =>
      args.importer.includes('@ts-morph/common') ? { path: `./${TYPESCRIPT_FILE}`, external: true } : undefined,
    );
  },
};

/** `import ... from 'ts-morph'` -> a facade whose exports load dist/ts-morph.js when first read. */
const lazyTsMorph = {
  name: 'lazy-ts-morph',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'lazy-ts-morph' }));
    build.onResolve({ filter: /^lazy-ts-morph-top$/, namespace: 'lazy-ts-morph' }, () => ({ path: 'top', namespace: 'lazy-ts-morph' }));
    build.onResolve({ filter: /^\.\/(ts-morph|typescript)\.js$/, namespace: 'lazy-ts-morph' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /^ts-morph$/, namespace: 'lazy-ts-morph' }, () => ({ loader: 'js', contents: tsFacadeSource() }));
    build.onLoad({ filter: /^top$/, namespace: 'lazy-ts-morph' }, () => ({ loader: 'js', contents: topFacadeSource() }));
  },
};

/** Plain objects of numbers and names: TypeScript's enums (`ts.SyntaxKind`, `SyntaxKind`, ...). */
function isEnum(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((v) => typeof v === 'number' || typeof v === 'string')
  );
}

function split(source, skip = []) {
  const baked = {};
  const lazy = [];
  for (const name of Object.keys(source)) {
    if (skip.includes(name)) continue;
    if (isEnum(source[name])) baked[name] = source[name];
    else lazy.push(name);
  }
  return { baked, lazy };
}

/**
 * The facade. Enums are copied in at build time (as JSON, parsed on first read), so rules and engine modules may read
 * `ts.SyntaxKind.X` when they load. Every other export is a getter until one is read; then the
 * real module is required and functions become plain values (hot paths call them directly);
 * anything else keeps forwarding, since TypeScript may reassign it.
 */
function tsFacadeSource() {
  const ts = split(require('ts-morph').ts);
  // ESM, so the bundle binds \`ts\` directly: a CommonJS module would be reached through
  // esbuild's interop getters on every \`ts.x\` the rules evaluate (measurable on the hot path).
  return `export * from 'lazy-ts-morph-top';
${FACADE_HELPERS}
const tsNames = ${JSON.stringify(ts.lazy)};
let realTs;
function loadTs() {
  if (realTs === undefined) {
    realTs = require('./${TYPESCRIPT_FILE}');
    settle(tsFacade, realTs, tsNames);
  }
  return realTs;
}
// The names TypeScript has are not defined one by one up front (thousands of getters cost more
// to create than a run that never parses takes in all): a miss on the facade falls through to
// its prototype, which loads TypeScript and settles every name on the facade itself.
const lazyNames = new Set(tsNames);
const loadOnMiss = new Proxy(Object.create(null), {
  get: (_target, name) => (typeof name === 'string' && lazyNames.has(name) ? loadTs()[name] : undefined),
});
const tsFacade = Object.create(loadOnMiss);
bake(tsFacade, ${bakedSource(ts.baked)});
export { tsFacade as ts };
`;
}

/** ts-morph's own exports (fix code only): CommonJS, each a getter until the first is read. */
function topFacadeSource() {
  const top = split(require('ts-morph'), ['ts', '__esModule', 'default']);
  return `'use strict';
${FACADE_HELPERS}
const topNames = ${JSON.stringify(top.lazy)};
let real;
function load() {
  if (real === undefined) {
    real = require('./${TS_MORPH_FILE}');
    settle(module.exports, real, topNames);
  }
  return real;
}
bake(module.exports, ${bakedSource(top.baked)});
lazy(module.exports, topNames, load);
`;
}

/** The enums as JSON texts by name: a text is parsed only when its enum is first read. */
function bakedSource(baked) {
  return JSON.stringify(Object.fromEntries(Object.entries(baked).map(([name, value]) => [name, JSON.stringify(value)])));
}

// `bake`: creating every enum object up front (hundreds of thousands of characters of object
// literals) cost more at start than a run that never parses spends on anything else; most runs
// read a handful of them.
const FACADE_HELPERS = `function bake(target, texts) {
  for (const name of Object.keys(texts)) {
    Object.defineProperty(target, name, {
      get() {
        const value = JSON.parse(texts[name]);
        Object.defineProperty(target, name, { value, enumerable: true, writable: true });
        return value;
      },
      enumerable: true,
      configurable: true,
    });
  }
}
function settle(target, source, names) {
  for (const name of names) {
    const value = source[name];
    Object.defineProperty(target, name, typeof value === 'function' ? { value, enumerable: true } : { get: () => source[name], enumerable: true });
  }
}
function lazy(target, names, loader) {
  for (const name of names) {
    Object.defineProperty(target, name, { get: () => loader()[name], enumerable: true, configurable: true });
  }
}`;

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: `dist/client.js`, external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: `dist/server.js`, plugins: [lazyTsMorph] },
  { entryPoints: ['server/src/cli.ts'], outfile: `dist/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyTsMorph] },
  { entryPoints: ['server/src/cli/parallel/worker.ts'], outfile: 'dist/cli-worker.js', plugins: [lazyTsMorph] },
  // Minified: V8 pre-parses all of a script before running it, and a first `check` loaded
  // TypeScript's 8.8 MB in about 0.36 s (0.24 s at 3.4 MB). Neither reads its own functions' names.
  { entryPoints: ['ts-morph'], outfile: `dist/${TS_MORPH_FILE}`, plugins: [sharedTypeScript], minify: true },
  { entryPoints: [require.resolve('@ts-morph/common/dist/typescript.js')], outfile: `dist/${TYPESCRIPT_FILE}`, minify: true },
];

/**
 * What the bundles are built from: the sources, the locked dependencies (TypeScript's parser
 * among them) and this script. The CLI's results cache is valid for one build only.
 */
function buildId() {
  const root = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha1');
  const add = (path) => hash.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
  const addFolder = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) addFolder(path);
      else add(path);
    }
  };
  addFolder(join(root, 'server', 'src'));
  for (const file of ['package.json', 'package-lock.json', 'esbuild.mjs']) add(join(root, file));
  return hash.digest('hex');
}

// A watched build changes under the same name: it gets no build id, so its CLI caches nothing.
if (!watch) common.define = { BACKSTAGE_AUTH_BUILD_ID: JSON.stringify(buildId()) };

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
