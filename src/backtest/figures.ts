// Which of Freqtrade's figures are placeholders rather than results, and why. Freqtrade fills a ratio
// it cannot compute with a flag: 0 when there are no trades, -100 when the ratio's denominator is zero
// (Sharpe over one trade, Sortino without two losing trades, Calmar without a drawdown), and a profit
// factor of 0 when no trade lost. The card, the compare card and the explanation show these as "n/a"
// with the reason, so no one reads a flag as a result.
import type { BacktestSummary } from './summary.ts';

/** Freqtrade's "not defined" value for an annualised ratio whose denominator is zero or NaN. */
const UNDEFINED_RATIO = -100;

type GappedField = 'winRate' | 'expectancy' | 'cagr' | 'profitFactor' | 'sharpe' | 'sortino' | 'calmar';

/** For each figure that is a placeholder, the reason in a few words ("no losing trade"). */
export type FigureGaps = Partial<Record<GappedField, string>>;

export function figureGaps(s: BacktestSummary): FigureGaps {
  if (s.trades === 0) {
    const reason = 'no trades';
    return {
      winRate: reason,
      expectancy: reason,
      cagr: reason,
      profitFactor: reason,
      sharpe: reason,
      sortino: reason,
      calmar: reason,
    };
  }
  const gaps: FigureGaps = {};
  if (s.losses === 0) gaps.profitFactor = 'no losing trade';
  if (s.trades < 2) gaps.sharpe = 'one trade';
  else if (s.sharpe === UNDEFINED_RATIO) gaps.sharpe = 'no variation in returns';
  if (s.losses === 0) gaps.sortino = 'no losing trade';
  else if (s.sortino === UNDEFINED_RATIO)
    gaps.sortino = s.losses === 1 ? 'one losing trade' : 'no downside variation';
  // With no losing trade Freqtrade finds no drawdown and writes 0; with a zero drawdown, -100.
  if (s.calmar === UNDEFINED_RATIO || (s.losses === 0 && s.calmar === 0)) gaps.calmar = 'no drawdown';
  return gaps;
}

/** The summary with each placeholder set to null, so nothing reads it as a result. */
export function meaningfulFigures(s: BacktestSummary): BacktestSummary {
  const gaps = figureGaps(s);
  const out = { ...s };
  for (const field of Object.keys(gaps) as GappedField[]) out[field] = null;
  return out;
}
