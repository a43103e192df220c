// The robustness card: each section names its source, a large out-of-sample drop is flagged, and
// what did not run (Monte Carlo without trades, the lookahead analysis without the local engine) is
// said, never left blank.
import { describe, expect, it } from 'vitest';
import type { RobustnessReport } from '../../../src/backtest/robustness/report.ts';
import { robustnessCard } from '../../../src/core/robust-card.ts';
import { ALL_WON_RUN, LOSING_RUN } from '../../support/summaries.ts';

const part = (profitTotal: number, periodStart: string, periodEnd: string) => ({
  ...LOSING_RUN,
  profitTotal,
  periodStart,
  periodEnd,
});
const REPORT: RobustnessReport = {
  timerange: '20240101-20250101',
  inSampleShare: 0.7,
  split: { inSample: '20240101-20240913', outOfSample: '20240913-20250101' },
  full: part(0.1, '2024-01-01 00:00:00', '2025-01-01 00:00:00'),
  inSample: part(0.12, '2024-01-01 00:00:00', '2024-09-13 00:00:00'),
  outOfSample: part(0.01, '2024-09-13 00:00:00', '2025-01-01 00:00:00'),
  outOfSampleKept: 0.2,
  walkForward: {
    windows: [
      {
        start: Date.UTC(2024, 0, 1),
        end: Date.UTC(2024, 6, 1),
        trades: 4,
        profitAbs: 30,
        profit: 0.03,
        maxDrawdown: 0.02,
      },
      {
        start: Date.UTC(2024, 6, 1),
        end: Date.UTC(2025, 0, 1),
        trades: 3,
        profitAbs: -5,
        profit: -0.005,
        maxDrawdown: 0.04,
      },
    ],
    positive: 1,
  },
  monteCarlo: null,
  lookahead: null,
  verdict: {
    word: 'likely overfit',
    reasons: ['out-of-sample profit per 30 days is 20.0% of the in-sample rate'],
  },
};

describe('robustnessCard', () => {
  const card = robustnessCard('btc-sma', ['BTC/USDT'], REPORT);
  const value = (start: string) => card.fields.find((f) => f.name.startsWith(start))?.value ?? '';

  it('gives the verdict with its reasons, and names each section’s source', () => {
    expect(card.title).toBe('How robust? btc-sma 20240101-20250101');
    expect(card.description).toBe('BTC/USDT on 1h. Verdict: LIKELY OVERFIT.');
    expect(value('Verdict')).toBe('- out-of-sample profit per 30 days is 20.0% of the in-sample rate');
    expect(card.fields.map((f) => f.name)).toEqual([
      'Verdict: likely overfit (our code, thresholds in code)',
      'Full range (Freqtrade)',
      'Out of sample: split 70/30, each part a separate Freqtrade run (Freqtrade)',
      "Walk-forward: 2 windows, our code on the full run's Freqtrade trade list (by close time)",
      "Monte Carlo (our code on Freqtrade's trade list)",
      'Bias checks (Freqtrade)',
    ]);
    expect(card.footer).toContain('No figure comes from a model');
  });

  it("shows Freqtrade's placeholders as n/a with the reason, as the result card does", () => {
    const noLoss = robustnessCard('btc-sma', ['BTC/USDT'], {
      ...REPORT,
      outOfSample: { ...ALL_WON_RUN, periodStart: '2024-09-13 00:00:00', periodEnd: '2025-01-01 00:00:00' },
    });
    const side = noLoss.fields.find((f) => f.name.startsWith('Out of sample'))?.value ?? '';
    expect(side).toContain('Profit factor: 0.83 | n/a (no losing trade)');
  });

  it('flags a large drop out of sample', () => {
    expect(value('Out of sample')).toContain('Profit: +12.00% | +1.00%');
    expect(value('Out of sample')).toContain('LARGE DROP: out of sample keeps 20.00% of the in-sample rate');
  });

  it('lists the windows and how many were in profit', () => {
    expect(value('Walk-forward')).toBe(
      '1. 2024-01-01 to 2024-07-01: +3.00%, 4 trades, drawdown 2.00%\n' +
        '2. 2024-07-01 to 2025-01-01: -0.50%, 3 trades, drawdown 4.00%\n' +
        '1 of 2 windows in profit',
    );
  });

  it('says what did not run', () => {
    expect(value('Monte Carlo')).toBe('No trades to resample.');
    expect(value('Bias checks')).toBe(
      'Lookahead analysis: not run here (it needs the local engine).\nRecursive-indicator analysis: not run here (it needs the local engine).',
    );
  });

  it("flags a negative shift in the conditions as our code's finding, not Freqtrade's", () => {
    const flagged = robustnessCard('btc-sma', ['BTC/USDT'], {
      ...REPORT,
      negativeShifts: ['dataframe["close"].shift(-1)'],
    });
    expect(flagged.fields.find((f) => f.name.startsWith('Bias checks'))?.value).toContain(
      'BIASED, by our code\'s own check (not Freqtrade\'s): the entry or exit conditions read a later candle: dataframe["close"].shift(-1).',
    );
  });
});
