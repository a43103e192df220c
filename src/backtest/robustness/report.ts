// The robustness report as GenTrade stores and shows it: Freqtrade's own figures for the full range
// and its two parts, and what our code computed on Freqtrade's trade list (walk-forward windows,
// Monte Carlo, the verdict). Shared vocabulary, like the backtest summary; parse stored copies with
// the schema.
import { z } from 'zod';
import { BacktestSummarySchema } from '../summary.ts';

/** One closed trade as Freqtrade recorded it: close time (ms, UTC) and profit in the stake currency. */
export type TradeOutcome = { closeTs: number; profitAbs: number };

const Percentiles = z.object({ p5: z.number(), p50: z.number(), p95: z.number() });
export type PercentileSet = z.infer<typeof Percentiles>;

export const WindowStatsSchema = z.object({
  /** ms since epoch, UTC; the window holds trades closing in [start, end). */
  start: z.number(),
  end: z.number(),
  trades: z.number().int(),
  profitAbs: z.number(),
  /** Profit over the balance at the window's start (0.05 = +5 %). */
  profit: z.number(),
  /** Deepest fall from the running peak inside the window, as a positive fraction (0.1 = 10 %). */
  maxDrawdown: z.number(),
});
export type WindowStats = z.infer<typeof WindowStatsSchema>;

export const MonteCarloSchema = z.object({
  seed: z.number().int(),
  resamples: z.number().int(),
  trades: z.number().int(),
  /** Final profit over the starting balance, from resampling the trades with replacement. */
  profit: Percentiles,
  /** Maximum drawdown (positive fraction), from reordering the same trades. */
  drawdown: Percentiles,
  /** X in "the chance of a drawdown worse than X", and that chance (0..1) over the reorderings. */
  drawdownLimit: z.number(),
  chanceWorse: z.number(),
  /** The actual order's final profit and maximum drawdown, computed the same way. */
  actual: z.object({ profit: z.number(), drawdown: z.number() }),
});
export type MonteCarlo = z.infer<typeof MonteCarloSchema>;

/** Freqtrade's lookahead analysis of the strategy, as the engine answered it (freqtrade/engine README). */
export const LookaheadCheckSchema = z.object({
  /** False when Freqtrade had too few signals to check, or the analysis could not run. */
  checked: z.boolean(),
  biased: z.boolean(),
  /** Freqtrade's finding in words, from the engine. */
  sentence: z.string(),
  /** The range it was run on (YYYYMMDD-YYYYMMDD). */
  timerange: z.string(),
  /** Freqtrade's recursive-indicator analysis on the same range (absent in older reports). */
  recursive: z.object({ checked: z.boolean(), varies: z.boolean(), sentence: z.string() }).optional(),
});
export type LookaheadCheck = z.infer<typeof LookaheadCheckSchema>;

export const VERDICTS = ['robust', 'fragile', 'likely overfit'] as const;
export type VerdictWord = (typeof VERDICTS)[number];

export const RobustnessReportSchema = z.object({
  timerange: z.string(),
  /** Share of the days in sample (0.7). */
  inSampleShare: z.number(),
  split: z.object({ inSample: z.string(), outOfSample: z.string() }),
  /** Freqtrade's summaries of the three runs. */
  full: BacktestSummarySchema,
  inSample: BacktestSummarySchema,
  outOfSample: BacktestSummarySchema,
  /** Out-of-sample profit per 30 days as a share of the in-sample rate (null: no in-sample profit). */
  outOfSampleKept: z.number().nullable(),
  walkForward: z.object({ windows: z.array(WindowStatsSchema), positive: z.number().int() }),
  monteCarlo: MonteCarloSchema.nullable(),
  /** Null where no engine runs the analysis here (the Docker runner). */
  lookahead: LookaheadCheckSchema.nullable(),
  /** Our own check: negative shifts written in the entry/exit conditions (absent in older reports). */
  negativeShifts: z.array(z.string()).optional(),
  verdict: z.object({ word: z.enum(VERDICTS), reasons: z.array(z.string()) }),
});
export type RobustnessReport = z.infer<typeof RobustnessReportSchema>;
