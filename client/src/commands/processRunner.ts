// Running a package manager for a command: a program and an argument list, never a shell (no
// quoting, no expansion; a path with spaces or `$` stays one argument). Output is streamed as it
// comes; cancelling kills the process (its whole process group on POSIX, where package managers
// start child processes of their own). No `vscode` import: unit tests run the real thing.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ProgramRequest {
  program: string;
  args: readonly string[];
  /** Absolute folder to run in. */
  cwd: string;
}

export type ProgramOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: string }
  | { kind: 'cancelled' }
  | { kind: 'not-started'; error: string };

/** The seam: the guest setup command takes any runner; tests can give it a recording one. */
export interface ProcessRunner {
  run(request: ProgramRequest, onOutput: (text: string) => void, signal: AbortSignal): Promise<ProgramOutcome>;
}

export type SpawnFunction = (program: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** After a polite SIGTERM, how long a cancelled process gets before SIGKILL. */
const KILL_GRACE_MS = 3_000;

export function spawnRunner(spawnProcess: SpawnFunction = spawn): ProcessRunner {
  return {
    run(request, onOutput, signal) {
      return new Promise((resolve) => {
        if (signal.aborted) {
          resolve({ kind: 'cancelled' });
          return;
        }
        const posix = process.platform !== 'win32';
        let child: ChildProcess;
        try {
          child = spawnProcess(request.program, [...request.args], {
            cwd: request.cwd,
            shell: false,
            stdio: ['ignore', 'pipe', 'pipe'],
            windowsHide: true,
            // Its own process group, so cancelling reaches the processes it starts.
            detached: posix,
            env: { ...process.env, FORCE_COLOR: '0' },
          });
        } catch (error) {
          resolve({ kind: 'not-started', error: error instanceof Error ? error.message : String(error) });
          return;
        }
        let settled = false;
        let cancelled = false;
        let killTimer: NodeJS.Timeout | undefined;
        const finish = (outcome: ProgramOutcome) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', cancel);
          if (killTimer) clearTimeout(killTimer);
          resolve(outcome);
        };
        const kill = (name: NodeJS.Signals) => {
          try {
            if (posix && child.pid !== undefined) process.kill(-child.pid, name);
            else child.kill(name);
          } catch {
            // Already gone.
          }
        };
        function cancel() {
          cancelled = true;
          kill('SIGTERM');
          killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
        }
        signal.addEventListener('abort', cancel);
        child.stdout?.setEncoding('utf8').on('data', onOutput);
        child.stderr?.setEncoding('utf8').on('data', onOutput);
        child.once('error', (error) => finish({ kind: 'not-started', error: error.message }));
        child.once('close', (code, signalName) => {
          if (cancelled) finish({ kind: 'cancelled' });
          else if (code !== null) finish({ kind: 'exited', code });
          else finish({ kind: 'killed', signal: signalName ?? 'unknown' });
        });
      });
    },
  };
}
