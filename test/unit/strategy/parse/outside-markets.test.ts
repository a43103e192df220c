// Requests the parser must answer with a question rather than a strategy it would have to invent: markets
// that are not crypto, a short side asked for but not read, a number left unread beside an oscillator,
// one earlier candle's price (the spec compares the current candle only). And the typo "shrot", read as
// "short" and said back; numbers that are not candle sizes, and the shorthand "abv" and "blw".
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { refused as refusal } from '../../../support/parse.ts';

describe('markets that are not crypto', () => {
  it.each([
    ['eurusd ema crossover 1h', 'eurusd'],
    ['gbp/jpy rsi 4h', 'gbp/jpy'],
    ['can you do macd on tsla daily', 'tsla'],
    ['es futures vwap scalp 5m', 'es futures'],
    ['momentum strat on some tech stocks, 1d', 'stocks'],
    ['gold breakout on 4h', 'gold'],
    ['sma cross on the nasdaq, daily', 'nasdaq'],
  ])('%s: names "%s" and asks for a crypto pair', (text, named) => {
    expect(refusal(text)).toBe(
      `"${named}" is not a crypto market: I build strategies for the exchange's crypto pairs, for example BTC/USDT or ETH/USDT.`,
    );
  });

  it.each([
    'coming from equities. Run my usual on BTC: 50-day/200-day SMA cross',
    'ETH 30m ema 9/21 cross like I trade intraday stocks. Stop 1.5%.',
    'digital gold btc: rsi below 30 buy above 70 sell',
    'btc oil rsi 14 below 30 buy above 70 sell 1h',
    'golden cross btc daily',
    'btc ema 9/21 cross 1h, sell the usdt position at 5% profit',
    'eth/btc... no, eth rsi 14 below 30 buy above 70 sell 1h',
  ])('still reads "%s"', (text) => {
    expect(parseStrategyText(text).ok).toBe(true);
  });
});

describe('a short side asked for', () => {
  it('asks when the text wants a short and no short side was read', () => {
    expect(refusal('yo can u do a short strat on btc perps too, 15m, buy when rsi is below 30')).toMatch(
      /^I read no short side in that; say when to short and when to cover/,
    );
  });

  it('reads "short term" as a horizon, not a side', () => {
    const result = parseStrategyText('btc sma 20/50 cross on 1h for short term swings, 5% stop');
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.short).toBeUndefined();
  });

  it('reads "shrot" as "short" and says so', () => {
    const result = parseStrategyText('shrot btc perps when adx > 30 and -di > +di, 1h, tp 4%');
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.short?.entry).toBeDefined();
    expect(result.assumptions.join(' ')).toContain('Read "shrot" as "short".');
  });
});

describe('a number beside an oscillator named alone', () => {
  it('reads "cci -200 extreme buy" as that level, never the usual -100/100 zone', () => {
    const result = parseStrategyText('btc 2h cci -200 extreme buy');
    if (!result.ok) throw new Error(result.reason);
    expect(conditionsIn(result.spec.entry)).toEqual([
      { op: 'below', left: { kind: 'cci', period: 20 }, right: -200 },
    ]);
  });

  it.each(['stochastic 14 with 25/75 on btc daily', 'btc 4h stoch 14', 'btc 1h cci strat for 2024'])(
    'still reads "%s": a period or a year is no level',
    (text) => {
      expect(parseStrategyText(text).ok).toBe(true);
    },
  );
});

describe('one earlier candle', () => {
  it.each([
    ['sol 15m: volume > 2x 50 period average and close above prev high', 'high'],
    ["btc daily close above the previous day's low", 'low'],
  ])('reads "%s" as that price one candle before, never the same candle', (text, field) => {
    const result = parseStrategyText(text);
    if (!result.ok) throw new Error(result.reason);
    expect(conditionsIn(result.spec.entry)).toContainEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'price', field, ago: 1 },
    });
  });

  it("reads the previous day's high on candles shorter than a day as the last finished daily candle's", () => {
    const result = parseStrategyText("eth 4h buy when it closes above the prior day's high");
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.informative).toEqual({ timeframe: '1d' });
    expect(conditionsIn(result.spec.entry)).toEqual([
      {
        op: 'above',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'price', field: 'high', timeframe: '1d' },
      },
    ]);
    expect(result.assumptions.join(' ')).toMatch(/the high of the last finished daily candle/);
    // Beside another higher timeframe it is asked which.
    expect(refusal("eth 15m buy when it breaks yesterday's high and the 4h ema 50 is rising")).toMatch(
      /Which higher timeframe/,
    );
  });

  it.each([
    ['bnb breakout above prev day high on 1h chart', 'crosses_above', 'high'],
    ['short xrp if it loses yesterday low, 5m, perps', 'crosses_below', 'low'],
  ])("%j crosses the previous day's price", (text, op, field) => {
    const result = parseStrategyText(text);
    if (!result.ok) throw new Error(result.reason);
    const sides = [
      ...conditionsIn(result.spec.entry),
      ...conditionsIn(result.spec.short?.entry ?? { all: [] }),
    ];
    expect(sides[0]).toEqual({
      op,
      left: { kind: 'price', field: 'close' },
      right: { kind: 'price', field, timeframe: '1d' },
    });
  });

  it('still reads a channel over earlier candles', () => {
    expect(parseStrategyText('btc 1h buy when close breaks the last 20 candle high').ok).toBe(true);
  });
});

describe('numbers that are not candle sizes', () => {
  it('reads "20-day donchian" as the channel window, with daily candles named elsewhere', () => {
    const result = parseStrategyText('xrp 1d, 20-day donchian breakout, 3 atr stop, max 2 trades');
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.timeframe).toBe('1d');
  });

  it('reads a number right after a comparison as a level: "rsi > 50 hourly" is RSI above 50 on 1h', () => {
    const result = parseStrategyText(
      'buy xrp when volume is 3 times the 10 candle average and rsi > 50 hourly',
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.timeframe).toBe('1h');
    expect(JSON.stringify(result.spec.entry)).toContain('"right":50');
  });

  it('reads the shorthand "abv" and "blw", and says so', () => {
    const result = parseStrategyText('eth 1h buy when rsi blw 30, sell when rsi abv 70');
    if (!result.ok) throw new Error(result.reason);
    expect(result.assumptions).toEqual(
      expect.arrayContaining(['Read "blw" as "below".', 'Read "abv" as "above".']),
    );
  });
});

describe('a condition then its action', () => {
  it('reads "mfi below 20 = buy, above 80 = sell" as buy below 20, sell above 80', () => {
    const result = parseStrategyText('mfi strat btc daily. mfi below 20 = buy, above 80 = sell');
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.entry).toEqual({
      all: [{ op: 'below', left: { kind: 'mfi', period: 14 }, right: 20 }],
    });
    expect(result.spec.exit).toEqual({
      all: [{ op: 'above', left: { kind: 'mfi', period: 14 }, right: 80 }],
    });
  });
});

describe('a short side only', () => {
  it('keeps no long side the trader never named', () => {
    const result = parseStrategyText(
      'vwap short: when price rejects vwap from below on sol 5m, short it (perps)',
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.spec.entry).toEqual({ all: [] });
    expect(result.spec.short?.entry).toBeDefined();
    expect(result.assumptions).toContain('No buy or long named: the short side only.');
  });
});

describe('numbers quoted back', () => {
  it('quotes a number the trader wrote in words as they wrote it', () => {
    expect(refusal('btc 1h buy when rsi is zero')).toBe('I couldn\'t read "zero" in "RSI 14 is zero".');
    expect(refusal('btc macd above zero and twelve')).toContain('"twelve"');
  });
});
