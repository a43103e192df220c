// Turns one strategy's Freqtrade result into the series a chart draws. Pure and synchronous so the
// figures can be checked against the result file without rendering anything; every value is a
// starting balance plus Freqtrade's own profit_abs, nothing is smoothed or interpolated.
import type { EquityPoint, EquitySeries } from '../../src/backtest/equity.ts';
import { AppError } from '../../src/errors.ts';
import { strategyStats } from '../result.ts';

/**
 * The equity curve of `strategyClass` in a Freqtrade result: the starting balance at backtest start,
 * then the balance after each close time (trades closing on the same candle are summed into one
 * point), then the final balance again at backtest end. Throws AppError('ENGINE_FAILED') on a result
 * it cannot read.
 */
export function equitySeries(result: unknown, strategyClass: string): EquitySeries {
  const s = strategyStats(result, strategyClass, 'chart');
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
