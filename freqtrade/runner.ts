// The contract every Freqtrade runner meets (local venv engine, Docker). A runner gets rendered code
// and a request, runs Freqtrade's backtest offline and returns Freqtrade's own result JSON.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_OPTIMISE_SECONDS, type SearchSize, searchSeconds } from '../src/backtest/search-size.ts';
import { AppError, type ErrorCode } from '../src/errors.ts';
import { userText } from './user-text.ts';

export type BacktestRequest = {
  backtestId: string;
  className: string;
  code: string;
  timeframe: string;
  pairs: string[];
  timerange: string;
  /**
   * The spec's cap on trades open at once. Without it the engine uses the class's own
   * `max_open_trades` (custom code) or one trade per pair.
   */
  maxOpenTrades?: number;
  /**
   * The spec's trading mode; spot when absent. For futures the engine trades each pair's USDT
   * perpetual (BTC/USDT becomes BTC/USDT:USDT there) with isolated margin.
   */
  tradingMode?: 'spot' | 'futures';
};

export type BacktestRun = {
  resultPath: string;
  result: unknown;
  durationMs: number;
  /** Where the engine's time went, in ms per phase (data, indicators, signals, loop, results...), when it says. */
  timings?: Record<string, number>;
};

/**
 * Where a run is, as the engine reports it from Freqtrade's own progress: loading candles, computing
 * indicators (and signals), then the backtest loop with the share of candles done.
 */
export type EngineProgress = { phase: 'loading' | 'indicators' | 'backtesting'; percent?: number };

export type RunOptions = {
  /** Aborting stops the run: its engine child or container is killed, not left to finish. */
  signal?: AbortSignal;
  /** Hears the engine's progress reports, where the runner gets them. */
  onProgress?: (progress: EngineProgress) => void;
};

/** A hyperopt: a backtest request (its range is the training part) and what the search needs. */
export type OptimiseRequest = BacktestRequest & {
  epochs: number;
  /** Our loss name (sharpe, sortino, calmar, profit); the engine names Freqtrade's class. */
  loss: string;
  /** Freqtrade's hyperopt spaces searched (buy, sell, stoploss, roi). */
  spaces: string[];
  seed: number;
  /** The test part, backtested with the best parameters after the search. */
  testTimerange: string;
};

/** One of Freqtrade's backtests of the best parameters (on the training or the test part). */
export type PartRun = { resultPath: string; result: unknown };

export type OptimiseRun = {
  epochsRun: number;
  best: { loss: number; epoch: number; params: unknown };
  /** The first epoch's loss (the parameters as they were), when the engine reports it. */
  baselineLoss: number | null;
  train: PartRun;
  test: PartRun | null;
  durationMs: number;
};

/** A hyperopt's progress after each epoch: epochs done of the total, and the best loss so far. */
export type OptimiseEpoch = { epochs: number; total: number; bestLoss: number | null };

export type OptimiseOptions = { signal?: AbortSignal; onEpoch?: (epoch: OptimiseEpoch) => void };

export type BacktestRunner = {
  run(req: BacktestRequest, opts?: RunOptions): Promise<BacktestRun>;
  /** Freqtrade's hyperopt, where the runner offers it (the local engine and the Docker runner do). */
  optimise?(req: OptimiseRequest, opts?: OptimiseOptions): Promise<OptimiseRun>;
  /** Removes what a run of `backtestId` left on disk (a cancelled run has no result to keep). */
  discard?(backtestId: string): Promise<void>;
};

/** How long after a cancel a killed engine run may still write into its folder. */
const LATE_WRITES_MS = 2_000;

/**
 * A run's folder under the results root, as both runners lay it out, removed; and removed again a moment
 * later, since an engine run killed by a cancel can still write a file or two as it goes down (CI saw a
 * cancelled robustness report's folder come back).
 */
export async function discardRun(resultsRoot: string, backtestId: string): Promise<void> {
  const folder = path.join(resultsRoot, backtestId);
  await rm(folder, { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, LATE_WRITES_MS));
  await rm(folder, { recursive: true, force: true });
}

/** What every runner needs besides the request: where data and results live, and the wallet. */
export type EngineSettings = {
  engineDir: string;
  marketDataDir: string;
  marketsPath: string;
  resultsRoot: string;
  timeoutMs: number;
  stakeCurrency: string;
  startingBalance: number;
};

/** The engine's stdin request (freqtrade/engine/README.md), with paths as the engine process sees them. */
export function engineRequest(
  req: BacktestRequest,
  paths: { strategyPath: string; datadir: string; marketsPath: string; resultsDir: string },
  settings: Pick<EngineSettings, 'stakeCurrency' | 'startingBalance'>,
) {
  return {
    strategy_path: paths.strategyPath,
    strategy_class: req.className,
    timeframe: req.timeframe,
    pairs: req.pairs,
    timerange: req.timerange,
    datadir: paths.datadir,
    markets_path: paths.marketsPath,
    results_dir: paths.resultsDir,
    stake_currency: settings.stakeCurrency,
    starting_balance: settings.startingBalance,
    stake_amount: 'unlimited',
    max_open_trades: req.maxOpenTrades ?? Math.max(1, req.pairs.length),
    trading_mode: req.tradingMode ?? 'spot',
  };
}

/** The hyperopt request's own fields, added to the backtest request of its training part. */
export function hyperoptFields(req: OptimiseRequest) {
  return {
    epochs: req.epochs,
    loss: req.loss,
    spaces: req.spaces,
    random_state: req.seed,
    test_timerange: req.testTimerange,
  };
}

/**
 * The wall clock (and CPU) an optimisation gets, in seconds: what the search needs, never below a
 * backtest's time nor above {@link MAX_OPTIMISE_SECONDS}. The engine's one-shot command sizes its child
 * the same way (hyperopt/run.py, whose floor is its own backtest limit).
 */
export const optimiseSeconds = (timeoutMs: number, req: SearchSize): number =>
  Math.min(MAX_OPTIMISE_SECONDS, Math.max(timeoutMs / 1000, searchSeconds(req)));

/** The sentence for an optimisation stopped at its wall clock. */
export const optimiseTimeoutMessage = (seconds: number): string =>
  `The optimisation took longer than ${Math.round(seconds)} s and was stopped. Ask for fewer epochs or a shorter range.`;

/** The engine's last stdout line (see freqtrade/engine/README.md). */
export const EngineReplySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    result_path: z.string(),
    strategy: z.string(),
    trades: z.number().optional(),
  }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);

const ENGINE_CODES: Record<string, ErrorCode> = {
  STRATEGY_LOAD: 'STRATEGY_LOAD',
  // The strategy's own code raised mid-backtest: the sentence quotes it, nothing to retry.
  STRATEGY_ERROR: 'STRATEGY_LOAD',
  NO_DATA: 'NO_DATA',
  UNKNOWN_PAIR: 'UNKNOWN_PAIR',
  BAD_TIMERANGE: 'BAD_TIMERANGE',
  BAD_REQUEST: 'ENGINE_FAILED',
  // A hyperopt with nothing to tune, or no epoch that traded: the sentence says which.
  NO_PARAMETERS: 'BAD_INPUT',
  NO_RESULT: 'BAD_INPUT',
  ENGINE: 'ENGINE_FAILED',
};

/**
 * Turns an engine failure into an AppError whose sentence the trader can act on. The message may quote
 * strategy code's own exception: the user sees it capped and cleaned (user-text.ts), the detail that
 * the log keeps has it whole.
 */
export function engineError(code: string, message: string, detail?: string): AppError {
  const mapped = ENGINE_CODES[code] ?? 'ENGINE_FAILED';
  const shown = userText(message);
  const userMessage =
    mapped === 'ENGINE_FAILED'
      ? `The backtest engine failed: ${shown} Try again; if it persists, tell us.`
      : shown;
  return new AppError(mapped, userMessage, { detail: detail ?? `${code}: ${message}` });
}

/** Picks the engine's reply out of stdout: the last line that parses as a reply. */
export function readEngineReply(stdout: string): z.infer<typeof EngineReplySchema> | undefined {
  return lastReplyLine(stdout, EngineReplySchema);
}

/**
 * The last stdout line that `schema` accepts. A one-shot command prints exactly one JSON line, but
 * the run's own output (a library's warning printed before the engine reserved stdout) may precede it.
 */
export function lastReplyLine<T>(stdout: string, schema: z.ZodType<T>): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}
