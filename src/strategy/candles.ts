// The candle vocabulary of the spec language: the columns a series reads and the timeframes GenTrade
// backtests.

/** Candle columns a series can read directly. */
export const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Candle sizes GenTrade backtests; weekly and monthly candles are left out on purpose (too few trades). */
export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] as const;

export type Timeframe = (typeof TIMEFRAMES)[number];

const TIMEFRAME_MINUTES: Readonly<Record<Timeframe, number>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '2h': 120,
  '4h': 240,
  '6h': 360,
  '12h': 720,
  '1d': 1440,
};

/** Minutes per candle of a timeframe. */
export function timeframeMinutes(timeframe: Timeframe): number {
  return TIMEFRAME_MINUTES[timeframe];
}
