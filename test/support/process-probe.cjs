// Preloaded (`node --require`) into a CLI or server process under test: counts the worker
// threads it starts and notes whether it loaded TypeScript (dist/ts-morph.js), then writes
// both as JSON to the file named by PROCESS_PROBE_OUT when the process exits.
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
  const typescriptLoaded = Object.keys(require.cache).some((path) => /[\\/]ts-morph\.js$/.test(path));
  require('node:fs').writeFileSync(process.env.PROCESS_PROBE_OUT, JSON.stringify({ workers, typescriptLoaded }));
});
