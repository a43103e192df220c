// Phrasings traders use in passing: a higher timeframe after its series, "A = short when B", trade caps
// and ATR stops said loosely, Bollinger styles ("mean reversion", "breakouts"), the DI lines followed, and
// "long and short" with one entry mirrored. Each reads as a strategy with its assumptions said back.
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed, refused } from '../../../support/parse.ts';

const close = { kind: 'price', field: 'close' };
const bb = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });

describe('a higher timeframe named after its series', () => {
  it.each([
    ['buy eth when the rsi on the daily is below 40, 1h', { kind: 'rsi', period: 14, timeframe: '1d' }],
    ['buy eth 1h when price is above the 200 ema on the 4h', { kind: 'ema', period: 200, timeframe: '4h' }],
    ['ema 200 daily filter + 4h macd cross, btc', { kind: 'ema', period: 200, timeframe: '1d' }],
  ])('%j reads the series on the higher timeframe', (text, series) => {
    const { spec } = parsed(text);
    expect(spec.informative?.timeframe).toBe(series.timeframe);
    const sides = conditionsIn(spec.entry).flatMap((c) => [c.left, 'right' in c ? c.right : undefined]);
    expect(sides).toContainEqual(expect.objectContaining(series));
  });

  it('reads "on the 1h it" as the series before it on the strategy timeframe', () => {
    const { spec } = parsed(
      'buy sol when the rsi on the daily is below 40 and on the 1h it crosses above 30',
    );
    expect(spec.timeframe).toBe('1h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: { kind: 'rsi', period: 14, timeframe: '1d' }, right: 40 },
      { op: 'crosses_above', left: { kind: 'rsi', period: 14 }, right: 30 },
    ]);
  });

  it('asks what "it" is when no series came before', () => {
    const result = parseStrategyText('buy sol 1d when on the 1h it crosses above 30');
    expect(result.ok ? 'parsed' : result.reason).toMatch(/What does "it" stand for/);
  });
});

describe('loose risk words', () => {
  it('puts conditions before "= short" on the short side', () => {
    const { spec } = parsed('btc under 200 sma on daily = short on 4h when rsi hits 65, perps');
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] }).map((c) => c.left.kind)).toEqual(['price', 'rsi']);
  });

  it('reads "long only, 3 max" as a cap of three trades', () => {
    const { spec } = parsed('eth and sol 4h, golden cross of ema 21 and ema 55, long only, 3 max');
    expect(spec.maxOpenTrades).toBe(3);
    expect(conditionsIn(spec.entry)[0]).toMatchObject({ left: { period: 21 }, right: { period: 55 } });
  });

  it.each([
    ['atr based stoploss, 2.5x atr, donchian 20 breakouts eth daily', { period: 14, multiplier: 2.5 }],
    ['ema cross 9 21 with atr 14 stop, btc 1h', { period: 14, multiplier: 2 }],
    ['ema cross 9 21 with atr 10 stop, btc 1h', { period: 10, multiplier: 2 }],
  ])('%j is an ATR stop', (text, atrStop) => {
    expect(parsed(text).spec.atrStop).toEqual(atrStop);
  });

  it('does not read the 1 of a side mark as an RSI period', () => {
    const { spec } = parsed('atr stop 2x and ema 100 filter, buy rsi dips below 30 on btc 1h');
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'below',
      left: { kind: 'rsi', period: 14 },
      right: 30,
    });
  });
});

describe('Bollinger and Donchian styles', () => {
  it('reads mean reversion as the close below the lower band, said back', () => {
    // With its settings as without: out at the upper band (bare.ts).
    const { spec, assumptions } = parsed('bollinger 20 2 mean reversion sol 5m');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: close, right: bb('lower') }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: close, right: bb('upper') }]);
    expect(assumptions.join(' ')).toMatch(
      /read as mean reversion: buy a close below the lower band \(20, 2\)/,
    );
  });

  it('reads a fade for a short as the close above the upper band', () => {
    const { spec } = parsed('short btc perps on bollinger fades when rsi is above 70, 1h');
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: close, right: bb('upper') },
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 70 },
    ]);
  });

  it('reads the bands named alone for a short from the upper band, never as a long', () => {
    const { spec, assumptions } = parsed('short btc perps on bollinger bounces, 1h');
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: close, right: bb('upper') },
    ]);
    expect(assumptions.join(' ')).toMatch(/short a close above the upper band/);
  });

  it('reads bb breakouts both ways on "long+short"', () => {
    const { spec, assumptions } = parsed(
      'sol perps long+short on bb breakouts, 1h, max 2 positions, sl 2.5%',
    );
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'above', left: close, right: bb('upper') }]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'below', left: close, right: bb('lower') },
    ]);
    expect(assumptions.join(' ')).toMatch(/Both ways: short when/);
  });

  it('gives a Donchian channel without a window 20 candles, said back', () => {
    const { spec, assumptions } = parsed('donchian breakout xrp 4h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'donchian', period: 20, output: 'upper' } },
    ]);
    expect(assumptions).toContain('No Donchian window given: 20 candles.');
  });
});

describe('the DI lines and words', () => {
  const plus = { kind: 'adx', period: 14, output: 'plus_di' };
  const minus = { kind: 'adx', period: 14, output: 'minus_di' };

  it('reads "follow the di" both ways as +DI over -DI, and -DI over +DI for shorts', () => {
    const { spec } = parsed('adx > 40 strong trend, follow the di, eth perps long/short 1h');
    expect(conditionsIn(spec.entry)).toContainEqual({ op: 'above', left: plus, right: minus });
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toContainEqual({
      op: 'above',
      left: minus,
      right: plus,
    });
  });

  it('reads "di cross" as +DI crossing above -DI', () => {
    const { spec } = parsed('di cross on eth 1h');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'crosses_above', left: plus, right: minus }]);
  });

  it('keeps "trade" as written and says nothing of a plural read as its singular', () => {
    const { assumptions } = parsed('trade eth on donchian 20 breakouts, 4h');
    expect(assumptions.join(' ')).not.toMatch(/Read "/);
  });
});

describe('distances from a line and candle moves', () => {
  const sma20 = { kind: 'sma', period: 20, source: 'close' };

  it('reads "3% below the 20 sma" as the close under 0.97 x the SMA, and "sell at the sma" as back over it', () => {
    const { spec } = parsed('buy btc dips when price is 3% below the 20 sma, sell at the sma. 1h');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: close, right: sma20, times: 0.97 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: close, right: sma20 }]);
  });

  it('reads "2% above vwap" for a short, without a long side from the style name', () => {
    const { spec } = parsed('vwap reversion short on sol perps: price 2% above vwap, short it');
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: close, right: { kind: 'vwap', period: 24 }, times: 1.02 },
    ]);
  });

  it('keeps "price up >2%" next to a volume surge, said back', () => {
    const { spec, assumptions } = parsed(
      'volume 5x the average on a 5m candle and price up >2% buy btc, tp 3 sl 1.5',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({
      op: 'above',
      left: close,
      right: { kind: 'price', field: 'open' },
      times: 1.02,
    });
    expect(assumptions.join(' ')).toMatch(/at least 2% above the open of the same candle/);
  });

  it('reads a move over a day as the close against the close a day of candles before, never one candle', () => {
    const { spec, assumptions } = parsed('buy when price drops 5% in a day on eth, 1h');
    expect(conditionsIn(spec.entry)).toEqual([
      {
        op: 'below',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'price', field: 'close', ago: 24 },
        times: 0.95,
      },
    ]);
    expect(assumptions.join(' ')).toMatch(/close 24 candles before/);
    // The day's change is not one candle's move either.
    expect(parseStrategyText('buy btc 1h rsi < 30, sell when price is up 5% on the day').ok).toBe(false);
  });
});

describe('actions around comparisons', () => {
  it('reads "rsi 21 buy <30 sell >65" with each comparison after its action', () => {
    const { spec } = parsed('eth 30m rsi 21 buy <30 sell >65');
    const rsi = { kind: 'rsi', period: 21 };
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: rsi, right: 30 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: rsi, right: 65 }]);
  });

  it('reads "RSI cross 50 long, cross below 50 close it" as the cross up and back down', () => {
    const { spec } = parsed('RSI cross 50 long, cross below 50 close it. bnb 4h');
    expect(conditionsIn(spec.entry).map((c) => c.op)).toEqual(['crosses_above']);
    expect(conditionsIn(spec.exit).map((c) => c.op)).toEqual(['crosses_below']);
  });

  it('reads "macd signal cross" as the MACD line crossing its signal', () => {
    const { spec } = parsed('macd signal cross 1h btc/usdt tp 5% sl 3%');
    expect(conditionsIn(spec.entry)).toMatchObject([
      { op: 'crosses_above', left: { output: 'line' }, right: { output: 'signal' } },
    ]);
  });
});

describe('more loose words', () => {
  it('reads "sell after 2% profit or 1% loss" as the take-profit and the stop', () => {
    const { spec } = parsed('eth 15m volume > 3x avg buy, sell after 2% profit or 1% loss');
    expect(spec.minimalRoi).toEqual({ '0': 0.02 });
    expect(spec.stoploss).toBe(-0.01);
  });

  it('reads "shortin" as shorting, said back', () => {
    const { spec, assumptions } = parsed('shortin xrp on rsi>70 15m');
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 70 },
    ]);
    expect(assumptions).toContain('Read "shortin" as "shorting".');
  });

  it('reads "close above 200 day ma buy" as the close over the SMA 200', () => {
    const { spec } = parsed('eth 1d close above 200 day ma buy');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'sma', period: 200, source: 'close' } },
    ]);
  });
});

describe('distances that are not the price from a line', () => {
  it.each([
    'buy eth 1h when the ema 9 is 1% above the ema 21',
    'buy eth 1h when price is less than 2% above the 50 ema',
    'buy eth 1h when price is within 2% above the 50 ema',
    // A move as the first step of a sequence is not the state the condition tests.
    'buy eth 1h when price dips 2% below the 20 ema then closes back above it',
    'buy eth 1h when price dips 2% below the 20 ema and closes back above it',
    'buy eth 1h when price dips 2% below the 20 ema before closing back above it',
    'buy eth 1h when price dips 2% below the 20 ema and reclaims it',
    'buy eth 1h when price drops 3% below the 20 ema and bounces',
    // Never one candle, however it is said.
    'buy eth 1h when price is 2% below the 20 ema and closes above it',
    // A later step after a comma, a new clause, or an "after" before the move (a misread hunt's finds).
    'buy eth 1h when price dips 3% below the 20 ema, then bounces',
    'buy eth 1h when price dips 3% below the 20 ema, bounces, sell at 5% profit',
    'buy eth 1h when price drops 3% below the 20 ema, buy the bounce',
    'buy eth 1h when price drops 3% below the 20 ema, then closes above the 50 ema',
    'buy eth 1h when price falls 3% below the 50 sma, afterwards rsi crosses above 30',
    'buy eth 1h the first green candle after price drops 3% below the 20 ema',
    'short sol 1h futures when price rises 3% above the 50 ema, then drops back',
    'buy eth 1h when price is 3% below the 20 ema then bounces',
  ])('asks about %j rather than reading the price beyond the line', (text) => {
    const result = parseStrategyText(text);
    expect(result.ok ? JSON.stringify(result.spec.entry) : 'asked').toBe('asked');
  });
});

it('reads a move to a distance from a line as the price there on the candle', () => {
  expect(conditionsIn(parsed('bnb 1h buy when price drops 3% below the 20 ema').spec.entry)).toEqual([
    { op: 'below', left: close, right: { kind: 'ema', period: 20, source: 'close' }, times: 0.97 },
  ]);
  // Its clause ends at the line: a timeframe after it, or the next clause, is no more of the move.
  expect(
    conditionsIn(
      parsed('eth buy when price drops 3% below the 20 ema on the 1h, sell when rsi > 70 then wait').spec
        .entry,
    ),
  ).toEqual([{ op: 'below', left: close, right: { kind: 'ema', period: 20, source: 'close' }, times: 0.97 }]);
  expect(conditionsIn(parsed('eth 4h buy when price climbs to 2% above the vwap').spec.entry)).toEqual([
    { op: 'above', left: close, right: expect.objectContaining({ kind: 'vwap' }), times: 1.02 },
  ]);
});

it('asks which side "fade" trades at a distance from a line', () => {
  const result = parseStrategyText('fade sol when price is 3% above vwap, 15m perps');
  expect(result.ok ? 'parsed' : result.reason).toMatch(/Which side should "fade" trade/);
});

describe('averages named by their speed', () => {
  const ema = (period: number) => ({ kind: 'ema', period, source: 'close' });
  it('reads "the fast ema" and "the slow ema" with none named as the usual 20/50 pair, said back', () => {
    const result = parsed(
      'sol 12h buy when the adx says the trend is strong and the fast ema is above the slow ema',
    );
    expect(conditionsIn(result.spec.entry)).toContainEqual({ op: 'above', left: ema(20), right: ema(50) });
    expect(result.assumptions).toContain('No periods given for the fast and slow averages: EMA 20/50.');
  });

  it('takes the shorter and the longer of the two named', () => {
    const { spec } = parsed(
      'eth 1h with ema 21 and ema 9: buy when rsi below 40 and the fast ema is above the slow ema',
    );
    expect(conditionsIn(spec.entry)).toContainEqual({ op: 'above', left: ema(9), right: ema(21) });
    // Named where the reading can't place them: asked, never the usual pair instead.
    expect(refused('eth 1h ema 21 and ema 9, rsi below 40 and the fast ema above the slow ema')).toMatch(
      /Which periods should the fast and slow EMA use/,
    );
  });

  it('reads ">" between two averages as the state, as "above" is, not the cross', () => {
    expect(conditionsIn(parsed('buy when ema 9 > ema 21').spec.entry)).toEqual([
      { op: 'above', left: ema(9), right: ema(21) },
    ]);
    expect(conditionsIn(parsed('using the 12 and 26 ema, buy when fast ema > slow ema').spec.entry)).toEqual([
      { op: 'above', left: ema(12), right: ema(26) },
    ]);
  });

  it('asks about a later step after the cross, and still reads "then sell"', () => {
    expect(
      refused('buy when the fast ema crosses above the slow ema, then price pulls back to the fast ema'),
    ).toMatch(/"then price pulls back to the fast ema" as one candle/);
    // The same later step after any event, whatever reads it; after a state, "then" joins two conditions.
    expect(refused('eth 1h buy when rsi dips under 30, then price closes above the 20 ema')).toMatch(
      /"then price closes above the 20 ema" as one candle/,
    );
    expect(
      conditionsIn(
        parsed('btc 1h, price above the 200 ema, then rsi under 40 to buy, sell at rsi 70').spec.entry,
      ),
    ).toHaveLength(2);
    expect(conditionsIn(parsed('btc 1h sma 20/50 cross, then sell on the cross down').spec.exit)).toEqual([
      {
        op: 'crosses_below',
        left: { kind: 'sma', period: 20, source: 'close' },
        right: { kind: 'sma', period: 50, source: 'close' },
      },
    ]);
  });

  it('asks when the slow one is named first, or a third "medium" one', () => {
    expect(refused('buy when the slow ema crosses above the fast ema')).toMatch(
      /Which average crosses which/,
    );
    expect(refused('buy when the fast ema crosses above the medium ema')).toMatch(
      /Which average crosses which/,
    );
  });

  it('asks when one average is named and a fast and a slow one are meant', () => {
    expect(refused('eth 1h ema 50: buy when the fast ema is above the slow ema')).toMatch(
      /Which periods should the fast and slow averages use\? You named one, EMA 50/,
    );
  });
});

describe('one condition after another', () => {
  it.each([
    'buy when the fast ema crosses above the slow ema after rsi dips under 30',
    'buy eth 1h when rsi crosses above 30 after it dips under 25',
    'buy btc 4h when ema 9 crosses above ema 21 after rsi drops below 30',
  ])('asks about %j rather than testing both on one candle', (text) => {
    expect(refused(text)).toMatch(/as one candle/);
  });

  it('still reads "after" before a count or a gain', () => {
    expect(parseStrategyText('buy btc after 3 green candles in a row').ok).toBe(true);
    expect(parseStrategyText('sell after 3% gain, buy when rsi < 30').ok).toBe(true);
  });
});
