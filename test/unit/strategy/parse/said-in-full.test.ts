// Phrasings from strategies explained in full sentences, read as meant: settings said apart from their
// indicator ("use 12 26 9", "faster settings like 5, 35, 5", "5 3 3 settings since ..."), a Stochastic's
// settings before "%k" (never "3%"), OBV against "its own 10-candle average", the kind of average written
// out ("the 50 day simple moving average"), and a comparison written without spaces ("close>prev high").
import { describe, expect, it } from 'vitest';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed, refused } from '../../../support/parse.ts';

const macd = (fast: number, slow: number, signal: number, output: string) => ({
  kind: 'macd',
  fast,
  slow,
  signal,
  output,
});
const stoch = (output: string) => ({ kind: 'stochastic', k: 5, d: 3, smooth: 3, output });
const close = { kind: 'price', field: 'close' };

describe('settings said apart from their indicator', () => {
  it('moves "use 12 26 9" to the one MACD named', () => {
    const { spec } = parsed(
      'btc 4h short when macd crosses below signal, cover when it crosses back up, use 8 21 5, stop 4%, futures',
    );
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'crosses_below', left: macd(8, 21, 5, 'line'), right: macd(8, 21, 5, 'signal') },
    ]);
  });

  it('reads "faster settings like 5, 35, 5" after a question mark', () => {
    const { spec } = parsed(
      'Could the bot trade the MACD on bitcoin using the daily chart, but with faster settings like 5, 35, 5? Exit on the opposite cross. 8% stop.',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: macd(5, 35, 5, 'line'), right: macd(5, 35, 5, 'signal') },
    ]);
    expect(spec.stoploss).toBe(-0.08);
  });

  it('reads "use 5 3 3 settings since I want it faster" as the Stochastic\'s, not a 3% anything', () => {
    const { spec } = parsed(
      'For solana 1h, my entry is the stochastic %K crossing %D below 25, and my exit is %K above 75. Use 5 3 3 settings since I want it faster.',
    );
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: stoch('k'), right: 75 }]);
    expect(spec.stoploss).toBe(-0.1);
  });

  it('reads "stochastic 5 3 3 %k" as the settings, then %K', () => {
    const { spec } = parsed('sol 1h buy when stochastic 5 3 3 %k crosses %d below 25, sell when %k above 75');
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'crosses_above',
      left: stoch('k'),
      right: stoch('d'),
    });
    expect(spec.minimalRoi).not.toEqual({ '0': 0.03 });
  });
});

describe('OBV against its own average', () => {
  it.each([
    ['sol on the 1h. My signal is OBV crossing above its own 10-candle average. Stop 2.5%.', 10],
    ['bnb 1h buy when obv crosses above its 20 period average, sell when it crosses below', 20],
  ])('%j', (text, period) => {
    expect(conditionsIn(parsed(text).spec.entry)).toEqual([
      {
        op: 'crosses_above',
        left: { kind: 'obv' },
        right: { kind: 'sma', period, source: 'obv' },
      },
    ]);
  });

  it('leaves "its" to the volume named after OBV', () => {
    const { spec } = parsed(
      'buy btc 4h when obv is rising and volume is above its 30 period avg, sell when obv turns down',
    );
    expect(JSON.stringify(spec.entry)).not.toContain('"source":"obv"');
  });
});

describe('words written out or run together', () => {
  it('reads "the 20" beside "the 50 day simple moving average" as the 20 SMA', () => {
    const { spec } = parsed(
      'ether daily: buy if price closes above the 50 day simple moving average while the 20 is above the 50, sell when price closes under the 50',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: { kind: 'sma', period: 20, source: 'close' },
      right: { kind: 'sma', period: 50, source: 'close' },
    });
  });

  it('reads "close>prev high" as "close > prev high"', () => {
    const { spec } = parsed('btc 1d long when close>prev high, sl 5 tp 10');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'price', field: 'high', ago: 1 } },
    ]);
  });
});

describe('risk said in words', () => {
  it.each([
    ['btc 1d buy when rsi < 30, sell when price gets 10% above entry or falls 6%', 0.1, -0.06],
    ['sol 4h buy when rsi < 30. Sell when price hits 12% profit or falls 5%.', 0.12, -0.05],
    ["eth 4h buy when rsi < 30, sell when it's up 8% or drops 3%", 0.08, -0.03],
  ])('%j: the gain is the take-profit, the fall beside it the stop', (text, takeProfit, stoploss) => {
    const { spec } = parsed(text);
    expect(spec.minimalRoi).toEqual({ '0': takeProfit });
    expect(spec.stoploss).toBe(stoploss);
  });

  it('still asks about a fall beside a condition, which may be a move of the candle', () => {
    expect(refused('btc 1h buy when rsi < 30, sell when rsi > 70 or when it drops 5%')).toMatch(/5%/);
  });

  it('reads "max 2 shorts open" on a short-only strategy as the cap on open trades', () => {
    const { spec } = parsed(
      'btc 2h short when close < sma 50, cover when close > sma 50, max 2 shorts open, futures, stop 3%',
    );
    expect(spec.maxOpenTrades).toBe(2);
  });

  it('asks about a cap on one side when the strategy trades both', () => {
    expect(
      refused('btc 2h long when close > sma 50, short when close < sma 50, max 2 shorts, futures'),
    ).toMatch(/both sides together/);
  });
});

describe('the highs of the candles before', () => {
  const upper = (period: number) => ({ kind: 'donchian', period, output: 'upper' });
  it.each([
    ["sol 1h buy when price closes above the previous 3 candles' highs, sell when rsi > 70", 3],
    [
      'btc 4h buy if the current close is higher than the highs of the last three candles, sell if the close is lower than the lows of the last three candles',
      3,
    ],
  ])('%j is the close over the highest of them', (text, period) => {
    expect(conditionsIn(parsed(text).spec.entry)).toContainEqual(
      expect.objectContaining({ op: 'above', left: close, right: expect.objectContaining(upper(period)) }),
    );
  });

  it('keeps "a candle closes higher than ..." in the entry, not a word for selling', () => {
    const { spec } = parsed(
      "For bitcoin on the 30 minute, buy when price is above the 100 ema and a candle closes higher than the previous two candles' highs. Sell when it closes below the 100 ema.",
    );
    expect(conditionsIn(spec.entry)).toHaveLength(2);
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'below', left: close, right: { kind: 'ema', period: 100, source: 'close' } },
    ]);
  });
});

describe('runs of candles', () => {
  const bar = (field: 'open' | 'close', ago: number) =>
    ago === 0 ? { kind: 'price', field } : { kind: 'price', field, ago };
  const red = (ago: number) => ({ op: 'below', left: bar('close', ago), right: bar('open', ago) });

  it('reads "3 red candles in a row, then buy the next green candle" as the run before a green candle', () => {
    const { spec } = parsed(
      'eth 4h three red candles in a row, then buy the next green candle, sell when rsi > 70',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      red(1),
      red(2),
      red(3),
      { op: 'above', left: bar('close', 0), right: bar('open', 0) },
    ]);
  });

  it('adds "each closing lower" to the run, on the same candles', () => {
    const { spec } = parsed(
      'bitcoin daily. three red candles in a row, each closing lower, then buy the next green candle. sell after 7%',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'below',
      left: bar('close', 3),
      right: bar('close', 4),
    });
    expect(conditionsIn(spec.entry)).not.toContainEqual({
      op: 'below',
      left: bar('close', 0),
      right: bar('close', 1),
    });
  });

  it('reads "3 green candles in a row, each closing higher than the last" with each close over the one before', () => {
    const { spec } = parsed(
      'sol 5m buy three green candles in a row, each closing higher than the last, tp 1% sl 0.7%',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: bar('close', 0),
      right: bar('close', 1),
    });
    expect(conditionsIn(spec.entry)).toHaveLength(6);
  });
});

describe('runs said other ways', () => {
  const bar = (field: 'open' | 'close', ago: number) =>
    ago === 0 ? { kind: 'price', field } : { kind: 'price', field, ago };
  it('reads "the first green candle after 5 red ones" as the run before a green candle', () => {
    const entry = conditionsIn(parsed('buy the first green candle after 5 red ones, bnb 15m').spec.entry);
    expect(entry).toHaveLength(6);
    expect(entry).toContainEqual({ op: 'below', left: bar('close', 5), right: bar('open', 5) });
    expect(entry).toContainEqual({ op: 'above', left: bar('close', 0), right: bar('open', 0) });
  });

  it('reads "3 consecutive red candles" as 3 red candles in a row', () => {
    const entry = conditionsIn(
      parsed('sol 1h: buy after 3 consecutive red candles, sell after 2% gain').spec.entry,
    );
    expect(entry).toHaveLength(3);
    expect(entry).toContainEqual({ op: 'below', left: bar('close', 2), right: bar('open', 2) });
  });

  it('reads "sell on the next green one" as the close over the open', () => {
    const { spec } = parsed('eth 4h: buy after 3 red candles in a row, sell on the next green one');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: bar('close', 0), right: bar('open', 0) }]);
  });
});

describe('stops settled on in words', () => {
  it.each([
    "For ether daily: long when the 50 sma crosses over the 200 sma, sell on the death cross. No stop, I'm a long-term holder. Well, ok put 20% just in case.",
    "For solana on the daily, buy when rsi < 30, sell > 70. No stop, I'm patient, but ok 20% if you need one.",
  ])('%j: the stop settled on after "no stop"', (text) => {
    expect(parsed(text).spec.stoploss).toBe(-0.2);
  });

  it('reads "trail 2% behind price" beside "a trailing stop strategy" as the trailing stop', () => {
    const { spec } = parsed(
      'I want a trailing stop strategy: buy bitcoin on the hourly when the 10 sma crosses over the 30 sma, and instead of a fixed target, trail 2% behind price.',
    );
    expect(spec.stoploss).toBe(-0.02);
    expect(spec.trailingStop).toBeDefined();
  });
});

describe('a new user trial', () => {
  it.each([
    'SOL 4h buy when the candle is green after 3 red candles, 5% stop',
    'SOL 4h buy a green candle after 3 red ones',
  ])('%j is the run before a green candle', (text) => {
    const entry = conditionsIn(parsed(text).spec.entry);
    expect(entry).toHaveLength(4);
    expect(entry).toContainEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'price', field: 'open' },
    });
  });
});
