// Reading and analyzing many files with worker threads. The main thread asks the results cache,
// reads the files it cannot answer for and applies the trigger prefilter (cheap: most files stop
// there, and need no worker at all); the files that must be parsed go to workers in small
// batches. Workers are started as that work grows (one per PARSES_PER_WORKER files to parse, up
// to --jobs), since each one loads TypeScript for itself. Results land at their file's index, so a parallel run reports
// exactly what a serial run does.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineOptions } from '../../engine/engine';
import type { SourceTarget } from '../files/walk';
import { analyzeText, withoutUnneededText, type ScannedFile, type ScanRequest } from '../scan';
import { keepParsed, scanBeforeParse, type ParseNeeded, type ResultCache } from './fileScan';
import type { ParseJob, WorkerBatch, WorkerReply, WorkerSetup } from './protocol';

/**
 * Files to parse per worker: below this, starting a worker costs more than it saves. A worker
 * loads TypeScript, resolves versions and parses a plugin's router for itself; on 2 cores
 * bench:scan's 828 files to parse ran 1.8x slower with two workers than in one thread, and
 * 20,000 files (about 1,700 to parse) only broke even.
 */
export const PARSES_PER_WORKER = 1000;
const BATCH_SIZE = 16;
/** Batches queued per worker, so none waits for the main thread between two batches. */
const IN_FLIGHT = 3;
const YIELD_EVERY = 64;

export type ProgressListener = (done: number, total: number) => void;

export function defaultJobs(): number {
  return availableParallelism();
}

/** Every target read and analyzed, in order. `--jobs 1`: all in this thread. */
export async function scanFiles(
  targets: readonly SourceTarget[],
  request: ScanRequest,
  options: EngineOptions,
  onProgress: ProgressListener = () => {},
  cache?: ResultCache,
): Promise<ScannedFile[]> {
  const jobs = request.jobs ?? defaultJobs();
  const listReads = cache !== undefined;
  const results: ScannedFile[] = new Array(targets.length);
  let done = 0;
  const settle = (index: number, result: ScannedFile) => {
    results[index] = withoutUnneededText(result);
    onProgress(++done, targets.length);
  };
  // A parsed file's result goes into the cache with the text it was analyzed from.
  const settleParsed = (job: ParseNeeded, result: ScannedFile) => {
    keepParsed(job, result, cache);
    settle(job.index, result);
  };
  const analyzeHere = (job: ParseNeeded) => settleParsed(job, analyzeText(job.target, job.text, options, listReads));

  const pool = jobs > 1 ? new WorkerPool<ParseNeeded>({ request: { ...request, jobs: 1, listReads } }, settleParsed) : undefined;
  let toParse: ParseNeeded[] = [];
  let parses = 0;
  for (const [index, target] of targets.entries()) {
    // Replies are handled (and idle workers fed) while the main thread is still reading.
    if (pool && index % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const before = scanBeforeParse(index, target, request, options, cache);
    if ('result' in before) {
      settle(index, before.result);
      continue;
    }
    const job = before.parse;
    if (!pool) {
      analyzeHere(job);
      continue;
    }
    toParse.push(job);
    parses++;
    if (pool.size < jobs && parses >= (pool.size + 1) * PARSES_PER_WORKER) pool.grow();
    if (pool.size > 0 && toParse.length >= BATCH_SIZE) {
      pool.submit(toParse);
      toParse = [];
    }
  }
  if (!pool || pool.size === 0) {
    // Too little to parse for a worker to pay off.
    toParse.forEach(analyzeHere);
    return results;
  }
  if (toParse.length > 0) pool.submit(toParse);
  await pool.finish();
  return results;
}

/**
 * Workers fed from one queue of batches; each holds up to IN_FLIGHT batches at a time. A worker
 * answers its batches in the order it was sent them, so each reply belongs to its oldest batch.
 */
class WorkerPool<Job extends ParseJob> {
  private readonly workers: { worker: Worker; inFlight: Job[][] }[] = [];
  private readonly queue: Job[][] = [];
  private pending = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly setup: WorkerSetup,
    private readonly settle: (job: Job, result: ScannedFile) => void,
  ) {}

  get size(): number {
    return this.workers.length;
  }

  grow(): void {
    const script = workerScript();
    const entry = { worker: new Worker(script.code, { workerData: this.setup, eval: script.eval }), inFlight: [] as Job[][] };
    this.workers.push(entry);
    entry.worker.on('message', (reply: WorkerReply) => {
      if ('error' in reply) return this.fail(new Error(`a worker failed: ${reply.error}`));
      const batch = entry.inFlight.shift()!;
      this.pending--;
      reply.results.forEach((result, offset) => this.settle(batch[offset], result));
      this.pump();
      if (this.pending === 0) this.wake?.();
    });
    entry.worker.on('error', (error) => this.fail(error));
    entry.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`a worker exited with code ${code}`));
    });
    this.pump();
  }

  submit(jobs: Job[]): void {
    for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
      this.queue.push(jobs.slice(start, start + BATCH_SIZE));
      this.pending++;
    }
    this.pump();
  }

  /** Resolves once every batch is answered, then lets the workers exit. */
  async finish(): Promise<void> {
    if (this.pending > 0 && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    for (const { worker } of this.workers) worker.postMessage(null);
    if (this.failure) throw this.failure;
  }

  private pump(): void {
    for (const entry of this.workers) {
      while (entry.inFlight.length < IN_FLIGHT && this.queue.length > 0) {
        const batch = this.queue.shift()!;
        entry.inFlight.push(batch);
        entry.worker.postMessage({ jobs: batch } satisfies WorkerBatch);
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const { worker } of this.workers) void worker.terminate();
    this.wake?.();
  }
}

/**
 * The bundle's worker (dist/cli-worker.js, next to dist/cli.js). From source (tests, benches
 * run with tsx) the worker module itself, through tsx's require hook: worker threads do not
 * take `--import` loaders.
 */
function workerScript(): { code: string; eval: boolean } {
  if (!__filename.endsWith('.ts')) return { code: join(__dirname, 'cli-worker.js'), eval: false };
  const source = join(__dirname, 'worker.ts');
  return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, eval: true };
}
