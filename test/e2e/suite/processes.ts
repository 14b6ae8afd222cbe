// The language server as a process, seen from the extension host the suite runs in: the client
// forks `dist/server.js`, so the server is a child of this process. Read from /proc (Linux): no
// shell command, no test hook in the extension.
import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';

const SERVER_MODULE = `${sep}dist${sep}server.js`;

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // exited meanwhile
  }
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Our language servers: children of this extension host running dist/server.js. */
export function languageServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || statFields(pid)?.[1] !== String(process.pid)) continue;
    if (argvOf(pid).some((arg) => arg.endsWith(SERVER_MODULE))) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}

/** CPU time the process has used so far, in clock ticks (user + system); undefined once it is gone. */
export function cpuTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : undefined;
}
