// Readings added for phrasings traders use that the parser refused: indicators named first as a title
// ("cci + adx: cci above 100 ..."), Donchian and ADX named alone (the usual reading, said back), a
// take-profit written as "take 6%" or "sell at +1.5%", a stop left to us ("pick something sensible"), and
// a line "turning up from below zero" (rising while still under it, never a count of 0 candles).
import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../../../../src/strategy/parse/offline-parser.ts';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed } from '../../../support/parse.ts';

const conditions = conditionsIn;

describe('a title before the conditions', () => {
  it('reads "cci + adx: ..." as the conditions after the title', () => {
    const { spec } = parsed('eth 12h cci + adx: cci above 100 and adx above 25 for longs');
    expect(conditions(spec.entry)).toEqual([
      { op: 'above', left: { kind: 'cci', period: 20 }, right: 100 },
      { op: 'above', left: { kind: 'adx', period: 14, output: 'adx' }, right: 25 },
    ]);
  });

  it('reads "the histogram" after a MACD title as MACD\'s histogram', () => {
    const { spec } = parsed(
      'can u make me a macd strat for sol on the 4 hour chart. buy when the histogram flips positive, sell when it goes back negative',
    );
    const histogram = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'histogram' };
    expect(spec.timeframe).toBe('4h');
    expect(conditions(spec.entry)).toEqual([{ op: 'crosses_above', left: histogram, right: 0 }]);
    expect(conditions(spec.exit)).toEqual([{ op: 'below', left: histogram, right: 0 }]);
  });

  it('reads "both" after a title of two as each of them', () => {
    const { spec } = parsed('sol and bnb mfi + rsi combo: both under 30 to buy. 1h. take profit 5%');
    expect(conditions(spec.entry)).toEqual([
      { op: 'below', left: { kind: 'mfi', period: 14 }, right: 30 },
      { op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 },
    ]);
    expect(spec.minimalRoi).toEqual({ '0': 0.05 });
  });

  it('reads "rsi / mfi dual oversold" as each oversold', () => {
    const { spec } = parsed('rsi 14 / mfi 14 dual oversold btc 30m');
    expect(conditions(spec.entry).map((c) => c.left.kind)).toEqual(['rsi', 'mfi']);
  });

  it('keeps a title that is the signal itself ("ema 21 bounce")', () => {
    const { spec } = parsed('ema 21 bounce on sol daily candles, sell if it closes under the ema');
    expect(JSON.stringify(spec.entry)).toContain('"period":21');
  });

  it('asks when an indicator of the title is not used after it', () => {
    expect(parseStrategyText('eth 4h rsi + adx: cci above 100').ok).toBe(false);
  });
});

describe('Donchian and ADX named alone', () => {
  it('reads a Donchian channel as the turtle breakout and says so', () => {
    const result = parsed('donchian channel strat for btc and sol, 1d');
    expect(conditions(result.spec.entry)).toEqual([
      {
        op: 'above',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'donchian', period: 20, output: 'upper' },
      },
    ]);
    expect(conditions(result.spec.exit)).toEqual([
      {
        op: 'below',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'donchian', period: 10, output: 'lower' },
      },
    ]);
    expect(result.assumptions.join('\n')).toContain('turtle breakout');
  });

  it('counts "20 day" in candles of the timeframe', () => {
    const { spec } = parsed('20 day donchian system eth 4h');
    expect(JSON.stringify(spec.entry)).toContain('"period":120');
  });

  it('reads ADX alone as the DI cross in a trend, and says so', () => {
    const result = parsed('adx strategy btc');
    const adx = (output: string) => ({ kind: 'adx', period: 14, output });
    expect(conditions(result.spec.entry)).toEqual([
      { op: 'crosses_above', left: adx('plus_di'), right: adx('minus_di') },
      { op: 'above', left: adx('adx'), right: 25 },
    ]);
    expect(conditions(result.spec.exit)).toEqual([
      { op: 'crosses_below', left: adx('plus_di'), right: adx('minus_di') },
    ]);
    expect(result.assumptions.join('\n')).toContain('ADX named alone');
  });

  it('asks when a number beside ADX could be its period or its level', () => {
    expect(parseStrategyText('adx 20 trend system sol 4h').ok).toBe(false);
  });
});

describe("take-profit and stop in a trader's words", () => {
  it.each([
    ['sol 1h buy when rsi < 30, stop 3%, take 6%', -0.03, 0.06],
    ['btc 1h rsi < 30 buy, take 5% stop 2%', -0.02, 0.05],
    ['sol 1h buy when rsi < 30, sell at +1.5%, 4% sl', -0.04, 0.015],
  ])('%s', (text, stoploss, profit) => {
    const { spec } = parsed(text);
    expect(spec.stoploss).toBe(stoploss);
    expect(spec.minimalRoi).toEqual({ '0': profit });
  });

  it.each([
    'BTC SMA 20/50 cross on 1h, take 10% of the balance per trade',
    'BTC SMA 20/50 cross on 1h, take 2% risk per trade',
  ])('never reads a stake or a risk as a take-profit: "%s"', (text) => {
    const result = parseStrategyText(text);
    expect(result.ok ? result.spec.minimalRoi : result.reason).not.toEqual({ '0': 0.1 });
    expect(result.ok ? result.spec.minimalRoi : result.reason).not.toEqual({ '0': 0.02 });
  });

  it('fills a stop left to us with the default and says so', () => {
    const result = parsed('sol 4h macd cross, just pick a sensible stop loss');
    expect(result.spec.stoploss).toBe(-0.1);
    expect(result.assumptions).toContain('No stop-loss named: 10%.');
  });
});

describe('a line turning from one side of zero', () => {
  it('reads "turning up from below zero" as rising while below zero', () => {
    const { spec } = parsed('btc daily macd histogram turning up from below zero, 10% tp');
    const histogram = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'histogram' };
    expect(conditions(spec.entry)).toEqual([
      { op: 'rising', left: histogram, candles: 1 },
      { op: 'below', left: histogram, right: 0 },
    ]);
  });

  it('still counts candles after "rising for"', () => {
    const { spec } = parsed('eth 1h buy when ema 20 is rising for 3 candles and rsi < 40');
    expect(conditions(spec.entry)[0]).toMatchObject({ op: 'rising', candles: 3 });
  });
});

describe('OBV against itself', () => {
  const obv = { kind: 'obv' };

  it.each([
    ['eth 2h: buy when obv crosses above its sma 20 and rsi > 50', 'sma'],
    ['btc daily: long when obv crosses above its 20 ema', 'ema'],
  ])('reads "%s" as a cross of OBV\'s own average', (text, kind) => {
    const { spec } = parsed(text);
    expect(conditions(spec.entry)[0]).toEqual({
      op: 'crosses_above',
      left: obv,
      right: { kind, period: 20, source: 'obv' },
    });
  });

  it.each([
    'buy bnb when obv makes a new high, daily',
    'obv breakout on bnb 4h',
    'buy eth when obv breaks to a new high and price is above the 100 sma, 4h chart',
  ])('reads a new OBV high in "%s" as OBV above its 20-candle high, and says so', (text) => {
    const result = parsed(text);
    expect(conditions(result.spec.entry)[0]).toEqual({
      op: 'above',
      left: obv,
      right: { kind: 'donchian', period: 20, output: 'upper', source: 'obv' },
    });
    expect(result.assumptions.join('\n')).toContain(
      "OBV's new high read as OBV above its highest of the last 20 candles.",
    );
  });

  it('keeps "the 100 sma" of price after OBV in the same sentence', () => {
    const { spec } = parsed('buy eth when obv breaks to a new high and price is above the 100 sma, 4h chart');
    expect(conditions(spec.entry)[1]).toEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'sma', period: 100, source: 'close' },
    });
  });

  it('refuses OBV against an average of price', () => {
    expect(parseStrategyText('btc 1h buy when obv crosses above the ema 20').ok).toBe(false);
  });
});

describe('Donchian lines named with their side', () => {
  it.each([
    'sol hourly, buy when close > upper donchian(20)',
    'sol hourly, buy when close > donchian upper 20',
    'sol hourly, buy when close > donchian 20 upper',
  ])('reads the upper line in "%s"', (text) => {
    expect(conditions(parsed(text).spec.entry)[0]).toEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'donchian', period: 20, output: 'upper' },
    });
  });
});

describe('an oscillator band traded both ways', () => {
  it.each([
    ['btc perps 1h rsi 30/70 long and short', 'rsi', 30, 70],
    ['long + short xrp perps on the 15m with the stochastic, 20/80, 2% sl', 'stochastic', 20, 80],
  ])('shorts "%s" at the upper level and covers at the lower, and says so', (text, kind, low, high) => {
    const result = parsed(text);
    expect(result.spec.tradingMode).toBe('futures');
    expect(conditions(result.spec.entry)[0]).toMatchObject({ op: 'below', left: { kind }, right: low });
    expect(result.spec.short && conditions(result.spec.short.entry)[0]).toMatchObject({
      op: 'above',
      left: { kind },
      right: high,
    });
    expect(result.spec.short && conditions(result.spec.short.exit)[0]).toMatchObject({
      op: 'below',
      left: { kind },
      right: low,
    });
    expect(result.assumptions.join('\n')).toContain(`Both ways: short above ${high} and cover below ${low}`);
  });

  it('asks when the long side has more than the band (a filter the short side would need too)', () => {
    expect(
      parseStrategyText(
        'btc perps 1h long and short: buy when rsi < 30 and price above ema 200, sell when rsi > 70',
      ).ok,
    ).toBe(false);
  });
});

describe('an ATR trailing stop', () => {
  it.each([
    ['make a strategy for bitcoin on the 30 minute: long when macd is above signal. trail with 2.5 atr', 2.5],
    ['2x atr trailing stop with a 20 ema/50 ema cross on sol 1h', 2],
    [
      'atr trailing stop strat on btc daily, enter on a close above the 20 day donchian upper, trailing stop 3x atr',
      3,
    ],
  ])('reads "%s"', (text, multiplier) => {
    expect(parsed(text).spec.atrStop).toEqual({ period: 14, multiplier, trailing: true });
  });

  it('fills the multiple of a bare ATR trailing stop and says so', () => {
    const result = parsed('macd cross btc 1h with an atr trailing stop');
    expect(result.spec.atrStop).toEqual({ period: 14, multiplier: 2, trailing: true });
    expect(result.assumptions).toContain('No multiple given for the ATR trailing stop: 2 x ATR(14).');
  });

  it('keeps a plain ATR stop fixed and a percentage trailing stop a percentage', () => {
    expect(parsed('btc 1h rsi < 30 buy, 2 atr stop').spec.atrStop).toEqual({ period: 14, multiplier: 2 });
    const percent = parsed('btc 1h rsi < 30 buy, 3% trailing stop').spec;
    expect(percent.atrStop).toBeUndefined();
    expect(percent.stoploss).toBe(-0.03);
  });
});

describe('a condition said twice', () => {
  it('is kept once', () => {
    const { spec } = parsed('donchian upper 20 breakout: buy when close above donchian upper 20, btc 4h');
    expect(conditions(spec.entry)).toHaveLength(1);
  });
});

describe('MACD named beside other conditions', () => {
  const macd = (output: string) => ({ kind: 'macd', fast: 12, slow: 26, signal: 9, output });

  it.each([
    [
      'xrp hourly macd 12/26/9 with rsi abv 50 filter',
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 50 },
    ],
    ['btc 1h buy when rsi below 30 and macd', { op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 }],
  ])('reads MACD in "%s" as its cross, and says so', (text, other) => {
    const result = parsed(text);
    expect(conditions(result.spec.entry)).toEqual(
      expect.arrayContaining([{ op: 'crosses_above', left: macd('line'), right: macd('signal') }, other]),
    );
    expect(result.assumptions.join('\n')).toContain('MACD named alone, read as: MACD(12,26,9) crosses above');
  });
});

describe('an action, an oscillator and a level', () => {
  it.each([
    ['rsi under 30 on eth 1h and macd crossing up, sell on rsi 70', 70],
    ['btc 1h pullback: 1h rsi dips below 40 buy, sell rsi 65', 65],
  ])('reads "%s" as the level reached, not a window', (text, level) => {
    expect(conditions(parsed(text).spec.exit)).toEqual([
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: level },
    ]);
  });

  it('keeps "rsi 14 below 30" a window and a level', () => {
    expect(conditions(parsed('eth 4h buy rsi 14 below 30, sell rsi 14 above 70').spec.entry)).toEqual([
      { op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 },
    ]);
  });
});

describe('a cross of averages named without periods, beside other conditions', () => {
  const ema = (period: number) => ({ kind: 'ema', period, source: 'close' });

  it('is the usual 20/50 pair, said back ("w/" read as "with")', () => {
    const result = parsed('ema cross w/ macd confirm, eth 4h, tp 8%');
    expect(conditions(result.spec.entry)[0]).toEqual({ op: 'crosses_above', left: ema(20), right: ema(50) });
    expect(result.assumptions).toContain('No periods given for the cross: EMA 20/50.');
  });

  it('takes the periods written after the cross: "ema cross (20/50)"', () => {
    const { spec } = parsed('only trade the sol 1h ema cross (20/50) when atr(14) is rising');
    expect(conditions(spec.entry)).toEqual([
      { op: 'crosses_above', left: ema(20), right: ema(50) },
      { op: 'rising', left: { kind: 'atr', period: 14 }, candles: 1 },
    ]);
  });
});

describe('an exit the trader wrote', () => {
  const close = { kind: 'price', field: 'close' };
  const band = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });

  it.each([
    ['bnb 4h buy when close above upper band, sell when it closes back inside', 'below', 'upper'],
    ['eth 1h buy when close below lower band, sell when price is back inside the bands', 'above', 'lower'],
  ])('reads "back inside" the band it left: "%s"', (text, op, output) => {
    expect(conditions(parsed(text).spec.exit)).toEqual([{ op, left: close, right: band(output) }]);
  });

  it('asks about an exit it cannot read rather than saying none was given', () => {
    const result = parseStrategyText('eth 1h buy when macd crosses above signal, sell when it feels wrong');
    expect(result.ok ? 'parsed' : result.reason).toMatch(/^I couldn't read "when it feels wrong"/);
  });
});

describe('misreads and refusals found on tune3', () => {
  const macd = (output: string) => ({ kind: 'macd', fast: 12, slow: 26, signal: 9, output });

  it('reads "crosses back up" as a cross up (it was read as down on an exit)', () => {
    const { spec } = parsed(
      'eth 1h buy when macd crosses above signal, exit when macd crosses back up over 0',
    );
    expect(conditionsIn(spec.exit)[0]).toMatchObject({ op: 'crosses_above' });
    const short = parsed(
      'what i want is a short-only bot on sol perps. 1h candles. enter when price is below the 50 sma and macd crosses down. exit when macd crosses back up.',
    );
    expect(short.spec.short && conditions(short.spec.short.exit)).toEqual([
      { op: 'crosses_above', left: macd('line'), right: macd('signal') },
    ]);
    expect(conditions(short.spec.entry)).toEqual([]);
    expect(short.assumptions).toContain('Short only: the conditions read as when to short, and to cover.');
  });

  it('reads "back to 60" as a level, never as RSI\'s window (it was RSI 60)', () => {
    const { spec } = parsed('btc 1h buy when rsi below 30, sell when it is back to 60');
    expect(conditions(spec.entry)).toEqual([{ op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 }]);
    expect(conditions(spec.exit)).toEqual([{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 60 }]);
  });

  it('reads the turtle rule "20 day donchian in, 10 day out" on the daily', () => {
    const { spec } = parsed('turtle trading on btc daily, 20 day donchian in, 10 day out');
    expect(spec.timeframe).toBe('1d');
    expect(conditions(spec.entry)[0]).toMatchObject({
      right: { kind: 'donchian', period: 20, output: 'upper' },
    });
    expect(conditions(spec.exit)[0]).toMatchObject({
      right: { kind: 'donchian', period: 10, output: 'lower' },
    });
  });
});

describe('conditions joined with "and" are read or asked about, never dropped', () => {
  it('reads a red candle beside volume, for a short strat with no long side named', () => {
    const { spec } = parsed(
      'yo can u do a short strat on btc perps, 15m, when volume spikes 3x the avg and candle closes red',
    );
    expect(spec.short && conditions(spec.short.entry)).toContainEqual({
      op: 'below',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'price', field: 'open' },
    });
    expect(conditions(spec.entry)).toEqual([]);
  });

  it('reads "the candle is green" as the close above the open', () => {
    expect(
      conditions(parsed('buy btc 15m when rsi below 30 and the candle is green').spec.entry),
    ).toContainEqual({
      op: 'above',
      left: { kind: 'price', field: 'close' },
      right: { kind: 'price', field: 'open' },
    });
  });

  it('asks about one it cannot read (it was dropped in silence)', () => {
    const result = parseStrategyText('buy btc 15m when rsi below 30 and the trend is strong up');
    expect(result.ok ? 'parsed' : result.reason).toMatch(/^I couldn't read "the trend is strong up"/);
  });
});
