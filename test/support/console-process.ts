// Runs the real bot (`src/main.ts` through tsx, the console chat on piped stdin) as a separate OS
// process, so a test can type lines, read the replies and kill it hard, as a crash or an OOM kill
// would: nothing in the test's own process carries state from one bot process to the next.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { PROMPT } from '../../adapters/console/index.ts';
import { repoRoot } from '../../src/config.ts';
import { ROOMY_QUOTAS } from './quotas.ts';

export type ConsoleProcess = {
  pid: number;
  /**
   * Types `line` and returns what the bot prints after echoing it. The console prints a turn's replies
   * all at once, so the reply is complete when the output goes quiet; the bot handles piped lines one
   * at a time, so wait for each reply before typing the next.
   */
  say(line: string, timeoutMs?: number): Promise<string>;
  /** SIGKILL, no shutdown step runs; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Closes stdin (the console's normal end) and resolves with the exit code. */
  end(): Promise<number | null>;
};

/** How long the output stays still before a reply counts as complete (pipe chunks arrive apart). */
const QUIET_MS = 300;

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills every bot process still running (for afterAll, when a test failed midway). */
export async function killAllConsoleProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => killed(child)));
}

function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return gone;
}

/** Starts `node --import tsx src/main.ts` with exactly `env` (plus PATH and HOME). */
export function startConsoleProcess(env: Record<string, string>): ConsoleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...ROOMY_QUOTAS, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('the bot process did not start');
  running.add(child);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    changed();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('exit', () => {
    running.delete(child);
    changed();
  });

  return {
    pid,
    say(line, timeoutMs = 60_000) {
      const from = stdout.length;
      child.stdin.write(`${line}\n`);
      const echo = `${PROMPT}${line.trim()}\n`;
      return new Promise<string>((resolve, reject) => {
        let quiet: NodeJS.Timeout | undefined;
        const check = () => {
          const at = stdout.indexOf(echo, from);
          if (at >= 0 && stdout.length > at + echo.length) {
            clearTimeout(quiet);
            quiet = setTimeout(() => {
              done();
              resolve(stdout.slice(at + echo.length));
            }, QUIET_MS);
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`the bot exited before answering ${JSON.stringify(line)}: ${tail()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no reply to ${JSON.stringify(line)} in ${timeoutMs} ms: ${tail()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          clearTimeout(quiet);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    kill: () => killed(child),
    end() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdin.end();
      return exited;
    },
  };

  function tail() {
    return `stdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`;
  }
}

export type PipedRun = { code: number | null; stdout: string; stderr: string };

/**
 * `npm start`'s process with `input` piped to it, as a script drives it: it reads every line, waits for
 * the backtests they started, prints the results and exits.
 */
export function runConsolePiped(input: string, env: Record<string, string>): Promise<PipedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...ROOMY_QUOTAS, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
