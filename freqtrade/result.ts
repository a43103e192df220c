// The one place that reads Freqtrade's backtest result JSON. Every number a user sees is taken from
// here: the model may explain these figures but never produces them.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BacktestSummary } from '../src/backtest/summary.ts';
import { AppError } from '../src/errors.ts';

const num = z.union([z.number(), z.nan()]).nullable().optional();

const StrategyStatsSchema = z
  .object({
    total_trades: z.number().int(),
    wins: z.number().int(),
    losses: z.number().int(),
    draws: z.number().int(),
    winrate: num,
    profit_total: z.number(),
    profit_total_abs: z.number(),
    max_drawdown_account: num,
    max_drawdown_abs: num,
    sharpe: num,
    sortino: num,
    calmar: num,
    profit_factor: num,
    expectancy: num,
    cagr: num,
    market_change: num,
    backtest_start: z.string(),
    backtest_end: z.string(),
    backtest_start_ts: z.number(),
    backtest_end_ts: z.number(),
    backtest_run_start_ts: z.number(),
    backtest_run_end_ts: z.number(),
    stake_currency: z.string().min(1),
    stake_currency_decimals: z.number().int().min(0).max(12).optional(),
    starting_balance: z.number().positive(),
    final_balance: z.number(),
    timeframe: z.string(),
    trades: z.array(z.object({ close_timestamp: z.number(), profit_abs: z.number() }).loose()),
  })
  .loose();

/** One strategy's block of a Freqtrade result file, as far as GenTrade reads it. */
export type StrategyStats = z.infer<typeof StrategyStatsSchema>;

const ResultFileSchema = z.object({ strategy: z.record(z.string(), StrategyStatsSchema) }).loose();

/**
 * The stats of `strategyClass` in a Freqtrade result, read through the one schema both the summary and
 * the equity series use. `purpose` finishes the refusal's sentence ("read", "chart"); throws
 * AppError('ENGINE_FAILED') on a file it cannot read or without that class.
 */
export function strategyStats(raw: unknown, strategyClass: string, purpose = 'read'): StrategyStats {
  const parsed = ResultFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('ENGINE_FAILED', `Freqtrade produced a result I could not ${purpose}.`, {
      detail: parsed.error.message,
    });
  }
  const stats = parsed.data.strategy[strategyClass];
  if (!stats) {
    throw new AppError('ENGINE_FAILED', 'Freqtrade produced no result for this strategy.', {
      detail: `no stats for ${strategyClass}; have ${Object.keys(parsed.data.strategy).join(',')}`,
    });
  }
  return stats;
}

const orNull = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

// Past what any backtest writes (years of 5m candles on many pairs is a few MB).
const MAX_RESULT_BYTES = 256 * 1024 * 1024;

/**
 * Reads `result.json` from a run's results folder. The path is ours, never the one the engine's reply
 * names: strategy code can write on that reply pipe, and it can leave anything in its own folder, so
 * the file is opened without following a symlink and must be a regular file of sane size.
 */
export async function readRunResult(resultsDir: string): Promise<{ resultPath: string; result: unknown }> {
  const resultPath = path.join(resultsDir, 'result.json');
  // O_NONBLOCK: a FIFO left in its place must not hang the reader.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(resultPath, flags).catch((err: unknown) => {
    throw new AppError('ENGINE_FAILED', 'Freqtrade produced no result file I could read.', {
      detail: `${resultPath}: ${err instanceof Error ? err.message : String(err)}`,
    });
  });
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_RESULT_BYTES) {
      throw new AppError('ENGINE_FAILED', 'Freqtrade produced no result file I could read.', {
        detail: `${resultPath}: not a regular file under ${MAX_RESULT_BYTES} bytes`,
      });
    }
    return { resultPath, result: readResultJson(await handle.readFile('utf8')) };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a Freqtrade result file. Freqtrade writes NaN and Infinity as bare tokens (rapidjson's native
 * number mode), which JSON.parse refuses; as values they become null here.
 */
export function readResultJson(text: string): unknown {
  return JSON.parse(text.replace(/([:,[]\s*)(?:NaN|-?Infinity)(?=\s*[,}\]])/g, '$1null'));
}

/** Parses Freqtrade's result JSON for one strategy class; throws AppError('ENGINE_FAILED') on a bad file. */
export function parseBacktestResult(raw: unknown, strategyClass: string): BacktestSummary {
  const s = strategyStats(raw, strategyClass);
  return {
    strategy: strategyClass,
    trades: s.total_trades,
    wins: s.wins,
    losses: s.losses,
    draws: s.draws,
    winRate: orNull(s.winrate),
    profitTotal: s.profit_total,
    profitTotalAbs: s.profit_total_abs,
    maxDrawdown: orNull(s.max_drawdown_account),
    maxDrawdownAbs: orNull(s.max_drawdown_abs),
    sharpe: orNull(s.sharpe),
    sortino: orNull(s.sortino),
    calmar: orNull(s.calmar),
    profitFactor: orNull(s.profit_factor),
    expectancy: orNull(s.expectancy),
    cagr: orNull(s.cagr),
    marketChange: orNull(s.market_change),
    stakeCurrency: s.stake_currency,
    startingBalance: s.starting_balance,
    finalBalance: s.final_balance,
    timeframe: s.timeframe,
    periodStart: s.backtest_start,
    periodEnd: s.backtest_end,
    runtimeSeconds: Math.max(0, s.backtest_run_end_ts - s.backtest_run_start_ts),
  };
}
