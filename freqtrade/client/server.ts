// Client of the warm engine server (`python -m gentrade_engine serve`): starts it on first use, sends
// requests with ids, matches replies, and starts a fresh server after one dies. Requests in flight on
// a dead server fail with a clear AppError; the next request gets a new server. `diagnose` says why
// a backtest made no trades (client/diagnose.ts).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../../src/errors.ts';
import type { EngineProgress } from '../runner.ts';
import { type DiagnoseRequest, type Diagnosis, diagnoseCode } from './diagnose.ts';
import { type EngineProcessSettings, killEngine, setRef, spawnEngine } from './process.ts';
import {
  type EngineEpoch,
  type EngineLimits,
  type EngineReady,
  type EngineSandbox,
  EpochLineSchema,
  limitsJson,
  PongSchema,
  ProgressLineSchema,
  progressOf,
  ReadySchema,
  type ReplyLine,
  ReplyLineSchema,
} from './protocol.ts';

export type EngineServerOptions = EngineProcessSettings & {
  /** Requests the server runs at once; more wait in its queue. */
  slots: number;
  /** The server's working folder and HOME (each request still gets its own temp folder). */
  workDir: string;
  logger: Logger;
  /** How long Freqtrade's import may take before the start counts as failed. */
  startTimeoutMs?: number;
  /**
   * Extra `serve` arguments, for tests only: `['--isolation', 'off']` shows what a machine without the
   * OS sandbox does. Nothing in config reaches this.
   */
  serveArgs?: readonly string[];
};

export type SendOptions = {
  limits?: EngineLimits;
  signal?: AbortSignal;
  /** Hears the run's progress lines (backtests), until its reply. */
  onProgress?: (progress: EngineProgress) => void;
  /** Hears a hyperopt's epochs (done, total, best loss so far), until its reply. */
  onEpoch?: (epoch: EngineEpoch) => void;
};
/** The engine's commands; `hyperopt` is Freqtrade's hyperopt (freqtrade/engine/README.md, "serve"). */
export type EngineCommand = 'backtest' | 'hyperopt' | 'validate' | 'diagnose';

export type EngineServer = {
  /** Sends one command and resolves with its reply line (ok or not); rejects only when the server fails. */
  send(command: EngineCommand, request: object, opts?: SendOptions): Promise<ReplyLine>;
  /** The zero-trade diagnosis for a strategy on the given data: each entry condition's true candles. */
  diagnose(request: DiagnoseRequest, opts?: SendOptions): Promise<Diagnosis>;
  /** Starts the server if needed and checks it answers. */
  ping(): Promise<EngineReady & { pid: number }>;
  /** How the server sandboxes runs (its ready line); starts the server if needed. */
  sandbox(): Promise<EngineSandbox>;
  /** What the last server to start said about its sandbox, without starting one; undefined before. */
  knownSandbox(): EngineSandbox | undefined;
  /** Kills the server and fails whatever is in flight. */
  stop(): Promise<void>;
};

type Pending = {
  resolve: (reply: ReplyLine) => void;
  reject: (err: Error) => void;
  onProgress?: ((progress: EngineProgress) => void) | undefined;
  onEpoch?: ((epoch: EngineEpoch) => void) | undefined;
};
type Running = {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<EngineReady>;
  pending: Map<string, Pending>;
  /** Requests given up (a run cancelled, and the cancel itself): their replies are expected, not strays. */
  abandoned: Set<string>;
  exited: Promise<void>;
  stopping: boolean;
};

const STDERR_TAIL = 4000;
const IdSchema = z.object({ id: z.string().nullable() });

function died(detail: string): AppError {
  return new AppError(
    'ENGINE_FAILED',
    'The backtest engine stopped unexpectedly while working on this. Try again in a moment.',
    { detail },
  );
}

export function createEngineServer(opts: EngineServerOptions): EngineServer {
  let current: Running | undefined;
  let sandbox: EngineSandbox | undefined;

  function launch(): Running {
    mkdirSync(opts.workDir, { recursive: true });
    const args = ['serve', '--slots', String(opts.slots), ...(opts.serveArgs ?? [])];
    const child = spawnEngine(opts, args, {
      cwd: opts.workDir,
      home: opts.workDir,
    });
    const pending = new Map<string, Pending>();
    let stderr = '';
    let onReady: (ready: EngineReady) => void = () => undefined;
    let onFail: (err: Error) => void = () => undefined;
    const ready = new Promise<EngineReady>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    ready.catch(() => undefined); // observed by whoever sends; a dead start must not be unhandled
    const startTimer = setTimeout(() => {
      onFail(new AppError('ENGINE_FAILED', 'The backtest engine took too long to start. Try again.'));
      killEngine(child);
    }, opts.startTimeoutMs ?? 120_000);
    const running: Running = {
      child,
      ready,
      pending,
      abandoned: new Set(),
      exited: new Promise((resolve) => child.on('close', () => resolve())),
      stopping: false,
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-64_000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        opts.logger.warn({ line: line.slice(0, 200) }, 'engine server printed a non-JSON line');
        return;
      }
      const isReady = ReadySchema.safeParse(json);
      if (isReady.success) {
        clearTimeout(startTimer);
        if (pending.size === 0) setRef(child, false);
        sandbox = isReady.data.sandbox;
        onReady(isReady.data);
        return;
      }
      const epoch = EpochLineSchema.safeParse(json);
      if (epoch.success) {
        const { epochs, total, best_loss } = epoch.data;
        pending.get(epoch.data.id)?.onEpoch?.({ epochs, total, bestLoss: best_loss });
        return;
      }
      const progress = ProgressLineSchema.safeParse(json);
      if (progress.success) {
        pending.get(progress.data.id)?.onProgress?.(progressOf(progress.data));
        return;
      }
      const id = IdSchema.safeParse(json);
      const waiter = id.success && id.data.id !== null ? pending.get(id.data.id) : undefined;
      if (id.success && id.data.id !== null && running.abandoned.delete(id.data.id)) {
        opts.logger.debug({ id: id.data.id }, 'engine server reply to a request given up');
        return;
      }
      if (!id.success || id.data.id === null || !waiter) {
        opts.logger.warn({ line: line.slice(0, 500) }, 'engine server reply matches no request');
        return;
      }
      pending.delete(id.data.id);
      if (pending.size === 0) setRef(child, false);
      const reply = ReplyLineSchema.safeParse(json);
      if (reply.success) waiter.resolve(reply.data);
      else waiter.reject(died(`unreadable reply: ${line.slice(0, 500)}`));
    });
    child.on('error', (err) => {
      clearTimeout(startTimer);
      onFail(
        new AppError(
          'ENGINE_FAILED',
          'The backtest engine could not start. Run `npm run bootstrap` and try again.',
          {
            cause: err,
          },
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(startTimer);
      const detail = `engine server exited (code ${code}, signal ${signal}): ${stderr.slice(-500)}`;
      const level = running.stopping ? 'debug' : 'error';
      opts.logger[level]({ code, signal, stderr: stderr.slice(-STDERR_TAIL) }, 'engine server exited');
      onFail(
        new AppError(
          'ENGINE_FAILED',
          'The backtest engine could not start. Run `npm run bootstrap` and try again.',
          {
            detail,
          },
        ),
      );
      for (const waiter of pending.values()) waiter.reject(died(detail));
      pending.clear();
      if (current === running) current = undefined;
    });
    child.stdin.on('error', () => undefined);
    // Referenced while starting; the ready handler lets go when nothing waits.
    setRef(child, true);
    return running;
  }

  async function server(): Promise<Running> {
    if (!current) current = launch();
    const running = current;
    await running.ready;
    return running;
  }

  function write(running: Running, line: object): void {
    running.child.stdin.write(`${JSON.stringify(line)}\n`);
  }

  /** The server, or a rejection as soon as `signal` aborts: a worker stopping while the server starts must not wait for it. */
  function serverUnless(signal: AbortSignal | undefined, stopped: () => AppError): Promise<Running> {
    if (!signal) return server();
    if (signal.aborted) return Promise.reject(stopped());
    return new Promise<Running>((resolve, reject) => {
      const onAbort = () => reject(stopped());
      signal.addEventListener('abort', onAbort, { once: true });
      server().then(
        (running) => {
          signal.removeEventListener('abort', onAbort);
          resolve(running);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  async function roundTrip(command: string, request: object, opts?: SendOptions): Promise<ReplyLine> {
    const signal = opts?.signal;
    const stopped = () =>
      new AppError('ENGINE_FAILED', 'The run was stopped.', { detail: `aborted ${command}` });
    const running = await serverUnless(signal, stopped);
    const id = randomUUID();
    const limits = limitsJson(opts?.limits);
    return new Promise<ReplyLine>((resolve, reject) => {
      const onAbort = () => {
        if (!running.pending.delete(id)) return;
        const cancelId = randomUUID();
        running.abandoned.add(id).add(cancelId);
        write(running, { id: cancelId, command: 'cancel', request: { id } });
        reject(stopped());
      };
      if (signal?.aborted) {
        reject(stopped());
        return;
      }
      running.pending.set(id, {
        onProgress: opts?.onProgress,
        onEpoch: opts?.onEpoch,
        resolve: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reply);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      setRef(running.child, true);
      write(running, { id, command, request, ...(limits ? { limits } : {}) });
    });
  }

  return {
    send: (command, request, sendOpts) => roundTrip(command, request, sendOpts),
    diagnose: (request, sendOpts) =>
      diagnoseCode((command, body) => roundTrip(command, body, sendOpts), request),
    async ping() {
      const running = await server();
      const ready = await running.ready;
      const pong = PongSchema.safeParse(await roundTrip('ping', {}));
      if (!pong.success) throw died(`bad ping reply: ${pong.error.message}`);
      return { ...ready, pid: pong.data.pid };
    },
    sandbox: async () => (await (await server()).ready).sandbox,
    knownSandbox: () => sandbox,
    async stop() {
      const running = current;
      current = undefined;
      if (!running) return;
      setRef(running.child, true);
      running.stopping = true;
      running.child.stdin.end();
      killEngine(running.child);
      await running.exited;
    },
  };
}
