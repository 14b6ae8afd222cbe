// A scan worker (bundled as dist/cli-worker.js): analyzes the files it is sent. Text goes back
// only for files with findings; nothing else of a file is needed later.
import { parentPort, workerData } from 'node:worker_threads';
import { parseSource } from '../../engine/source';
import { analyzeText, engineOptionsFor, withoutUnneededText } from '../scan';
import type { WorkerBatch, WorkerReply, WorkerSetup } from './protocol';
import { enableCompileCache } from '../../compileCache';

enableCompileCache();

const port = parentPort!;
const { request } = workerData as WorkerSetup;
const options = engineOptionsFor(request);

port.on('message', (batch: WorkerBatch | null) => {
  if (batch === null) {
    port.close();
    return;
  }
  let reply: WorkerReply;
  try {
    reply = {
      results: batch.jobs.map((job) => withoutUnneededText(analyzeText(job.target, job.text, options, request.listReads))),
    };
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});

// Every file sent here gets parsed: load TypeScript while the main thread is still reading.
setImmediate(() => parseSource('warm-up.ts', ''));
