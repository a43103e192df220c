// The Freqtrade side of the composition root: the backtest runner, the validator pasted code goes
// through, and the sandbox report, built for the configured runner (the local warm engine or Docker).
import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from 'pino';
import { createLookaheadCheck } from '../freqtrade/client/lookahead.ts';
import { createEngineServer } from '../freqtrade/client/server.ts';
import { localFreqtradeVersion } from '../freqtrade/client/version.ts';
import { dockerImageIdentity } from '../freqtrade/docker/image-identity.ts';
import { createDockerRunner } from '../freqtrade/docker/runner.ts';
import { createDockerValidator } from '../freqtrade/docker/validator.ts';
import { createLocalRunner } from '../freqtrade/local-runner.ts';
import { createRunKeys, type RunKeys } from '../freqtrade/run-key.ts';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import { createStrategyValidator, engineJudge } from '../freqtrade/strategy-validator.ts';
import type { LookaheadPort } from '../jobs/robustness-report.ts';
import type { RunBacktestDeps } from '../jobs/run-backtest.ts';
import type { Config } from './config.ts';
import type { SandboxStatus } from './core/ports.ts';
import { AppError } from './errors.ts';
import type { StrategyValidator } from './strategy/verdict.ts';

/** What tests may give the engine; nothing in config reaches it. */
export type EngineTestHooks = {
  /** Extra arguments for the warm engine server (`['--isolation', 'off']`), see client/server.ts. */
  engineServeArgs?: readonly string[];
  /** The Docker client the Docker runner and validator use (a Docker Engine API peer on loopback). */
  docker?: Docker;
};

/** A path the bootstrap provides, or a sentence saying how to get it. */
export function need(value: string | undefined, what: string): string {
  if (!value) {
    throw new AppError('CONFIG', `${what} is not configured. Run \`npm run bootstrap\` or set it in .env.`);
  }
  return value;
}

export type Engine = {
  runner: BacktestRunner;
  /** What decides a run's figures, as the result cache's key (freqtrade/run-key.ts). */
  keys: RunKeys;
  /** Validates pasted code (imports): the warm engine, or the engine's one-shot command in a container. */
  validator: StrategyValidator;
  /**
   * Checks rendered code before it is saved; absent where no engine runs in this process (with Docker
   * each check would start a container, and rendered code comes from our renderer, never a person).
   */
  renderCheck?: StrategyValidator;
  /** Why a backtest made no trades (the engine's diagnosis); absent where no engine runs here. */
  explainNoTrades?: RunBacktestDeps['explainNoTrades'];
  /** Freqtrade's lookahead analysis for the robustness report; absent where no engine runs here. */
  lookahead?: LookaheadPort;
  /** The local engine's report on its OS sandbox; absent with Docker, whose container is the boundary. */
  sandbox?: SandboxStatus;
  stop(): Promise<void>;
};

export function createEngine(config: Config, logger: Logger, hooks: EngineTestHooks): Engine {
  const ft = config.freqtrade;
  const common = {
    marketDataDir: need(ft.marketDataDir, 'MARKET_DATA_DIR'),
    marketsPath: need(ft.marketsPath, 'MARKETS_SNAPSHOT'),
    resultsRoot: path.join(config.dataDir, 'backtests'),
    timeoutMs: ft.timeoutMs,
    stakeCurrency: ft.stakeCurrency,
    startingBalance: ft.startingBalance,
    engineDir: ft.engineDir,
    logger,
  };
  const keysWith = (freqtrade: () => Promise<string | null>) => createRunKeys({ ...common, freqtrade });
  if (ft.runner === 'docker') {
    const docker = hooks.docker ? { docker: hooks.docker } : {};
    const runner = createDockerRunner({ ...common, ...docker, image: ft.image });
    const keys = keysWith(dockerImageIdentity(hooks.docker ?? new Docker(), ft.image));
    // Pasted code is validated in the same isolating container as a backtest: no sandbox report,
    // the container is the boundary (src/core/sandbox.ts refuses nothing without one).
    const validator = createDockerValidator({
      ...docker,
      image: ft.image,
      engineDir: ft.engineDir,
      marketDataDir: common.marketDataDir,
      marketsPath: common.marketsPath,
      workRoot: path.join(config.dataDir, 'validations'),
      logger,
    });
    return { runner, keys, validator, stop: () => Promise.resolve() };
  }
  // One warm engine server for backtests and validation alike; started on first use.
  const server = createEngineServer({
    python: need(ft.python, 'FREQTRADE_PYTHON'),
    path: ft.path,
    engineDir: ft.engineDir,
    slots: 2,
    workDir: common.resultsRoot,
    logger,
    ...(hooks.engineServeArgs ? { serveArgs: hooks.engineServeArgs } : {}),
  });
  const runner = createLocalRunner({
    ...common,
    path: ft.path,
    python: need(ft.python, 'FREQTRADE_PYTHON'),
    server,
  });
  const validator = createStrategyValidator({
    judge: engineJudge({ server, datadir: common.marketDataDir, marketsPath: common.marketsPath }),
    logger,
  });
  const explainNoTrades: RunBacktestDeps['explainNoTrades'] = async (input) =>
    (await server.diagnose({ ...input, datadir: common.marketDataDir, marketsPath: common.marketsPath }))
      .sentence;
  const sandbox: SandboxStatus = { report: () => server.sandbox(), known: () => server.knownSandbox() };
  const python = { python: need(ft.python, 'FREQTRADE_PYTHON'), path: ft.path, engineDir: ft.engineDir };
  return {
    runner,
    keys: keysWith(localFreqtradeVersion(python, common.resultsRoot)),
    validator,
    renderCheck: validator,
    explainNoTrades,
    lookahead: createLookaheadCheck({
      server,
      datadir: common.marketDataDir,
      marketsPath: common.marketsPath,
    }),
    sandbox,
    stop: () => server.stop(),
  };
}
