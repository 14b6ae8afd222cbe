// Preloaded (`node --require`) into a CLI or server process under test: counts the worker
// threads it starts and notes whether it loaded TypeScript (dist/typescript.js) and ts-morph
// (dist/ts-morph.js), then writes that as JSON to the file named by PROCESS_PROBE_OUT on exit.
const workerThreads = require('node:worker_threads');

let workers = 0;
const Original = workerThreads.Worker;
workerThreads.Worker = class CountedWorker extends Original {
  constructor(...args) {
    super(...args);
    workers++;
  }
};

process.on('exit', () => {
  const loaded = (file) => Object.keys(require.cache).some((path) => path.endsWith(`dist${require('node:path').sep}${file}`));
  const typescriptLoaded = loaded('typescript.js');
  const tsMorphLoaded = loaded('ts-morph.js');
  require('node:fs').writeFileSync(process.env.PROCESS_PROBE_OUT, JSON.stringify({ workers, typescriptLoaded, tsMorphLoaded }));
});
