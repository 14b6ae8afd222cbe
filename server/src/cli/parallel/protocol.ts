// Messages between the CLI and its scan workers (structured-cloned plain data).
import type { SourceTarget } from '../files/walk';
import type { ScannedFile, ScanRequest } from '../scan';

/** `workerData`: what every file of the run is analyzed with. */
export interface WorkerSetup {
  request: ScanRequest;
}

/** A file the main thread read and found worth parsing; `index`: its place in the run. */
export interface ParseJob {
  index: number;
  target: SourceTarget;
  text: string;
}

/** Main -> worker: files to analyze; `null`: no more work, exit. */
export interface WorkerBatch {
  jobs: ParseJob[];
}

/** Worker -> main: the batch's results in the batch's order, or why the worker cannot go on. */
export type WorkerReply = { results: ScannedFile[] } | { error: string };
