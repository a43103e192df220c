// What the backtester can trade: pairs from the markets snapshot, which (pair, timeframe) files exist
// in the data folder, and the dates they cover (coverage.json, when the data came from our generator).
// Checked before a strategy is saved or a backtest queued, so a bad pair is refused at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';

export type Coverage = { first: Date; last: Date };

export type MarketCatalog = {
  pairs(): string[];
  hasData(pair: string, timeframe: string): boolean;
  /** Timeframes with data for the pair, shortest first. */
  timeframesFor(pair: string): string[];
  /** The candle dates on file, when known. */
  coverage(pair: string, timeframe: string): Coverage | undefined;
  /** Normalises "btc", "BTC/USDT", "btcusdt" to "BTC/USDT"; throws AppError('UNKNOWN_PAIR'). */
  resolvePair(input: string): string;
};

const MarketsSchema = z.record(z.string(), z.object({ symbol: z.string() }).loose());
const CoverageSchema = z.record(
  z.string(),
  z.record(z.string(), z.object({ first: z.iso.datetime(), last: z.iso.datetime() })),
);

const TF_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };
function minutes(tf: string): number {
  const m = /^(\d+)([mhdw])$/.exec(tf);
  return m?.[1] && m[2] ? Number(m[1]) * (TF_MINUTES[m[2]] ?? 0) : Number.MAX_SAFE_INTEGER;
}

/** Freqtrade's feather naming: BTC/USDT on 1h is BTC_USDT-1h.feather. */
function dataFileName(pair: string, timeframe: string): string {
  return `${pair.replace('/', '_')}-${timeframe}.feather`;
}

function readCoverage(dataDir: string): z.infer<typeof CoverageSchema> {
  const file = path.join(dataDir, 'coverage.json');
  if (!existsSync(file)) return {};
  const parsed = CoverageSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : {};
}

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
  const files = existsSync(opts.dataDir) ? readdirSync(opts.dataDir) : [];
  const fileSet = new Set(files);
  const known = new Set(pairs);
  const coverage = readCoverage(opts.dataDir);

  return {
    pairs: () => pairs,
    hasData: (pair, timeframe) => fileSet.has(dataFileName(pair, timeframe)),
    timeframesFor(pair) {
      const prefix = `${pair.replace('/', '_')}-`;
      return files
        .filter((f) => f.startsWith(prefix) && f.endsWith('.feather'))
        .map((f) => f.slice(prefix.length, -'.feather'.length))
        .sort((a, b) => minutes(a) - minutes(b));
    },
    coverage(pair, timeframe) {
      const c = coverage[pair]?.[timeframe];
      return c ? { first: new Date(c.first), last: new Date(c.last) } : undefined;
    },
    resolvePair(input) {
      const raw = input.trim().toUpperCase().replace(/^\$/, '').replace(/[-_:]/g, '/');
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

/**
 * Resolves the pairs and checks each has candles on the timeframe; throws AppError('UNKNOWN_PAIR' or
 * 'NO_DATA') with a sentence listing what is available.
 */
export function requireData(catalog: MarketCatalog, pairs: string[], timeframe: string): string[] {
  const resolved = [...new Set(pairs.map((p) => catalog.resolvePair(p)))];
  const missing = resolved.filter((p) => !catalog.hasData(p, timeframe));
  const [first] = missing;
  if (first !== undefined) {
    const available = catalog.timeframesFor(first);
    const hint =
      available.length > 0
        ? `Timeframes with data for ${first}: ${available.join(', ')}.`
        : `Pairs with ${timeframe} data: ${
            catalog
              .pairs()
              .filter((p) => catalog.hasData(p, timeframe))
              .join(', ') || 'none'
          }.`;
    throw new AppError('NO_DATA', `There is no ${timeframe} market data for ${missing.join(', ')}. ${hint}`);
  }
  return resolved;
}

/** Refuses a range that has no candles at all for a pair, when the data's coverage is known. */
export function requireOverlap(
  catalog: MarketCatalog,
  pairs: string[],
  timeframe: string,
  range: { start: Date; end: Date; text: string },
): void {
  for (const pair of pairs) {
    const c = catalog.coverage(pair, timeframe);
    if (c && (range.end <= c.first || range.start > c.last)) {
      const day = (d: Date) => d.toISOString().slice(0, 10);
      throw new AppError(
        'NO_DATA',
        `There are no ${pair} ${timeframe} candles in ${range.text}. The data covers ${day(c.first)} to ${day(c.last)}; pick dates in between.`,
      );
    }
  }
}

/**
 * The day by which every pair has candles on the timeframe (the latest first candle), when the coverage
 * is known. Not every timeframe starts where the data does: 1m and 3m cover only its last 90 days.
 */
export function dataStart(catalog: MarketCatalog, pairs: string[], timeframe: string): Date | undefined {
  let latest: number | undefined;
  for (const pair of pairs) {
    const c = catalog.coverage(pair, timeframe);
    if (!c) return undefined;
    latest = Math.max(latest ?? 0, c.first.getTime());
  }
  return latest === undefined ? undefined : new Date(latest);
}
