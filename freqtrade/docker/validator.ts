// The StrategyValidator port with the Docker runner: pasted code goes through the engine's one-shot
// `validate` command (static policy, load check, smoke backtest and, when it made no trades, the
// diagnosis) inside the same isolating container a Docker backtest gets (docker/container.ts), so
// where no engine runs on the host the container is the boundary. Validation keeps its own small
// budget, as on the warm engine: the engine stops the strategy at 20 CPU s / 60 s, and the container
// is killed at that wall clock plus the engine's start-up. The verdict line is read by the same code
// as the warm engine's (client/verdict.ts readVerdict, strategy-validator.ts).
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import type { StrategyValidator } from '../../src/strategy/verdict.ts';
import { CommandReplySchema, type EngineLimits } from '../client/protocol.ts';
import { readVerdict, validateRequest } from '../client/verdict.ts';
import { lastReplyLine } from '../runner.ts';
import { createStrategyValidator, type Judge } from '../strategy-validator.ts';
import { containerOptions, handOverRunDir, IN } from './container.ts';
import { runContainer } from './run.ts';

export type DockerValidatorOptions = {
  image: string;
  engineDir: string;
  marketDataDir: string;
  marketsPath: string;
  /**
   * Where each validation gets its folder: a path the Docker host can bind, so under the bot's data
   * folder (docker-compose mounts it at the host's own path), never the bot's os.tmpdir().
   */
  workRoot: string;
  logger: Logger;
  docker?: Docker;
  /** Kills the container after this long; default the engine's budget plus its start-up. */
  timeoutMs?: number;
};

/** The engine's validate defaults (validate/request.py), sent explicitly so the container's kill follows them. */
const VALIDATION_LIMITS = { cpuSeconds: 20, timeoutSeconds: 60 } satisfies EngineLimits;
const LOOKAHEAD_LIMITS = { cpuSeconds: 120, timeoutSeconds: 180 } satisfies EngineLimits;
/** Python and Freqtrade's imports in a fresh container, before the engine's own clock starts. */
const STARTUP_MS = 30_000;

/** The one-shot `validate` in a container, as a judge for createStrategyValidator. */
function createDockerJudge(opts: DockerValidatorOptions): Judge {
  const docker = opts.docker ?? new Docker();
  return async (code, req) => {
    const dir = path.join(opts.workRoot, randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      await writeFile(path.join(dir, 'strategy.py'), code, 'utf8');
      const limits = req.limits ?? (req.lookahead ? LOOKAHEAD_LIMITS : VALIDATION_LIMITS);
      const request = validateRequest(
        {
          strategyPath: `${IN.results}/strategy.py`,
          datadir: IN.data,
          marketsPath: `${IN.markets}/${path.basename(opts.marketsPath)}`,
        },
        { ...req, limits },
      );
      await writeFile(path.join(dir, 'request.json'), JSON.stringify(request), 'utf8');
      // The container's user is never root, so the folder must be readable (and its tmp writable) for it.
      await handOverRunDir(dir, process.getuid?.());
      const run = await runContainer(
        docker,
        containerOptions({
          image: opts.image,
          command: 'validate',
          runDir: dir,
          engineDir: opts.engineDir,
          marketDataDir: opts.marketDataDir,
          marketsPath: opts.marketsPath,
        }),
        {
          timeoutMs: opts.timeoutMs ?? (limits.timeoutSeconds ?? 60) * 1000 + STARTUP_MS,
          what: 'validation',
        },
      );
      if (run.timedOut) {
        throw new AppError(
          'ENGINE_TIMEOUT',
          'The validation took too long and was stopped; nothing was saved. Try again in a moment.',
          { detail: `validation container killed after its wall clock; stderr: ${run.err.slice(-2000)}` },
        );
      }
      const reply = lastReplyLine(run.out, CommandReplySchema);
      if (!reply) {
        opts.logger.error(
          { exitCode: run.exitCode, stderr: run.err.slice(-4000) },
          'validation container gave no verdict',
        );
        throw new AppError('ENGINE_FAILED', 'The validation stopped unexpectedly. Try again in a moment.');
      }
      return readVerdict(reply);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** The validator the app uses with FREQTRADE_RUNNER=docker (imports of pasted code). */
export function createDockerValidator(opts: DockerValidatorOptions): StrategyValidator {
  return createStrategyValidator({ judge: createDockerJudge(opts), logger: opts.logger });
}
