// Turns one strategy's Freqtrade result into the series a chart draws. Pure and synchronous so the
// figures can be checked against the result file without rendering anything; every value is a
// starting balance plus Freqtrade's own profit_abs, nothing is smoothed or interpolated.
import { z } from 'zod';
import { AppError } from '../../src/errors.ts';

const ResultSchema = z.object({
  strategy: z.record(
    z.string(),
    z.object({
      starting_balance: z.number().positive(),
      stake_currency: z.string().min(1),
      stake_currency_decimals: z.number().int().min(0).max(12).optional(),
      backtest_start_ts: z.number(),
      backtest_end_ts: z.number(),
      profit_total: z.number(),
      profit_total_abs: z.number(),
      trades: z.array(z.object({ close_timestamp: z.number(), profit_abs: z.number() })),
    }),
  ),
});

const EquityPointSchema = z.object({
  /** ms since epoch, UTC */
  t: z.number(),
  /** equity in stake currency at `t` */
  equity: z.number(),
  /** Fraction below the running peak of equity, zero or negative (-0.05 = 5 % below the peak). */
  drawdown: z.number(),
  /** Fraction gained from the starting balance (0.05 = +5 %). */
  returnRatio: z.number(),
});
export type EquityPoint = z.infer<typeof EquityPointSchema>;

/**
 * The curve as stored with a backtest, so /compare can draw it in any process (the result file stays
 * on the worker's disk). Parse stored copies with this schema.
 */
export const EquitySeriesSchema = z.object({
  stakeCurrency: z.string(),
  /** Decimals Freqtrade shows for the stake currency (2 for USDT, 8 for BTC). */
  stakeDecimals: z.number().int(),
  startingBalance: z.number(),
  start: z.number(),
  end: z.number(),
  trades: z.number().int(),
  profitTotal: z.number(),
  profitTotalAbs: z.number(),
  points: z.array(EquityPointSchema),
});
export type EquitySeries = z.infer<typeof EquitySeriesSchema>;

/**
 * The equity curve of `strategyClass` in a Freqtrade result: the starting balance at backtest start,
 * then the balance after each close time (trades closing on the same candle are summed into one
 * point), then the final balance again at backtest end. Throws AppError('ENGINE_FAILED') on a result
 * it cannot read.
 */
export function equitySeries(result: unknown, strategyClass: string): EquitySeries {
  const parsed = ResultSchema.safeParse(result);
  if (!parsed.success) {
    throw new AppError('ENGINE_FAILED', 'Freqtrade produced a result I could not chart.', {
      detail: parsed.error.message,
    });
  }
  const s = parsed.data.strategy[strategyClass];
  if (!s) {
    throw new AppError('ENGINE_FAILED', 'Freqtrade produced no result for this strategy to chart.', {
      detail: `no stats for ${strategyClass}; have ${Object.keys(parsed.data.strategy).join(',')}`,
    });
  }
  if (s.backtest_end_ts < s.backtest_start_ts) {
    throw new AppError('ENGINE_FAILED', 'Freqtrade produced a result I could not chart.', {
      detail: `backtest ends (${s.backtest_end_ts}) before it starts (${s.backtest_start_ts})`,
    });
  }

  const profitByClose = new Map<number, number>();
  for (const trade of s.trades) {
    profitByClose.set(
      trade.close_timestamp,
      (profitByClose.get(trade.close_timestamp) ?? 0) + trade.profit_abs,
    );
  }
  const closes = [...profitByClose.keys()].sort((a, b) => a - b);

  const balance = s.starting_balance;
  let equity = balance;
  let peak = balance;
  const point = (t: number): EquityPoint => ({
    t,
    equity,
    drawdown: equity >= peak ? 0 : (equity - peak) / peak,
    returnRatio: (equity - balance) / balance,
  });

  const points: EquityPoint[] = [point(s.backtest_start_ts)];
  for (const t of closes) {
    equity += profitByClose.get(t) ?? 0;
    peak = Math.max(peak, equity);
    points.push(point(t));
  }
  const last = points[points.length - 1];
  if (last && last.t < s.backtest_end_ts) points.push(point(s.backtest_end_ts));

  return {
    stakeCurrency: s.stake_currency,
    stakeDecimals: s.stake_currency_decimals ?? 2,
    startingBalance: balance,
    start: s.backtest_start_ts,
    end: Math.max(s.backtest_end_ts, last?.t ?? s.backtest_end_ts),
    trades: s.trades.length,
    profitTotal: s.profit_total,
    profitTotalAbs: s.profit_total_abs,
    points,
  };
}
