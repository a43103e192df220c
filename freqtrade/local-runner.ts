// Runs backtests with our Python engine in the bootstrap's venv through the warm engine server: each
// backtest runs in a forked, sandboxed child (its own temp folder, CPU/memory limits, no network where
// the OS allows it) of a server that imported Freqtrade once, with a wall-clock timeout.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { EngineProcessSettings } from './client/process.ts';
import { readBacktestReply, readHyperoptReply } from './client/replies.ts';
import { createEngineServer, type EngineServer } from './client/server.ts';
import { readRunResult } from './result.ts';
import {
  type BacktestRequest,
  type BacktestRunner,
  discardRun,
  type EngineSettings,
  engineRequest,
  hyperoptFields,
  optimiseSeconds,
  optimiseTimeoutMessage,
  type PartRun,
} from './runner.ts';

export type LocalRunnerOptions = EngineSettings &
  EngineProcessSettings & {
    logger: Logger;
    /** Backtests the engine runs at once (default 2); more wait in its queue. */
    slots?: number;
    /** Share a running server (the CLI and tests do); otherwise the runner starts its own. */
    server?: EngineServer;
  };

export type LocalRunner = BacktestRunner & {
  /** Stops the engine server this runner started (not a shared one). */
  stop(): Promise<void>;
};

export function createLocalRunner(opts: LocalRunnerOptions): LocalRunner {
  const server =
    opts.server ??
    createEngineServer({
      python: opts.python,
      path: opts.path,
      engineDir: opts.engineDir,
      slots: opts.slots ?? 2,
      workDir: opts.resultsRoot,
      logger: opts.logger,
    });
  /**
   * A fresh folder for every attempt (a retry after a crash reuses the id): nothing a previous run
   * left there is ever written through or trusted. The strategy sits beside the run's own writable
   * folder, never inside it, so the run cannot change its inputs.
   */
  async function stage(req: BacktestRequest) {
    const dir = path.join(opts.resultsRoot, req.backtestId);
    await rm(dir, { recursive: true, force: true });
    const strategyDir = path.join(dir, 'strategies');
    const runDir = path.join(dir, 'run');
    await mkdir(strategyDir, { recursive: true });
    await mkdir(runDir);
    const strategyPath = path.join(strategyDir, `${req.className}.py`);
    await writeFile(strategyPath, req.code, 'utf8');
    const paths = {
      strategyPath,
      datadir: opts.marketDataDir,
      marketsPath: opts.marketsPath,
      resultsDir: runDir,
    };
    return { runDir, request: engineRequest(req, paths, opts) };
  }

  /** A part's stored result, read only from inside the run's own folder (never a path the reply names). */
  async function part(runDir: string, name: 'train' | 'test'): Promise<PartRun> {
    return readRunResult(path.join(runDir, name));
  }

  return {
    async run(req, runOpts) {
      const { runDir, request } = await stage(req);
      const started = Date.now();
      const reply = await server.send('backtest', request, {
        limits: { timeoutSeconds: opts.timeoutMs / 1000 },
        ...(runOpts?.signal ? { signal: runOpts.signal } : {}),
        ...(runOpts?.onProgress ? { onProgress: runOpts.onProgress } : {}),
      });
      const durationMs = Date.now() - started;
      if (!reply.ok) opts.logger.warn({ reply }, 'engine refused backtest');
      // Throws the failure's sentence; on success the result is read from our own path, not the reply's.
      const { timings } = readBacktestReply(
        reply,
        `The backtest took longer than ${Math.round(opts.timeoutMs / 1000)} s and was stopped. Try a shorter date range or fewer pairs.`,
      );
      return { ...(await readRunResult(runDir)), durationMs, ...(timings ? { timings } : {}) };
    },
    async optimise(req, optOpts) {
      const { runDir, request } = await stage(req);
      const started = Date.now();
      const seconds = optimiseSeconds(opts.timeoutMs, req);
      const reply = await server.send(
        'hyperopt',
        { ...request, ...hyperoptFields(req) },
        {
          limits: { timeoutSeconds: seconds, cpuSeconds: Math.ceil(seconds) },
          ...(optOpts?.signal ? { signal: optOpts.signal } : {}),
          ...(optOpts?.onEpoch ? { onEpoch: optOpts.onEpoch } : {}),
        },
      );
      if (!reply.ok) opts.logger.warn({ reply }, 'engine refused hyperopt');
      const done = readHyperoptReply(reply, optimiseTimeoutMessage(seconds));
      return {
        epochsRun: done.epochs_run,
        best: done.best,
        baselineLoss: done.baseline_loss ?? null,
        train: await part(runDir, 'train'),
        test: done.test ? await part(runDir, 'test') : null,
        durationMs: Date.now() - started,
      };
    },
    discard: (backtestId) => discardRun(opts.resultsRoot, backtestId),
    stop: () => (opts.server ? Promise.resolve() : server.stop()),
  };
}
