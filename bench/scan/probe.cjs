// Preloaded (`node --require`) into the processes bench:scan times: on exit, writes the
// process's CPU time (all threads) to BENCH_PROBE_OUT; on SIGUSR2, writes its memory after a
// full garbage collection (needs --expose-gc) to the same file.
const { writeFileSync } = require('node:fs');

const out = process.env.BENCH_PROBE_OUT;
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(out, JSON.stringify({ cpuMs: (user + system) / 1000 }));
});
process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  global.gc?.();
  const after = process.memoryUsage();
  writeFileSync(out, JSON.stringify({ before, after }));
});
