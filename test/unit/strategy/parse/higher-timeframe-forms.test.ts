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

describe('below a line, then back above it', () => {
  it.each([
    ['CCI below -100 then back above = buy, eth 30m', { kind: 'cci', period: 20 }, -100],
    [
      'buy when rsi dips below 30 and then comes back above 30, sell over 70, eth 1h',
      { kind: 'rsi', period: 14 },
      30,
    ],
    ['eth 1h buy when rsi is under 25, then back over it', { kind: 'rsi', period: 14 }, 25],
  ])('%j is the cross back over the line', (text, left, level) => {
    expect(conditionsIn(parsed(text).spec.entry)).toEqual([{ op: 'crosses_above', left, right: level }]);
  });

  it('reads the cross back under a line on a short', () => {
    const { spec } = parsed('btc perps 1h short when rsi goes above 70 then back below, cover at 50');
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'crosses_below', left: { kind: 'rsi', period: 14 }, right: 70 },
    ]);
  });

  it.each([
    'price dips below the 20 ema and closes back above the 50 ema, btc 1h',
    'rsi drops under 30 then gets back over 35, eth 1h',
  ])('%j, back over another line, is asked about', (text) => {
    expect(refused(text)).toMatch(/as one candle/);
  });

  it('leaves an exit clause\'s "back over" to the exit', () => {
    const { spec } = parsed(
      'buys eth when rsi(14) dips under 25 on the 1h and sells when it gets back over 60',
    );
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'crosses_above', left: { kind: 'rsi', period: 14 }, right: 60 },
    ]);
  });
});

describe('a higher chart named again beside its series', () => {
  it('reads "the 4 hour chart agrees, meaning price above the 4h 200 ema" as that one filter', () => {
    const { spec } = parsed(
      'I want to buy ether on the hourly but only when the 4 hour chart agrees, meaning price above the 4h 200 ema. Entry on the hourly is RSI crossing up through 35, exit at RSI 65.',
    );
    expect(spec.timeframe).toBe('1h');
    expect(spec.informative?.timeframe).toBe('4h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'ema', period: 200, source: 'close', timeframe: '4h' } },
      { op: 'crosses_above', left: { kind: 'rsi', period: 14 }, right: 35 },
    ]);
  });
});
