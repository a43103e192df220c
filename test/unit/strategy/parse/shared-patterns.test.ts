// The word patterns several readers share (patterns.ts): a moving average named with its period and an
// earlier candle's price, each written once. Where a reader's own copy used to be narrower, the shared one
// reads the wider form the same way everywhere.
import { describe, expect, it } from 'vitest';
import { averagesNamed } from '../../../../src/strategy/parse/patterns.ts';
import { parsed, refused } from '../../../support/parse.ts';

const close = { kind: 'price', field: 'close' };

describe('averages named with their period', () => {
  it('finds each, either way round, with its kind and period', () => {
    expect(averagesNamed('ema 9 over the 21 ema, 50-day sma, sma(200), 20 period wma, ma 7')).toEqual([
      { kind: 'ema', period: 9 },
      { kind: 'ema', period: 21 },
      { kind: 'sma', period: 50 },
      { kind: 'sma', period: 200 },
      { kind: 'wma', period: 20 },
      { kind: 'ma', period: 7 },
    ]);
  });

  it('reads a chain written with day averages as each step over the next', () => {
    const { spec } = parsed('eth 4h buy when price above 20-day sma above 50-day sma, sell when rsi > 75');
    expect(spec.entry).toEqual({
      all: [
        { op: 'above', left: close, right: { kind: 'sma', period: 20, source: 'close' } },
        {
          op: 'above',
          left: { kind: 'sma', period: 20, source: 'close' },
          right: { kind: 'sma', period: 50, source: 'close' },
        },
      ],
    });
  });

  it('does not backtrack over a run of spaces', () => {
    // A digit, then spaces, many times over: the bounded whitespace keeps this to one pass.
    expect(averagesNamed(`${'20 '.repeat(300)}x`)).toEqual([]);
    expect(averagesNamed(`${'ema'.padEnd(400, ' ')}20`)).toEqual([]);
  });
});

describe("an earlier candle's price", () => {
  it("reads a distance from yesterday's high on daily candles as the candle before's", () => {
    const { spec } = parsed("btc 1d buy when price is 2% above yesterday's high, sell when rsi > 70");
    expect(spec.entry).toEqual({
      all: [{ op: 'above', left: close, right: { kind: 'price', field: 'high', ago: 1 }, times: 1.02 }],
    });
  });

  it('reads a distance from the previous candle on any candles', () => {
    const { spec } = parsed("sol 15m buy when price is 1% below the prior bar's low, sell when rsi > 70");
    expect(spec.entry).toEqual({
      all: [{ op: 'below', left: close, right: { kind: 'price', field: 'low', ago: 1 }, times: 0.99 }],
    });
  });

  it("reads yesterday's high on hourly candles from the daily candles, not the hour before", () => {
    const { spec } = parsed("btc 1h buy when price breaks yesterday's high, sell when rsi > 70");
    expect(spec.entry).toEqual({
      all: [{ op: 'crosses_above', left: close, right: { kind: 'price', field: 'high', timeframe: '1d' } }],
    });
    // A distance from it is not read on the hour's candles: asked, never the hour before's high.
    refused("btc 1h buy when price is 2% above yesterday's high, sell when rsi > 70");
  });
});

describe('the distance written after the line', () => {
  it('reads "drops below the 20-day sma by 3%" with any average the shared pattern names', () => {
    const { spec } = parsed('btc 1h buy when price drops below the 20-day sma by 3%, sell when rsi > 70');
    expect(spec.entry).toEqual({
      all: [{ op: 'below', left: close, right: { kind: 'sma', period: 20, source: 'close' }, times: 0.97 }],
    });
  });
});
