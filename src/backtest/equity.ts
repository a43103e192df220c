// A backtest's equity curve as stored with it, computed from Freqtrade's trades by freqtrade/ and
// drawn by the chart renderer; /compare reads stored copies in any process (the result file stays on
// the worker's disk). Shared vocabulary, like the summary.
import { z } from 'zod';

const EquityPointSchema = z.object({
  /** ms since epoch, UTC */
  t: z.number(),
  /** equity in stake currency at `t` */
  equity: z.number(),
  /** Fraction below the running peak of equity, zero or negative (-0.05 = 5 % below the peak). */
  drawdown: z.number(),
  /** Fraction gained from the starting balance (0.05 = +5 %). */
  returnRatio: z.number(),
});
export type EquityPoint = z.infer<typeof EquityPointSchema>;

/**
 * The curve as stored with a backtest, so /compare can draw it in any process (the result file stays
 * on the worker's disk). Parse stored copies with this schema.
 */
export const EquitySeriesSchema = z.object({
  stakeCurrency: z.string(),
  /** Decimals Freqtrade shows for the stake currency (2 for USDT, 8 for BTC). */
  stakeDecimals: z.number().int(),
  startingBalance: z.number(),
  start: z.number(),
  end: z.number(),
  trades: z.number().int(),
  profitTotal: z.number(),
  profitTotalAbs: z.number(),
  points: z.array(EquityPointSchema),
});
export type EquitySeries = z.infer<typeof EquitySeriesSchema>;

/**
 * A series as the backtest record stores it: one JSON string. The embedded FerretDB (SQLite) keeps a
 * type entry for every element of an array of objects and decodes each element whenever a query
 * scans the collection, so a curve of objects made every backtest record several times larger and
 * slower to read; a string is one entry and reads as fast as its bytes.
 */
export function storedEquity(series: EquitySeries | null): string | null {
  return series === null ? null : JSON.stringify(series);
}

/** A stored series, as written by {@link storedEquity} or (records written before) as an object. */
export const StoredEquitySchema = z.preprocess((raw) => {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // fails the schema below, reported like any unreadable copy
  }
}, EquitySeriesSchema);
