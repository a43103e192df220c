// Runs the embedded FerretDB (the MongoDB wire protocol over SQLite) as a child process, so a
// clone works without a MongoDB server. Several instances may run at once (tests), so each one
// gets its own port, data dir, state and log, and no fixed-port side listeners.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import { AppError } from '../errors.ts';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const LOG_FILE = 'ferretdb.log';
// A free port found by binding port 0 can be taken by someone else before FerretDB binds it.
const PORT_ATTEMPTS = 3;

type FerretDbOptions = {
  /** Path to the ferretdb v1.24.2 binary (from .gentrade/bootstrap.json). */
  bin: string;
  /** Holds the SQLite files, FerretDB's state.json and ferretdb.log; created if missing. */
  dataDir: string;
  /** Fixed port; a free loopback port when omitted or 0. */
  port?: number;
  /** With a fixed port that is already taken, use a free port instead of failing. */
  fallbackToFreePort?: boolean;
  logger?: { info(obj: object, msg?: string): void };
};

type RunningFerretDb = {
  /** `mongodb://127.0.0.1:<port>/` */
  uri: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
};

/** Starts FerretDB and resolves once it answers MongoDB commands. */
export async function startFerretDb(opts: FerretDbOptions): Promise<RunningFerretDb> {
  // FerretDB 1.24 decodes the SQLite URL once but hands it to SQLite undecoded, so these characters
  // send the databases somewhere else instead of failing.
  if (/[%?#]/.test(opts.dataDir)) {
    throw new AppError('CONFIG', 'The database directory path must not contain %, ? or #.', {
      detail: `FerretDB data dir ${opts.dataDir} contains %, ? or #`,
    });
  }
  if (!existsSync(opts.bin)) {
    throw new AppError('CONFIG', 'The embedded database is not installed; run `npm run bootstrap`.', {
      detail: `FerretDB binary ${opts.bin} does not exist: run node scripts/bootstrap.mjs`,
    });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const fixed = opts.port !== undefined && opts.port > 0 ? opts.port : undefined;
  const mayMove = fixed === undefined || opts.fallbackToFreePort === true;
  for (let attempt = 1; ; attempt++) {
    const port = fixed !== undefined && (attempt === 1 || !mayMove) ? fixed : await freePort();
    const started = await startOnce(opts, port);
    if (started.ok) {
      opts.logger?.info({ port, pid: started.db.pid, dataDir: opts.dataDir }, 'FerretDB started');
      return started.db;
    }
    const portTaken = /address already in use|already served by another process/i.test(
      `${started.reason}\n${started.log}`,
    );
    const retry = mayMove && attempt < PORT_ATTEMPTS && portTaken;
    if (!retry) {
      throw new AppError('STORAGE', 'The database could not be started.', {
        detail: `FerretDB (${opts.bin}) on ${HOST}:${port} ${started.reason}. Last lines of ${logPath(opts.dataDir)}:\n${started.log}`,
      });
    }
  }
}

type StartResult = { ok: true; db: RunningFerretDb } | { ok: false; reason: string; log: string };

async function startOnce(opts: FerretDbOptions, port: number): Promise<StartResult> {
  const logFd = openSync(logPath(opts.dataDir), 'a');
  let child: ChildProcess;
  try {
    child = spawnWithParentDeathSignal(
      opts.bin,
      [
        '--handler=sqlite',
        // A file URL keeps unusual characters in the path intact; FerretDB wants the trailing slash.
        // FerretDB runs SQLite in WAL mode; synchronous=NORMAL there skips an fsync per commit and
        // cannot corrupt the database (a power cut may lose the last commits, a crash loses none).
        `--sqlite-url=${pathToFileURL(opts.dataDir).href}/?_pragma=synchronous(normal)`,
        `--listen-addr=${HOST}:${port}`,
        // The metrics/pprof listener defaults to a fixed port that parallel instances would share; a
        // profiling run may name one (FERRETDB_DEBUG_ADDR=127.0.0.1:8088).
        `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR ?? '-'}`,
        `--state-dir=${opts.dataDir}`,
        '--telemetry=disable',
        `--log-level=${process.env.FERRETDB_LOG_LEVEL ?? 'warn'}`,
        '--log-format=text',
      ],
      logFd,
    );
  } finally {
    closeSync(logFd); // the child holds its own copy
  }

  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`could not be spawned: ${err.message}`));
    child.once('exit', (code, signal) => resolve(`exited early (code ${code}, signal ${signal})`));
  });
  trackChild(child);

  const probing = new AbortController();
  const ready = await Promise.race([waitForServer(port, child.pid, probing.signal), exited]);
  probing.abort(); // the loser of the race must not keep probing
  if (ready !== true) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    return {
      ok: false,
      reason: ready || `did not answer MongoDB commands within ${READY_TIMEOUT_MS / 1000} s`,
      log: logTail(opts.dataDir),
    };
  }

  let stopping: Promise<void> | undefined;
  const pid = child.pid ?? -1;
  return {
    ok: true,
    db: {
      uri: `mongodb://${HOST}:${port}/`,
      port,
      pid,
      stop() {
        stopping ??= stopProcess(child, exited);
        return stopping;
      },
    },
  };
}

/**
 * Resolves true once our process answers, '' when the deadline passes, or a reason when the port
 * is answered by some other server (then our process is about to fail to bind).
 */
async function waitForServer(
  port: number,
  pid: number | undefined,
  signal: AbortSignal,
): Promise<true | string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    // A bare TCP probe first: the driver's server selection would wait its full timeout on a refused port.
    if (await canConnect(port)) {
      const client = new MongoClient(`mongodb://${HOST}:${port}/`, {
        directConnection: true,
        serverSelectionTimeoutMS: 2_000,
      });
      try {
        // serverStatus doubles as the ping and tells whose server this is.
        const status = await client.db('admin').command({ serverStatus: 1 });
        if (status.pid === pid) return true;
        return `found ${HOST}:${port} already served by another process (pid ${String(status.pid)})`;
      } catch {
        // listening but not serving yet
      } finally {
        await client.close();
      }
    }
    await sleep(50);
  }
  return '';
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(escalate);
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * A process 'exit' handler does not run when this process is killed by a signal (Vitest ends its
 * fork workers that way), so on Linux util-linux's setpriv also asks the kernel to SIGTERM the
 * child when we die. setpriv execs the binary, so the pid stays FerretDB's.
 */
function spawnWithParentDeathSignal(bin: string, args: string[], logFd: number): ChildProcess {
  const options = { stdio: ['ignore', logFd, logFd] } satisfies SpawnOptions;
  if (process.platform === 'linux' && existsSync(SETPRIV)) {
    return spawn(SETPRIV, ['--pdeathsig', 'TERM', '--', bin, ...args], options);
  }
  return spawn(bin, args, options);
}

// Children still running when this process exits get SIGTERM, so a crashed test run or an
// unhandled error in the app does not leave FerretDB servers behind. One listener for all of them.
const liveChildren = new Set<ChildProcess>();

function trackChild(child: ChildProcess): void {
  if (liveChildren.size === 0) process.on('exit', terminateLiveChildren);
  liveChildren.add(child);
  const untrack = () => {
    liveChildren.delete(child);
    if (liveChildren.size === 0) process.off('exit', terminateLiveChildren);
  };
  child.once('exit', untrack);
  child.once('error', untrack); // spawn failures emit no 'exit'
}

function terminateLiveChildren(): void {
  for (const child of liveChildren) child.kill('SIGTERM');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function logPath(dataDir: string): string {
  return path.join(dataDir, LOG_FILE);
}

function logTail(dataDir: string, lines = 20): string {
  try {
    const text = readFileSync(logPath(dataDir), 'utf8').trimEnd();
    return text === '' ? '(log is empty)' : text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
