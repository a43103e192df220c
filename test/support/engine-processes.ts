// Finds the engine's processes on this machine from /proc, so a test can show a run's engine child is
// really gone after a cancel (not merely forgotten): the warm engine server is known by its working
// folder (the app's data folder's backtests/), a run's child by its parent, the server.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const pids = () =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number);

/** The parent pid and state letter of `pid` (R, S, Z...), or undefined once it is gone. */
function stat(pid: number): { ppid: number; state: string } | undefined {
  const line = read(`/proc/${pid}/stat`);
  if (!line) return undefined;
  // The command name is in parentheses and may hold spaces: the fields after it are plain.
  const [state = '', ppid = ''] = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), state };
}

/** The warm engine server of the app whose data folder is `dataDir`, once it started. */
export function engineServerPid(dataDir: string): number | undefined {
  const want = path.join(dataDir, 'backtests');
  return pids().find((pid) => {
    const cmd = read(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
    if (!cmd.includes('gentrade_engine') || !cmd.includes('serve')) return false;
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === want;
    } catch {
      return false;
    }
  });
}

/** The processes whose parent is `pid` (a server's children are its runs). */
export function childrenOf(pid: number): number[] {
  return pids().filter((p) => stat(p)?.ppid === pid);
}

/** True while `pid` exists and is not a zombie waiting to be reaped. */
export function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}
