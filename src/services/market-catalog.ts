// What the backtester can trade: pairs from the markets snapshot and which (pair, timeframe) files
// exist in the data folder. Checked before a backtest is queued so a bad pair is refused at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../errors.ts';

export type MarketCatalog = {
  pairs(): string[];
  hasData(pair: string, timeframe: string): boolean;
  /** Normalises "btc", "BTC/USDT", "btcusdt" to "BTC/USDT"; throws AppError('UNKNOWN_PAIR'). */
  resolvePair(input: string): string;
};

const MarketsSchema = z.record(z.string(), z.object({ symbol: z.string() }).loose());

export function createMarketCatalog(opts: {
  marketsPath: string;
  dataDir: string;
  quote: string;
}): MarketCatalog {
  if (!existsSync(opts.marketsPath)) {
    throw new AppError('CONFIG', 'The markets snapshot is missing. Run `npm run bootstrap`.', {
      detail: `markets snapshot not found at ${opts.marketsPath}`,
    });
  }
  const markets = MarketsSchema.parse(JSON.parse(readFileSync(opts.marketsPath, 'utf8')));
  const pairs = Object.keys(markets).sort();
  const files = new Set(existsSync(opts.dataDir) ? readdirSync(opts.dataDir) : []);
  const known = new Set(pairs);

  return {
    pairs: () => pairs,
    hasData: (pair, timeframe) => files.has(dataFileName(pair, timeframe)),
    resolvePair(input) {
      const raw = input.trim().toUpperCase().replace(/[-_]/g, '/');
      const candidates = raw.includes('/')
        ? [raw]
        : [
            `${raw}/${opts.quote}`,
            raw.endsWith(opts.quote) ? `${raw.slice(0, -opts.quote.length)}/${opts.quote}` : '',
          ];
      const hit = candidates.find((c) => known.has(c));
      if (hit) return hit;
      throw new AppError(
        'UNKNOWN_PAIR',
        `I don't know the pair "${input.trim()}". Available pairs: ${pairs.join(', ')}.`,
      );
    },
  };
}

/** Freqtrade's feather naming: BTC/USDT on 1h is BTC_USDT-1h.feather. */
function dataFileName(pair: string, timeframe: string): string {
  return `${pair.replace('/', '_')}-${timeframe}.feather`;
}
