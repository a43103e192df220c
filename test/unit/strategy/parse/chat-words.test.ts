// Words traders use in chat for things the spec already has: "rsi is low/high", "stoch xover", "sell signal
// when ...", the MACD histogram named alone, a bare stop before an indicator ("sl 2 rsi 14"), and ATR stops
// written "atr 2x stop", "stop at entry minus 2 atr", or as a trailing stop named first with its multiple after.
import { describe, expect, it } from 'vitest';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed } from '../../../support/parse.ts';

const rsi = { kind: 'rsi', period: 14 };
const macd = (output: string) => ({ kind: 'macd', fast: 12, slow: 26, signal: 9, output });
const stoch = (output: string) => ({ kind: 'stochastic', k: 14, d: 3, smooth: 3, output });

describe('chat words for what the spec has', () => {
  it('reads "rsi is low" and "rsi high" as oversold and overbought, said back', () => {
    const result = parsed('Plz make bot buy solana when rsi is low and sell when rsi high. 4 hours');
    expect(conditionsIn(result.spec.entry)).toEqual([{ op: 'below', left: rsi, right: 30 }]);
    expect(conditionsIn(result.spec.exit)).toEqual([{ op: 'above', left: rsi, right: 70 }]);
    expect(result.assumptions.join(' ')).toMatch(/below 30 \(oversold\)/);
  });

  it('reads "rsi higher than 60" as a comparison still', () => {
    expect(conditionsIn(parsed('eth 1h buy when rsi higher than 60').spec.entry)).toEqual([
      { op: 'above', left: rsi, right: 60 },
    ]);
  });

  it('reads the MACD histogram named alone as its zero cross, said back', () => {
    const result = parsed('sol macd histogram 4h, tp 7%');
    expect(conditionsIn(result.spec.entry)).toEqual([
      { op: 'crosses_above', left: macd('histogram'), right: 0 },
    ]);
    expect(result.assumptions.join(' ')).toMatch(/MACD histogram named alone/);
  });

  it('reads "sell signal when" as when to sell, not the signal line', () => {
    const { spec } = parsed('sell signal when macd crosses below zero, buy when above zero, bitcoin 12h');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'crosses_below', left: macd('line'), right: 0 }]);
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'above', left: macd('line'), right: 0 }]);
  });

  it('reads "stoch xover" as %K crossing %D', () => {
    const { spec } = parsed('15m stoch xover on eth, only if price > vwap');
    expect(conditionsIn(spec.entry)[0]).toEqual({ op: 'crosses_above', left: stoch('k'), right: stoch('d') });
  });

  it('reads a bare stop before an indicator as a percentage', () => {
    const { spec } = parsed('tp 4 sl 2 rsi 14 btc 4h');
    expect(spec.stoploss).toBe(-0.02);
    expect(spec.minimalRoi).toEqual({ '0': 0.04 });
  });
});

describe('ATR stops as written', () => {
  it.each([
    ['donchian 20 breakout with atr 2x stop, eth 4h, long only', { period: 14, multiplier: 2 }],
    ['go long eth when close > ema 20, stop at entry minus 1.5 atr, 1h', { period: 14, multiplier: 1.5 }],
    ['atr-based: go long eth when close > ema 20, sl = entry - 3 atr, 1h', { period: 14, multiplier: 3 }],
    [
      'atr trailing stop strategy on eth 4h, enter on ema 20/50 cross, stop 2.5x ATR',
      { period: 14, multiplier: 2.5, trailing: true },
    ],
  ])('%j', (text, atrStop) => {
    expect(parsed(text).spec.atrStop).toEqual(atrStop);
  });
});

describe('a take-profit in words', () => {
  it.each([
    ['buys bitcoin after it drops 5% in a day and sells when it recovers 3%', 0.03],
    ['btc 1h rsi < 30 buy, sell 4% higher', 0.04],
    ['eth 1h rsi < 30 buy, sell at 10% profit', 0.1],
    ['eth 1h rsi < 30 buy, exit 2.5% above entry', 0.025],
  ])('%j', (text, roi) => {
    expect(parsed(text).spec.minimalRoi).toEqual({ '0': roi });
  });

  it('says back a take-profit, not an exit at once, for a touch of a line', () => {
    const result = parsed('btc 1h: buy when price touches the 1d ema 20');
    expect(conditionsIn(result.spec.exit)).toEqual([]);
    expect(result.spec.minimalRoi).toEqual({ '0': 0.05 });
    // A band has another side: the touch of the lower band still exits at the upper one, when said.
    expect(
      conditionsIn(
        parsed('eth 1h buy when price touches the lower bollinger band, sell at the upper band').spec.exit,
      ),
    ).toHaveLength(1);
  });
});

describe('indicators named with their usual reading', () => {
  const band = (output: string, stddev = 2) => ({ kind: 'bollinger', period: 20, stddev, output });
  const close = { kind: 'price', field: 'close' };

  it.each([
    ['mean reversion on xrp 5m w/ bb 20', 2],
    ['eth 1h bollinger(20, 2.5) strategy', 2.5],
  ])('%j reads the bands with their settings as mean reversion', (text, stddev) => {
    const { spec } = parsed(text);
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: close, right: band('lower', stddev) }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: close, right: band('upper', stddev) }]);
  });

  it.each([
    ['rsi + bb + macd triple confluence eth 15m', 3],
    ['mean reverison btc 15m bb+rsi, max 1 trade', 2],
    ['stoch + rsi oversold double on btc 30m, take profit 2%', 2],
  ])('%j is a combination, each read the usual way', (text, count) => {
    const result = parsed(text);
    expect(conditionsIn(result.spec.entry)).toHaveLength(count);
    expect(result.assumptions.join(' ')).toMatch(/Named together with no rule for each/);
  });

  it('asks when the bands are named with two different settings', () => {
    expect(() => parsed('bb 20 and bb 50 strategy on eth 1h')).toThrow();
  });
});

describe('levels and sides in shorthand', () => {
  it.each([
    ['long sol on rsi 30 cross up, trade 15m', { op: 'crosses_above', left: rsi, right: 30 }],
    ['sma 200 filter daily, 1h rsi 30 buy for btc', { op: 'below', left: rsi, right: 30 }],
    [
      'cci -200 extreme buy on btc 4h, exit at 0',
      { op: 'below', left: { kind: 'cci', period: 20 }, right: -200 },
    ],
  ])('%j reads the number as the level', (text, condition) => {
    expect(conditionsIn(parsed(text).spec.entry)).toContainEqual(condition);
  });

  it.each([
    ['btc 2h cci 50 cross above 0', { op: 'crosses_above', left: { kind: 'cci', period: 50 }, right: 0 }],
    ['rsi 14 cross up 30 eth 1h', { op: 'crosses_above', left: rsi, right: 30 }],
  ])('%j keeps a window where one is usual', (text, condition) => {
    expect(conditionsIn(parsed(text).spec.entry)).toEqual([condition]);
  });

  it('reads "macd zero cross long short" both ways on the zero line', () => {
    const { spec } = parsed('macd zero cross long short on bnb perps 4h, max 1');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'crosses_above', left: macd('line'), right: 0 }]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'crosses_below', left: macd('line'), right: 0 },
    ]);
  });

  it.each([
    'stop 2%, trailing, entries on ema 12/26 crossover, bnb 30m',
    'sma 20/50 cross btc 1h stop 2% trail',
  ])('%j is a trailing stop of 2%', (text) => {
    const { spec } = parsed(text);
    expect(spec.stoploss).toBe(-0.02);
    expect(spec.trailingStop).toBeDefined();
  });

  it('buys on the mirror level when only an oscillator exit is given, said back', () => {
    const result = parsed('scalping btc with stochastic 5 3 3 on 1m, exit at 80');
    const k = { kind: 'stochastic', k: 5, d: 3, smooth: 3, output: 'k' };
    expect(conditionsIn(result.spec.entry)).toEqual([{ op: 'below', left: k, right: 20 }]);
    expect(result.assumptions.join(' ')).toMatch(/No entry given: buy on the mirror level/);
  });
});

describe('averages chained and combinations with a style', () => {
  const ema = (period: number) => ({ kind: 'ema', period, source: 'close' });

  it.each([
    'trend strat sol: ema 20 > ema 50 > ema 100 then buy. 4h. trailing 5%',
    'sol 4h buy when 20 ema above 50 ema above 100 ema',
  ])('%j reads each average above the next', (text) => {
    expect(conditionsIn(parsed(text).spec.entry)).toEqual([
      { op: 'above', left: ema(20), right: ema(50) },
      { op: 'above', left: ema(50), right: ema(100) },
    ]);
  });

  it('reads "trend filter + rsi 2" as the filter and the oscillator\'s zones', () => {
    const { spec } = parsed('wma 50 trend filter + rsi 2 for xrp 1h');
    expect(conditionsIn(spec.entry)).toEqual([
      {
        op: 'above',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'wma', period: 50, source: 'close' },
      },
      { op: 'below', left: { kind: 'rsi', period: 2 }, right: 30 },
    ]);
  });

  it('reads a Bollinger breakout beside ADX as a close over the upper band, out under the middle', () => {
    const band = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });
    const { spec } = parsed('ETH 4H ADX TREND + BB BREAKOUT, TP 8%');
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: band('upper'),
    });
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'below', left: { kind: 'price', field: 'close' }, right: band('middle') },
    ]);
  });

  it('asks when a breakout is named beside an oscillator that reverts', () => {
    expect(() => parsed('rsi + bb breakout eth 4h')).toThrow();
  });
});

describe('setups said in passing', () => {
  const band = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });
  const close = { kind: 'price', field: 'close' };

  it('reads "the bands are tight and price closes above the upper band" as the squeeze breakout', () => {
    const { spec } = parsed(
      'eth 4h: when the bollinger bands get really narrow and price breaks out above the upper band, buy',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'falling', left: band('width'), candles: 20 },
      { op: 'crosses_above', left: close, right: band('upper') },
    ]);
  });

  it('reads "exit after 2 red ones" as two red candles in a row', () => {
    const { spec } = parsed('3 green candles in a row on xrp 15m = buy. exit after 2 red ones. sl 2%');
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'below', left: close, right: { kind: 'price', field: 'open' } },
      { op: 'below', left: { ...close, ago: 1 }, right: { kind: 'price', field: 'open', ago: 1 } },
    ]);
  });

  it('leaves out "donchian style" beside the highs and lows it names', () => {
    const { spec } = parsed(
      'buy btc when it breaks the 20 day high, donchian style, sell when it breaks the 10 day low',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: close, right: { kind: 'donchian', period: 20, output: 'upper' } },
    ]);
  });

  it('reads "drops below vwap by 1%" as 1% below it', () => {
    const { spec } = parsed('buy btc when it drops below vwap by 1% on 15m, exit at vwap');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: close, right: { kind: 'vwap', period: 96 }, times: 0.99 },
    ]);
  });
});

describe('the previous candle and the candle traded', () => {
  const close = { kind: 'price', field: 'close' };
  const volume = {
    op: 'above',
    left: { kind: 'price', field: 'volume' },
    right: { kind: 'volume_sma', period: 20 },
  };

  it.each([
    ['eth 30m, buy when close is 1% above previous close with volume above average', 'close', 1.01],
    ["eth 1h buy when price is 2% below the previous candle's low", 'low', 0.98],
  ])('%j is a distance from the previous candle', (text, field, times) => {
    expect(conditionsIn(parsed(text).spec.entry)[0]).toEqual({
      op: times > 1 ? 'above' : 'below',
      left: close,
      right: { kind: 'price', field, ago: 1 },
      times,
    });
  });

  it('reads "above the previous close" with "close" no exit word', () => {
    expect(conditionsIn(parsed('eth 30m buy when close is above the previous close').spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'price', field: 'close', ago: 1 } },
    ]);
  });

  it('reads "the 1h candle is up >3% on high volume" on the 1h', () => {
    const { spec } = parsed('buy sol when the 1h candle is up >3% on high volume, trailing stop 2%');
    expect(spec.timeframe).toBe('1h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'price', field: 'open' }, times: 1.03 },
      volume,
    ]);
  });

  it('asks when the candle named is on another timeframe than the strategy', () => {
    expect(() => parsed('buy sol 15m when the 4h candle is up 3%')).toThrow(/more than one timeframe/);
  });
});
