// Production runner: the same engine inside the official freqtradeorg/freqtrade image, started with
// dockerode, in a container that isolates the run (docker/container.ts: no network, a read-only root,
// an unprivileged user, no capabilities, limits) and is killed at the wall-clock timeout (docker/run.ts).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import { oneShotProgress } from '../client/protocol.ts';
import { readRunResult } from '../result.ts';
import {
  type BacktestRunner,
  discardRun,
  type EngineSettings,
  engineError,
  engineRequest,
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
  return {
    async run(req, runOpts) {
      // A fresh folder for every attempt (a retry reuses the id): nothing a previous container left
      // there (a link in place of the strategy file, say) is ever written through.
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
      await writeFile(path.join(dir, 'request.json'), JSON.stringify(request), 'utf8');
      // The container's user is never root, so the run's folder must be writable for it.
      await handOverRunDir(dir, process.getuid?.());
      const started = Date.now();
      const { out, err, timedOut } = await runContainer(
        docker,
        containerOptions({
          image: opts.image,
          command: 'backtest',
          runDir: dir,
          engineDir: opts.engineDir,
          marketDataDir: opts.marketDataDir,
          marketsPath: opts.marketsPath,
        }),
        {
          timeoutMs: opts.timeoutMs,
          what: 'backtest',
          signal: runOpts?.signal,
          onLine: (line) => {
            const progress = runOpts?.onProgress && oneShotProgress(line);
            if (progress) runOpts.onProgress?.(progress);
          },
        },
      );
      if (timedOut) throw new AppError('ENGINE_TIMEOUT', 'The backtest took too long and was stopped.');
      const reply = readEngineReply(out);
      if (!reply) {
        opts.logger.error({ stderr: err.slice(-4000) }, 'engine container gave no reply');
        throw new AppError(
          'ENGINE_FAILED',
          'The backtest engine stopped unexpectedly. Try again in a moment.',
        );
      }
      if (!reply.ok) throw engineError(reply.code, reply.message);
      // Our own path, never the reply's (strategy code can write on the container's stdout).
      return { ...(await readRunResult(dir)), durationMs: Date.now() - started };
    },
    discard: (backtestId) => discardRun(opts.resultsRoot, backtestId),
  };
}
