// Runs a worker (`src/main.ts` with GENTRADE_ROLE=worker, as `npm run worker` does) as a separate OS
// process in a process group of its own, so a test can kill it and its engine child at once, as a
// machine going down would: no shutdown step runs and nothing is put back in the queue.
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '../../src/config.ts';
import { ROOMY_QUOTAS } from './quotas.ts';

export type WorkerProcess = {
  pid: number;
  /** SIGKILL to the whole group; resolves once the worker is gone. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT to the whole group: a worker frozen mid-run, as a stalled machine would be. */
  pause(): void;
  resume(): void;
  /** What it printed, for a failing test's message. */
  output(): string;
  /** Its JSON log lines whose `event` is `name`. */
  events(name: string): Record<string, unknown>[];
};

const running = new Set<ChildProcess>();

export async function killAllWorkers(): Promise<void> {
  await Promise.all([...running].map((c) => killGroup(c)));
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGKILL');
  return gone;
}

/** Starts a worker with exactly `env` (plus PATH, HOME and roomy quotas). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...ROOMY_QUOTAS, ...env, GENTRADE_ROLE: 'worker' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('the worker process did not start');
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const events = (name: string) =>
    out.split('\n').flatMap((line) => {
      if (!line.startsWith('{') || !line.endsWith('}')) return [];
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null && 'event' in parsed && parsed.event === name
        ? [{ ...parsed }]
        : [];
    });
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-pid, sig);
  };
  return {
    pid,
    kill: () => killGroup(child),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    output: () => out.slice(-4000),
    events,
  };
}
