// The wall clock an optimisation gets grows with its epochs and with the candles each epoch backtests,
// counted as the engine's one-shot command counts them (freqtrade/engine/gentrade_engine/hyperopt/run.py).
import { describe, expect, it } from 'vitest';
import { optimiseSeconds } from '../../../freqtrade/runner.ts';
import { searchCandles } from '../../../src/backtest/search-size.ts';

const small = { epochs: 500, timerange: '20240101-20240301', timeframe: '1h', pairs: ['BTC/USDT'] };

describe('an optimisation time limit', () => {
  it('gives 3 s an epoch to a small search, never less than a backtest gets', () => {
    expect(searchCandles(small)).toBe(60 * 24);
    expect(optimiseSeconds(900_000, small)).toBe(120 + 3 * 500);
    expect(optimiseSeconds(900_000, { ...small, epochs: 10 })).toBe(900);
  });

  it('gives a search over many candles 1 s an epoch per 10,000 of them', () => {
    const big = { ...small, timerange: '20240101-20250101', timeframe: '5m', pairs: ['A', 'B', 'C'] };
    expect(searchCandles(big)).toBe(3 * 366 * 288);
    expect(optimiseSeconds(900_000, big)).toBeCloseTo(120 + (500 * 3 * 366 * 288) / 10_000);
    expect(searchCandles({ ...small, timerange: 'soon' })).toBe(0);
  });
});

describe('the ceiling', () => {
  it('never gives a search more than 6 hours', () => {
    const huge = { epochs: 500, timerange: '20230101-20250101', timeframe: '1m', pairs: ['A', 'B'] };
    expect(optimiseSeconds(900_000, huge)).toBe(6 * 3600);
  });
});
