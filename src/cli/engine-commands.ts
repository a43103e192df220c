// The commands that need the Freqtrade engine: `backtest` and `validate`. Both start the warm engine
// server with the paths the bootstrap wrote (.gentrade/bootstrap.json, via src/config.ts); no database
// or chat credentials are needed. `backtest` validates the file first (static policy and load, no
// smoke run) and refuses it with validate's verdict when the policy does.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { EngineLimits } from '../../freqtrade/client/protocol.ts';
import { readFailure } from '../../freqtrade/client/replies.ts';
import { createEngineServer, type EngineServer } from '../../freqtrade/client/server.ts';
import { validateCode } from '../../freqtrade/client/verdict.ts';
import { parseBacktestResult, readRunResult } from '../../freqtrade/result.ts';
import { engineRequest } from '../../freqtrade/runner.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Output } from './spec-commands.ts';
import { readStrategyFile } from './strategy-file.ts';
import { EXIT, type ExitCode, UsageError } from './usage.ts';

export type EngineConfig = Config['freqtrade'];
type Paths = { python: string; marketDataDir: string; marketsPath: string };

function enginePaths(ft: EngineConfig): Paths {
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath) {
    throw new AppError(
      'CONFIG',
      'The Freqtrade engine is not set up. Run `npm run bootstrap` (or set FREQTRADE_PYTHON, MARKET_DATA_DIR and MARKETS_SNAPSHOT).',
    );
  }
  return { python: ft.python, marketDataDir: ft.marketDataDir, marketsPath: ft.marketsPath };
}

/** Runs `work` with a warm engine server running `slots` requests at once, and stops it afterwards. */
export async function withServer<T>(
  ft: EngineConfig,
  work: (server: EngineServer, paths: Paths) => Promise<T>,
  slots = 1,
) {
  const paths = enginePaths(ft);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'gentrade-cli-'));
  const server = createEngineServer({
    python: paths.python,
    path: ft.path,
    engineDir: ft.engineDir,
    slots,
    workDir,
    logger: pino({ level: 'silent' }),
  });
  try {
    return await work(server, { ...paths });
  } finally {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

export type BacktestArgs = {
  file: string;
  timerange: string;
  pairs: string[];
  timeframe?: string;
  className?: string;
};

export async function backtestCommand(ft: EngineConfig, args: BacktestArgs, io: Output): Promise<ExitCode> {
  const file = await readStrategyFile(args.file, 'backtest');
  const className = args.className ?? file.className;
  if (!className)
    throw new UsageError(`no strategy class found in ${args.file}; pass --class NAME`, 'backtest');
  const timeframe = args.timeframe ?? file.timeframe;
  if (!timeframe) throw new UsageError(`${args.file} declares no timeframe; pass --timeframe`, 'backtest');
  return withServer(ft, async (server, paths) => {
    // The static policy (and Freqtrade's load check) first, as `validate` does, without the smoke
    // backtest: a file the policy refuses never reaches the backtest.
    const verdict = await validateCode(server, file.code, {
      datadir: paths.marketDataDir,
      marketsPath: paths.marketsPath,
      className,
      timeframe,
      smoke: false,
    });
    if (!verdict.accepted) {
      io.out(`${JSON.stringify(verdict, null, 2)}\n`);
      const first = verdict.violations[0];
      const where = first?.line ? ` (line ${first.line})` : '';
      io.err(
        `gentrade: ${args.file} was refused before backtesting: ${first?.message ?? verdict.stage}${where}`,
      );
      return EXIT.refused;
    }
    const resultsDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'gentrade-backtest-')), 'run');
    const strategyPath = path.resolve(args.file);
    const request = engineRequest(
      {
        backtestId: 'cli',
        className,
        code: file.code,
        timeframe,
        pairs: args.pairs,
        timerange: args.timerange,
      },
      { strategyPath, datadir: paths.marketDataDir, marketsPath: paths.marketsPath, resultsDir },
      ft,
    );
    try {
      const reply = await server.send('backtest', request, {
        limits: { timeoutSeconds: ft.timeoutMs / 1000 },
      });
      const failure = readFailure(reply);
      if (failure) {
        io.err(`gentrade: ${failure.message}`);
        return failure.code === 'BAD_REQUEST' ? EXIT.failed : EXIT.refused;
      }
      const { result } = await readRunResult(resultsDir);
      const summary = parseBacktestResult(result, className);
      io.out(`${JSON.stringify(summary, null, 2)}\n`);
      return EXIT.ok;
    } finally {
      await rm(path.dirname(resultsDir), { recursive: true, force: true });
    }
  });
}

export type ValidateArgs = {
  file: string;
  className?: string;
  pairs?: string[];
  timerange?: string;
  smoke: boolean;
  lookahead: boolean;
  limits?: EngineLimits;
};

export async function validateCommand(ft: EngineConfig, args: ValidateArgs, io: Output): Promise<ExitCode> {
  const file = await readStrategyFile(args.file, 'validate');
  return withServer(ft, async (server, paths) => {
    const verdict = await validateCode(server, file.code, {
      datadir: paths.marketDataDir,
      marketsPath: paths.marketsPath,
      smoke: args.smoke,
      lookahead: args.lookahead,
      ...(args.className ? { className: args.className } : {}),
      ...(args.pairs ? { pairs: args.pairs } : {}),
      ...(args.timerange ? { timerange: args.timerange } : {}),
      ...(args.limits ? { limits: args.limits } : {}),
    });
    // A run stopped by a limit is a rejection too (rule cpu-limit, memory-limit or timeout): exit 1.
    io.out(`${JSON.stringify(verdict, null, 2)}\n`);
    return verdict.accepted ? EXIT.ok : EXIT.refused;
  });
}
