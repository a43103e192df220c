// Freqtrade's own trade list of one result, as the robustness report's computations take it: each
// closed trade's close time and profit in the stake currency, exactly as Freqtrade recorded them.
import type { TradeOutcome } from '../src/backtest/robustness/report.ts';
import { strategyStats } from './result.ts';

/** The trades of `strategyClass` in a Freqtrade result, in close order. Throws AppError like strategyStats. */
export function tradeOutcomes(result: unknown, strategyClass: string): TradeOutcome[] {
  return strategyStats(result, strategyClass)
    .trades.map((t) => ({ closeTs: t.close_timestamp, profitAbs: t.profit_abs }))
    .sort((a, b) => a.closeTs - b.closeTs);
}
