// How big a hyperopt search is: the candles each epoch backtests, and the time it may need. The runners
// size an optimisation's wall clock from it (freqtrade/runner.ts), the form refuses a search that would
// need more than an optimisation may take, and the engine's one-shot command counts the same way
// (freqtrade/engine/gentrade_engine/hyperopt/run.py).

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/** Candles one epoch backtests: the pairs times the candles of the training range (0 when unreadable). */
export function searchCandles(req: Omit<SearchSize, 'epochs'>): number {
  const range = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/.exec(req.timerange);
  const tf = /^(\d+)([mhdw])$/.exec(req.timeframe);
  if (!range || !tf) return 0;
  const at = (y?: string, m?: string, d?: string) => Date.UTC(Number(y), Number(m) - 1, Number(d));
  const minutes = (at(range[4], range[5], range[6]) - at(range[1], range[2], range[3])) / 60_000;
  const candle = Number(tf[1]) * (UNIT_MINUTES[tf[2] ?? 'm'] ?? 1);
  return Number.isFinite(minutes) && minutes > 0 ? Math.ceil(minutes / candle) * req.pairs.length : 0;
}

/** The longest an optimisation may run: a search that would need more is refused before it is queued. */
export const MAX_OPTIMISE_SECONDS = 6 * 3600;

/** What sizes a search: its epochs, the training range, the candle size and the pairs. */
export type SearchSize = { epochs: number; timerange: string; timeframe: string; pairs: readonly string[] };

/**
 * What a search needs, in seconds: 120 to start and finish, and per epoch 3 s up to 30,000 candles,
 * then 1 s per 10,000 (about four times what an epoch takes on a quiet 2-core machine).
 */
export const searchSeconds = (req: SearchSize): number =>
  120 + req.epochs * Math.max(3, searchCandles(req) / 10_000);
