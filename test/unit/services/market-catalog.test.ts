// The catalog on the bootstrap's generated data: every timeframe it lists, the dates each covers (1m and 3m
// only the last 90 days, weeks from the first Monday), and the NO_DATA sentences built from them.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { AppError } from '../../../src/errors.ts';
import {
  createMarketCatalog,
  dataStart,
  requireData,
  requireOverlap,
} from '../../../src/services/market-catalog.ts';
import { parseTimerange } from '../../../src/services/timerange.ts';

const ft = loadConfig({}).freqtrade;
if (!ft.marketsPath || !ft.marketDataDir) throw new Error('run node scripts/bootstrap.mjs first');
const catalog = createMarketCatalog({
  marketsPath: ft.marketsPath,
  dataDir: ft.marketDataDir,
  quote: 'USDT',
});

const ALL = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w'];

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.userMessage };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('market catalog on the generated data', () => {
  it('lists every generated timeframe, shortest first', () => {
    for (const pair of catalog.pairs()) expect(catalog.timeframesFor(pair)).toEqual(ALL);
  });

  it('knows 1m and 3m cover only the last 90 days, and weeks start on a Monday', () => {
    const iso = (tf: string) => {
      const c = catalog.coverage('BTC/USDT', tf);
      return c && [c.first.toISOString(), c.last.toISOString()];
    };
    expect(iso('1m')).toEqual(['2025-10-03T00:00:00.000Z', '2025-12-31T23:59:00.000Z']);
    expect(iso('3m')).toEqual(['2025-10-03T00:00:00.000Z', '2025-12-31T23:57:00.000Z']);
    expect(iso('30m')).toEqual(['2023-01-01T00:00:00.000Z', '2025-12-31T23:30:00.000Z']);
    expect(iso('1w')).toEqual(['2023-01-02T00:00:00.000Z', '2025-12-22T00:00:00.000Z']);
    expect(dataStart(catalog, ['BTC/USDT', 'ETH/USDT'], '1m')?.toISOString()).toBe(
      '2025-10-03T00:00:00.000Z',
    );
    expect(dataStart(catalog, ['BTC/USDT'], '1h')?.toISOString()).toBe('2023-01-01T00:00:00.000Z');
  });

  it('refuses 1m dates before the candles, naming the ones that exist', () => {
    const range = parseTimerange('20250101-20250701');
    expect(refusal(() => requireOverlap(catalog, ['BTC/USDT'], '1m', range))).toEqual({
      code: 'NO_DATA',
      message:
        'There are no BTC/USDT 1m candles in 20250101-20250701. The data covers 2025-10-03 to 2025-12-31; pick dates in between.',
    });
    // The same dates on 1h have candles.
    expect(() => requireOverlap(catalog, ['BTC/USDT'], '1h', range)).not.toThrow();
  });

  it('refuses a timeframe with no file, listing the ones there are', () => {
    expect(refusal(() => requireData(catalog, ['BTC/USDT'], '1M'))).toEqual({
      code: 'NO_DATA',
      message: `There is no 1M market data for BTC/USDT. Timeframes with data for BTC/USDT: ${ALL.join(', ')}.`,
    });
  });
});
