// Monte Carlo on a trade list: repeatable under a seed, brackets the actual order, and uses the two
// methods it says it uses (bootstrap for profit, reordering for drawdown).
import { describe, expect, it } from 'vitest';
import {
  DRAWDOWN_LIMIT_FACTOR,
  MIN_DRAWDOWN_LIMIT,
  MONTE_CARLO_RESAMPLES,
  MONTE_CARLO_SEED,
  pathFigures,
  percentile,
  runMonteCarlo,
} from '../../../src/backtest/robustness/monte-carlo.ts';
import { seededRandom } from '../../../src/backtest/robustness/prng.ts';

// 120 trades, deterministic, mostly small wins and some losses.
const random = seededRandom(7);
const trades = Array.from({ length: 120 }, (_, i) => ({
  closeTs: 1_700_000_000_000 + i * 3_600_000,
  profitAbs: Math.round((random() - 0.45) * 40 * 100) / 100,
}));

describe('runMonteCarlo', () => {
  it('gives identical figures under the same seed and different ones under another', () => {
    const a = runMonteCarlo(trades, 1000, { seed: 42 });
    const b = runMonteCarlo(trades, 1000, { seed: 42 });
    const c = runMonteCarlo(trades, 1000, { seed: 43 });
    expect(b.summary).toEqual(a.summary);
    expect(b.fan).toEqual(a.fan);
    expect(c.summary.profit).not.toEqual(a.summary.profit);
    expect(a.summary).toMatchObject({ seed: 42, resamples: 1000, trades: 120 });
  });

  it('brackets the actual final profit and drawdown between its 5th and 95th percentiles', () => {
    const { summary } = runMonteCarlo(trades, 1000);
    const actual = pathFigures(
      trades.map((t) => t.profitAbs),
      1000,
    );
    expect(summary.actual).toEqual(actual);
    expect(summary.profit.p5).toBeLessThan(actual.profit);
    expect(summary.profit.p95).toBeGreaterThan(actual.profit);
    expect(summary.drawdown.p5).toBeLessThanOrEqual(actual.drawdown);
    expect(summary.drawdown.p95).toBeGreaterThanOrEqual(actual.drawdown);
    expect(summary.profit.p5).toBeLessThan(summary.profit.p50);
    expect(summary.profit.p50).toBeLessThan(summary.profit.p95);
  });

  it('resamples profit with replacement: reordering alone would leave it unchanged', () => {
    const { summary } = runMonteCarlo(trades, 1000);
    expect(summary.profit.p95 - summary.profit.p5).toBeGreaterThan(0.05);
  });

  it('counts the chance of a drawdown worse than 1.5 times the actual one', () => {
    const { summary } = runMonteCarlo(trades, 1000);
    expect([DRAWDOWN_LIMIT_FACTOR, MIN_DRAWDOWN_LIMIT]).toEqual([1.5, 0.05]);
    expect(summary).toMatchObject({ seed: MONTE_CARLO_SEED, resamples: MONTE_CARLO_RESAMPLES });
    expect(MONTE_CARLO_RESAMPLES).toBe(1000);
    expect(summary.drawdownLimit).toBeCloseTo(Math.max(0.05, summary.actual.drawdown * 1.5));
    expect(summary.chanceWorse).toBeGreaterThanOrEqual(0);
    expect(summary.chanceWorse).toBeLessThan(0.5);
  });

  it('draws a fan from the starting balance whose bands are ordered', () => {
    const { fan, actualPath } = runMonteCarlo(trades, 1000);
    expect(fan[0]).toMatchObject({ step: 0, p5: 1000, p95: 1000 });
    expect(fan[fan.length - 1]?.step).toBe(120);
    for (const f of fan)
      expect(f.p5 <= f.p25 && f.p25 <= f.p50 && f.p50 <= f.p75 && f.p75 <= f.p95).toBe(true);
    expect(actualPath).toHaveLength(121);
  });

  it('copes with no trades', () => {
    const { summary } = runMonteCarlo([], 1000);
    expect(summary.profit).toEqual({ p5: 0, p50: 0, p95: 0 });
    expect(summary.chanceWorse).toBe(0);
  });
});

describe('percentile', () => {
  it('interpolates between neighbours', () => {
    expect(percentile([0, 10], 0.5)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2);
  });
});
