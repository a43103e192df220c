// Production runner: the same engine inside the official freqtradeorg/freqtrade image, started with
// dockerode, in a container that isolates the run (docker/container.ts: no network, a read-only root,
// an unprivileged user, no capabilities, limits) and is killed at the wall-clock timeout (docker/run.ts).
// Backtests run the engine's one-shot `backtest`, optimisations its one-shot `hyperopt`; both follow the
// progress lines the container prints and read results only from the run's own folder.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import { CommandReplySchema, oneShotEpoch, oneShotProgress } from '../client/protocol.ts';
import { readHyperoptReply } from '../client/replies.ts';
import { readRunResult } from '../result.ts';
import {
  type BacktestRequest,
  type BacktestRunner,
  discardRun,
  type EngineSettings,
  engineError,
  engineRequest,
  hyperoptFields,
  lastReplyLine,
  optimiseSeconds,
  optimiseTimeoutMessage,
  readEngineReply,
} from '../runner.ts';
import { containerOptions, handOverRunDir, IN } from './container.ts';
import { runContainer } from './run.ts';

export type DockerRunnerOptions = EngineSettings & {
  image: string;
  logger: Logger;
  docker?: Docker;
};

export function createDockerRunner(opts: DockerRunnerOptions): BacktestRunner {
  const docker = opts.docker ?? new Docker();

  /**
   * A fresh folder for every attempt (a retry reuses the id): nothing a previous container left there
   * (a link in place of the strategy file, say) is ever written through. `extra` joins the engine's
   * request (a hyperopt's own fields).
   */
  async function stage(req: BacktestRequest, extra: Record<string, unknown> = {}): Promise<string> {
    const dir = path.join(opts.resultsRoot, req.backtestId);
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.join(dir, 'strategies'), { recursive: true });
    await writeFile(path.join(dir, 'strategies', `${req.className}.py`), req.code, 'utf8');
    const request = engineRequest(
      req,
      {
        strategyPath: `${IN.results}/strategies/${req.className}.py`,
        datadir: IN.data,
        marketsPath: `${IN.markets}/${path.basename(opts.marketsPath)}`,
        resultsDir: IN.results,
      },
      opts,
    );
    await writeFile(path.join(dir, 'request.json'), JSON.stringify({ ...request, ...extra }), 'utf8');
    // The container's user is never root, so the run's folder must be writable for it.
    await handOverRunDir(dir, process.getuid?.());
    return dir;
  }

  const options = (command: 'backtest' | 'hyperopt', runDir: string) =>
    containerOptions({
      image: opts.image,
      command,
      runDir,
      engineDir: opts.engineDir,
      marketDataDir: opts.marketDataDir,
      marketsPath: opts.marketsPath,
    });

  const noReply = (err: string, what: string) => {
    opts.logger.error({ stderr: err.slice(-4000) }, 'engine container gave no reply');
    return new AppError('ENGINE_FAILED', `The ${what} engine stopped unexpectedly. Try again in a moment.`);
  };

  return {
    async run(req, runOpts) {
      const dir = await stage(req);
      const started = Date.now();
      const { out, err, timedOut } = await runContainer(docker, options('backtest', dir), {
        timeoutMs: opts.timeoutMs,
        what: 'backtest',
        signal: runOpts?.signal,
        onLine: (line) => {
          const progress = runOpts?.onProgress && oneShotProgress(line);
          if (progress) runOpts.onProgress?.(progress);
        },
      });
      if (timedOut) throw new AppError('ENGINE_TIMEOUT', 'The backtest took too long and was stopped.');
      const reply = readEngineReply(out);
      if (!reply) throw noReply(err, 'backtest');
      if (!reply.ok) throw engineError(reply.code, reply.message);
      // Our own path, never the reply's (strategy code can write on the container's stdout).
      return { ...(await readRunResult(dir)), durationMs: Date.now() - started };
    },
    async optimise(req, optOpts) {
      const dir = await stage(req, hyperoptFields(req));
      const started = Date.now();
      const seconds = optimiseSeconds(opts.timeoutMs, req);
      const { out, err, timedOut } = await runContainer(docker, options('hyperopt', dir), {
        timeoutMs: seconds * 1000,
        what: 'optimisation',
        signal: optOpts?.signal,
        onLine: (line) => {
          const epoch = optOpts?.onEpoch && oneShotEpoch(line);
          if (epoch) optOpts.onEpoch?.(epoch);
        },
      });
      if (timedOut) throw new AppError('ENGINE_TIMEOUT', optimiseTimeoutMessage(seconds));
      const reply = lastReplyLine(out, CommandReplySchema);
      if (!reply) throw noReply(err, 'optimisation');
      if (!reply.ok) opts.logger.warn({ reply }, 'engine refused hyperopt');
      const done = readHyperoptReply(reply, optimiseTimeoutMessage(seconds));
      // The parts' results from our own folder, as for a backtest; the reply gives the figures only.
      return {
        epochsRun: done.epochs_run,
        best: done.best,
        baselineLoss: done.baseline_loss ?? null,
        train: await readRunResult(path.join(dir, 'train')),
        test: done.test ? await readRunResult(path.join(dir, 'test')) : null,
        durationMs: Date.now() - started,
      };
    },
    discard: (backtestId) => discardRun(opts.resultsRoot, backtestId),
  };
}
