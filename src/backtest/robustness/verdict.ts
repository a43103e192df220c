// The verdict in words, from the report's figures and thresholds named here, with the reasons that
// decided it. Nothing here is a model's opinion: each reason quotes a figure and the line it crossed.
import type { BacktestSummary } from '../summary.ts';
import type { MonteCarlo, VerdictWord, WindowStats } from './report.ts';

/** Fewer trades than this over the full range say too little to call a strategy robust. */
const MIN_TRADES = 30;
/** Out-of-sample profit per 30 days below this share of the in-sample rate is a large drop (flagged). */
export const MAX_DROP_SHARE = 0.5;
/** At least this share of the walk-forward windows must end in profit. */
const MIN_POSITIVE_WINDOWS = 0.6;
/** The chance of a drawdown worse than X (see monte-carlo.ts) must stay under this. */
const MAX_CHANCE_WORSE = 0.25;

const DAY_MS = 86_400_000;
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** Freqtrade's profit per 30 days of the part it covered ("2024-01-01 00:00:00" dates, UTC). */
export function monthlyRate(s: Pick<BacktestSummary, 'profitTotal' | 'periodStart' | 'periodEnd'>): number {
  const t = (x: string) => Date.parse(`${x.replace(' ', 'T').slice(0, 19)}Z`);
  const days = Math.max(1, (t(s.periodEnd) - t(s.periodStart)) / DAY_MS);
  return (s.profitTotal / days) * 30;
}

/**
 * The out-of-sample rate as a share of the in-sample one (0.4 = it kept 40 %), or null when the
 * in-sample part made no profit to drop from.
 */
export function outOfSampleShare(inSample: BacktestSummary, outOfSample: BacktestSummary): number | null {
  const before = monthlyRate(inSample);
  return before > 0 ? monthlyRate(outOfSample) / before : null;
}

export type VerdictInput = {
  full: BacktestSummary;
  inSample: BacktestSummary;
  outOfSample: BacktestSummary;
  windows: WindowStats[];
  monteCarlo: MonteCarlo | null;
  /** Freqtrade's lookahead analysis found signals that use future candles. */
  lookaheadBiased?: boolean;
  /** Our own check found a negative shift in the entry or exit conditions (shift-check.ts). */
  negativeShifts?: string[];
};

export function decideVerdict(input: VerdictInput): { word: VerdictWord; reasons: string[] } {
  const { full, inSample, outOfSample, windows, monteCarlo } = input;
  const overfit: string[] = [];
  if (input.lookaheadBiased) {
    overfit.push(
      "Freqtrade's lookahead analysis found signals that use future candles, so backtest profits are not to be trusted",
    );
  }
  if (input.negativeShifts && input.negativeShifts.length > 0) {
    overfit.push(
      `our code found the entry or exit conditions reading a later candle (${input.negativeShifts.join(', ')}), so backtest profits are not to be trusted`,
    );
  }
  const fragile: string[] = [];
  const good: string[] = [];

  const share = outOfSampleShare(inSample, outOfSample);
  if (inSample.profitTotal > 0 && outOfSample.profitTotal <= 0) {
    overfit.push(
      `profitable in sample (${pct(inSample.profitTotal)}) but not out of sample (${pct(outOfSample.profitTotal)})`,
    );
  } else if (share !== null && share < MAX_DROP_SHARE) {
    overfit.push(
      `out-of-sample profit per 30 days is ${pct(share)} of the in-sample rate (under ${pct(MAX_DROP_SHARE)})`,
    );
  } else if (share !== null) {
    good.push(`out of sample keeps ${pct(share)} of the in-sample profit rate`);
  }

  if (full.profitTotal <= 0) fragile.push(`no profit over the full range (${pct(full.profitTotal)})`);
  if (full.trades < MIN_TRADES)
    fragile.push(`only ${full.trades} trades (under ${MIN_TRADES}), too few to tell`);

  const positive = windows.filter((w) => w.profitAbs > 0).length;
  const positiveShare = windows.length > 0 ? positive / windows.length : 0;
  const windowsLine = `${positive} of ${windows.length} walk-forward windows in profit`;
  if (positiveShare < MIN_POSITIVE_WINDOWS)
    fragile.push(`${windowsLine} (under ${pct(MIN_POSITIVE_WINDOWS)})`);
  else good.push(windowsLine);

  if (monteCarlo) {
    if (monteCarlo.profit.p5 < 0) {
      fragile.push(`the 5th percentile of resampled final profit is a loss (${pct(monteCarlo.profit.p5)})`);
    } else
      good.push(`even the 5th percentile of resampled final profit is a gain (${pct(monteCarlo.profit.p5)})`);
    if (monteCarlo.chanceWorse >= MAX_CHANCE_WORSE) {
      fragile.push(
        `${pct(monteCarlo.chanceWorse)} chance of a drawdown worse than ${pct(monteCarlo.drawdownLimit)} (limit ${pct(MAX_CHANCE_WORSE)})`,
      );
    }
  }

  if (overfit.length > 0) return { word: 'likely overfit', reasons: [...overfit, ...fragile] };
  if (fragile.length > 0) return { word: 'fragile', reasons: fragile };
  return { word: 'robust', reasons: good };
}
