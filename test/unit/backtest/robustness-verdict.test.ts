// The verdict and its reasons, against the thresholds named in verdict.ts.
import { describe, expect, it } from 'vitest';
import type { MonteCarlo, WindowStats } from '../../../src/backtest/robustness/report.ts';
import { decideVerdict, monthlyRate, outOfSampleShare } from '../../../src/backtest/robustness/verdict.ts';
import type { BacktestSummary } from '../../../src/backtest/summary.ts';
import { LOSING_RUN } from '../../support/summaries.ts';

const run = (profitTotal: number, periodStart: string, periodEnd: string, trades = 100): BacktestSummary => ({
  ...LOSING_RUN,
  trades,
  profitTotal,
  periodStart,
  periodEnd,
});
const full = run(0.2, '2024-01-01 00:00:00', '2024-12-31 00:00:00');
const inSample = run(0.14, '2024-01-01 00:00:00', '2024-09-12 00:00:00');
const window = (profitAbs: number): WindowStats => ({
  start: 0,
  end: 1,
  trades: 10,
  profitAbs,
  profit: profitAbs / 1000,
  maxDrawdown: 0.02,
});
const fine: MonteCarlo = {
  seed: 1,
  resamples: 1000,
  trades: 100,
  profit: { p5: 0.05, p50: 0.2, p95: 0.35 },
  drawdown: { p5: 0.03, p50: 0.06, p95: 0.1 },
  drawdownLimit: 0.09,
  chanceWorse: 0.08,
  actual: { profit: 0.2, drawdown: 0.06 },
};
const windows = [window(10), window(20), window(-5), window(30), window(15)];

describe('monthlyRate and outOfSampleShare', () => {
  it('puts parts of different lengths on one footing: profit per 30 days', () => {
    expect(monthlyRate(run(0.1, '2024-01-01 00:00:00', '2024-03-01 00:00:00'))).toBeCloseTo(0.05);
    const oos = run(0.025, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    expect(outOfSampleShare(inSample, oos)).toBeCloseTo(monthlyRate(oos) / monthlyRate(inSample));
    expect(outOfSampleShare(run(-0.1, '2024-01-01 00:00:00', '2024-03-01 00:00:00'), oos)).toBeNull();
  });
});

describe('decideVerdict', () => {
  it('calls a strategy that holds up everywhere robust, saying why', () => {
    const oos = run(0.06, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    const v = decideVerdict({ full, inSample, outOfSample: oos, windows, monteCarlo: fine });
    expect(v.word).toBe('robust');
    expect(v.reasons.join('; ')).toMatch(/4 of 5 walk-forward windows in profit/);
  });

  it('calls a loss out of sample after a gain in sample likely overfit', () => {
    const oos = run(-0.02, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    const v = decideVerdict({ full, inSample, outOfSample: oos, windows, monteCarlo: fine });
    expect(v.word).toBe('likely overfit');
    expect(v.reasons[0]).toMatch(/profitable in sample \(14.0%\) but not out of sample/);
  });

  it('flags a large drop in the profit rate as likely overfit', () => {
    const oos = run(0.01, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    const v = decideVerdict({ full, inSample, outOfSample: oos, windows, monteCarlo: fine });
    expect(v.word).toBe('likely overfit');
    expect(v.reasons[0]).toMatch(/under 50.0%/);
  });

  it("calls a strategy Freqtrade's lookahead analysis flags likely overfit, whatever its figures", () => {
    const oos = run(0.06, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    const v = decideVerdict({
      full,
      inSample,
      outOfSample: oos,
      windows,
      monteCarlo: fine,
      lookaheadBiased: true,
    });
    expect(v.word).toBe('likely overfit');
    expect(v.reasons[0]).toMatch(/lookahead analysis found signals that use future candles/);
  });

  it('calls too few trades, losing windows or a losing 5th percentile fragile', () => {
    const oos = run(0.06, '2024-09-12 00:00:00', '2024-12-31 00:00:00');
    const few = decideVerdict({
      full: { ...full, trades: 12 },
      inSample,
      outOfSample: oos,
      windows: [window(-1), window(-2), window(3)],
      monteCarlo: { ...fine, profit: { ...fine.profit, p5: -0.01 }, chanceWorse: 0.3 },
    });
    expect(few.word).toBe('fragile');
    expect(few.reasons).toHaveLength(4);
    expect(few.reasons.join('; ')).toMatch(
      /only 12 trades.*1 of 3 walk-forward.*5th percentile.*30.0% chance/,
    );
  });
});
