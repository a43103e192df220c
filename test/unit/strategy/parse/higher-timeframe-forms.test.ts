// A higher timeframe as traders write it in passing: after a comparison ("1h close > 4h ema 50"), after the
// filter it names ("ema 200 filter on daily"), without a verb ("when daily below ema 100"), said twice
// ("daily close above daily ema 50"), and on a short-only strategy's side. Also a level reached after a
// Stochastic ("sell at stoch 80").
import { describe, expect, it } from 'vitest';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed, refused } from '../../../support/parse.ts';

const close = { kind: 'price', field: 'close' };
const closeOn = (timeframe: string) => ({ ...close, timeframe });

describe('a higher timeframe named in passing', () => {
  it('reads a timeframe after a comparison as the series', () => {
    const { spec } = parsed('buy bnb when 1h close > 4h ema 50');
    expect(spec.timeframe).toBe('1h');
    expect(spec.informative?.timeframe).toBe('4h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'ema', period: 50, source: 'close', timeframe: '4h' } },
    ]);
    // A level after a comparison stays a level.
    expect(conditionsIn(parsed('eth 15m buy when rsi < 30').spec.entry)).toEqual([
      { op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 },
    ]);
  });

  it.each([
    ['bnb long only, ema 200 filter on daily, enter on 1h macd cross up', 'ema', 200],
    ['sma 200 filter daily, 1h macd cross up for btc', 'sma', 200],
    ['btc 15m rsi < 30 buy, ema 50 trend filter on the 4h', 'ema', 50],
  ])('%j reads the filter on the higher timeframe', (text, kind, period) => {
    const { spec } = parsed(text);
    expect(spec.informative?.timeframe).toBe(text.includes('4h') ? '4h' : '1d');
    expect(conditionsIn(spec.entry)).toContainEqual(
      expect.objectContaining({ op: 'above', right: expect.objectContaining({ kind, period }) }),
    );
  });

  it('reads the higher close with the timeframe said again before its average', () => {
    const { spec } = parsed(
      'btc on the 4h: buy when stoch crosses up below 20 but only if daily close is above daily ema 50. sell at stoch 80. sl 6%',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: closeOn('1d'),
      right: { kind: 'ema', period: 50, source: 'close', timeframe: '1d' },
    });
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'above', left: { kind: 'stochastic', k: 14, d: 3, smooth: 3, output: 'k' }, right: 80 },
    ]);
  });

  it.each([
    ['i want to short bitcoin on 4h when daily is below 200 sma and 4h rsi > 60. futures', 'sma', 200, 60],
    ['ripple short on 4h rsi > 65 when daily below ema 100, perps', 'ema', 100, 65],
  ])('%j puts the higher close on the short side of a short-only strategy', (text, kind, period, level) => {
    const { spec } = parsed(text);
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: level },
      { op: 'below', left: closeOn('1d'), right: { kind, period, source: 'close', timeframe: '1d' } },
    ]);
  });

  it('asks when a short clause names a higher close beside a long', () => {
    expect(refused('buy btc 1h rsi < 30, short when rsi > 70 and the daily is below the 200 sma')).toMatch(
      /more than one timeframe/,
    );
  });
});
