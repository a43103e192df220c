// Walk-forward windows computed on the full run's trade list: the range cut into N consecutive
// windows of whole days that tile it exactly, and per window the trades that closed in it, their
// profit over the balance at the window's start, and the deepest drawdown inside it.
import { AppError } from '../../errors.ts';
import type { TradeOutcome, WindowStats } from './report.ts';
import { addDays, daysBetween, readDayRange } from './split.ts';

const DEFAULT_WINDOWS = 5;
const MIN_WINDOWS = 2;
const MAX_WINDOWS = 12;

/**
 * `count` consecutive windows over `timerange` (YYYYMMDD-YYYYMMDD), boundaries on UTC midnights: the
 * first starts where the range does, each starts where the previous ends, the last ends where the range
 * does. Fewer windows when the range has fewer days than `count`.
 */
export function walkForwardWindows(
  timerange: string,
  count = DEFAULT_WINDOWS,
): { start: number; end: number }[] {
  if (!Number.isInteger(count) || count < MIN_WINDOWS || count > MAX_WINDOWS) {
    throw new AppError('BAD_INPUT', `Walk-forward takes ${MIN_WINDOWS} to ${MAX_WINDOWS} windows.`);
  }
  const { start, end } = readDayRange(timerange);
  const days = daysBetween(start, end);
  const n = Math.min(count, days);
  const bound = (i: number) => addDays(start, Math.round((i * days) / n)).getTime();
  return Array.from({ length: n }, (_, i) => ({ start: bound(i), end: bound(i + 1) }));
}

/**
 * The figures of each window from the trade list (sorted or not). A trade belongs to the window its
 * close falls in; one closing at or after the last window's end (the final candle) counts in the last.
 */
export function windowStats(
  trades: readonly TradeOutcome[],
  windows: readonly { start: number; end: number }[],
  startingBalance: number,
): WindowStats[] {
  const sorted = [...trades].sort((a, b) => a.closeTs - b.closeTs);
  let balance = startingBalance;
  let next = 0;
  return windows.map((w, i) => {
    const last = i === windows.length - 1;
    const opening = balance;
    let peak = balance;
    let deepest = 0;
    let count = 0;
    while (next < sorted.length) {
      const trade = sorted[next];
      if (!trade || (!last && trade.closeTs >= w.end)) break;
      next += 1;
      if (trade.closeTs < w.start) continue;
      balance += trade.profitAbs;
      count += 1;
      peak = Math.max(peak, balance);
      if (peak > 0) deepest = Math.max(deepest, (peak - balance) / peak);
    }
    const profitAbs = balance - opening;
    return {
      start: w.start,
      end: w.end,
      trades: count,
      profitAbs,
      profit: opening > 0 ? profitAbs / opening : 0,
      maxDrawdown: deepest,
    };
  });
}
