// Monte Carlo on Freqtrade's trade list, in our code, seeded so it repeats exactly. Reordering the
// same trades never changes the final profit (a sum is a sum), so the two questions use two methods:
// - final profit: resample the trades with replacement (a bootstrap), as if another draw of trades
//   like these had come;
// - maximum drawdown: shuffle the order of the very same trades, as if they had come in another order.
// Equity is the starting balance plus the trades' profit in the stake currency, as Freqtrade recorded it.
import { randomIndex, seededRandom } from './prng.ts';
import type { MonteCarlo, PercentileSet, TradeOutcome } from './report.ts';

export const MONTE_CARLO_RESAMPLES = 1000;
export const MONTE_CARLO_SEED = 20_240_601;
/** X in "the chance of a drawdown worse than X" is this many times the actual maximum drawdown... */
export const DRAWDOWN_LIMIT_FACTOR = 1.5;
/** ...and never less than this (a strategy that never fell far still gets a meaningful X). */
export const MIN_DRAWDOWN_LIMIT = 0.05;
/** Equity paths kept for the chart's fan, each at most this many points. */
const FAN_POINTS = 120;

/** The value below which `q` (0..1) of the sorted values lie, interpolated between neighbours. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (at - lo);
}

function percentiles(values: number[]): PercentileSet {
  const sorted = [...values].sort((a, b) => a - b);
  return { p5: percentile(sorted, 0.05), p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

/** Final profit (over the balance) and maximum drawdown (positive fraction) of one order of profits. */
export function pathFigures(profits: ArrayLike<number>, startingBalance: number) {
  let equity = startingBalance;
  let peak = startingBalance;
  let deepest = 0;
  for (let i = 0; i < profits.length; i++) {
    equity += profits[i] ?? 0;
    peak = Math.max(peak, equity);
    if (peak > 0) deepest = Math.max(deepest, (peak - equity) / peak);
  }
  return { profit: (equity - startingBalance) / startingBalance, drawdown: deepest };
}

/** The percentile bands of the bootstrap's equity paths, trade by trade, for the chart. */
export type MonteCarloFan = {
  step: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}[];

export type MonteCarloRun = { summary: MonteCarlo; fan: MonteCarloFan; actualPath: number[] };

export function runMonteCarlo(
  trades: readonly TradeOutcome[],
  startingBalance: number,
  opts: { seed?: number; resamples?: number } = {},
): MonteCarloRun {
  const seed = opts.seed ?? MONTE_CARLO_SEED;
  const resamples = opts.resamples ?? MONTE_CARLO_RESAMPLES;
  const random = seededRandom(seed);
  const profits = [...trades].sort((a, b) => a.closeTs - b.closeTs).map((t) => t.profitAbs);
  const n = profits.length;
  const actual = pathFigures(profits, startingBalance);
  const limit = Math.max(actual.drawdown * DRAWDOWN_LIMIT_FACTOR, MIN_DRAWDOWN_LIMIT);

  // Bootstrap: n draws with replacement per resample; the paths are kept at FAN_POINTS steps.
  const stride = Math.max(1, Math.ceil(n / FAN_POINTS));
  const steps = n === 0 ? [0] : [...Array.from({ length: Math.ceil(n / stride) }, (_, i) => i * stride), n];
  const atStep: number[][] = steps.map(() => []);
  const finals: number[] = [];
  const sample = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    let equity = startingBalance;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      if (steps[s] === i) atStep[s++]?.push(equity);
      if (i < n) {
        sample[i] = profits[randomIndex(random, n)] ?? 0;
        equity += sample[i] ?? 0;
      }
    }
    finals.push((equity - startingBalance) / startingBalance);
  }

  // Reordering: a Fisher-Yates shuffle of the same trades per resample.
  const order = Float64Array.from(profits);
  const drawdowns: number[] = [];
  let worse = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = n - 1; i > 0; i--) {
      const j = randomIndex(random, i + 1);
      const tmp = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = tmp;
    }
    const { drawdown } = pathFigures(order, startingBalance);
    drawdowns.push(drawdown);
    if (drawdown > limit) worse += 1;
  }

  const fan = steps.map((step, i) => {
    const sorted = (atStep[i] ?? []).sort((a, b) => a - b);
    const q = (p: number) => percentile(sorted, p);
    return { step, p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) };
  });
  const actualPath = [startingBalance];
  for (const p of profits) actualPath.push((actualPath[actualPath.length - 1] ?? startingBalance) + p);

  return {
    summary: {
      seed,
      resamples,
      trades: n,
      profit: percentiles(finals),
      drawdown: percentiles(drawdowns),
      drawdownLimit: limit,
      chanceWorse: resamples > 0 ? worse / resamples : 0,
      actual,
    },
    fan,
    actualPath,
  };
}
