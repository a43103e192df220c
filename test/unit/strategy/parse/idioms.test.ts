// Trader idioms the offline parser reads with one usual meaning, said back on the card: oscillator zones,
// levels reached, lines named without a comparison, squeezes, higher timeframes beside the strategy's own,
// direction statements, numbers in words. And the readings it must refuse rather than guess.
import { describe, expect, it } from 'vitest';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed, refused as refusal } from '../../../support/parse.ts';

const close = { kind: 'price', field: 'close' };
const rsi = { kind: 'rsi', period: 14 };
const stochK = { kind: 'stochastic', k: 14, d: 3, smooth: 3, output: 'k' };

describe('oscillator zones and levels reached', () => {
  it.each([
    ['buy eth when stoch is oversold, 1h', stochK, 'below', 20],
    ['buy eth when mfi is oversold, 1h', { kind: 'mfi', period: 14 }, 'below', 20],
    ['buy eth when cci is oversold, 1h', { kind: 'cci', period: 20 }, 'below', -100],
    ['short eth when rsi is overbought on futures, 1h', rsi, 'above', 70],
  ])('%s', (text, left, op, right) => {
    const { spec, assumptions } = parsed(text);
    const entry = spec.short ? spec.short.entry : spec.entry;
    expect(conditionsIn(entry)).toEqual([{ op, left, right }]);
    expect(assumptions.join(' ')).toMatch(/read as/);
  });

  it('reads volume and OBV named as confirmations, and says so', () => {
    const { spec, assumptions } = parsed('obv + vwap confluence long on eth 15m');
    expect(conditionsIn(spec.entry)[0]).toEqual({ op: 'rising', left: { kind: 'obv' }, candles: 5 });
    expect(assumptions.join(' ')).toMatch(/OBV rising over 5 candles/);
    const squeeze = parsed('bollinger squeeze then break above upper band with volume, eth 1h').spec;
    expect(conditionsIn(squeeze.entry).at(-1)).toEqual({
      op: 'above',
      left: { kind: 'price', field: 'volume' },
      right: { kind: 'volume_sma', period: 20 },
    });
  });

  it('reads one oscillator named alone as its zones', () => {
    const { spec } = parsed('stoch 14 3 3 with 20/80 levels btc 4h');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: stochK, right: 20 }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: stochK, right: 80 }]);
    // A number no MFI window takes is the level: short at 80.
    expect(conditionsIn(parsed('mfi 80 short on btc perps 4h').spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: { kind: 'mfi', period: 14 }, right: 80 },
    ]);
  });

  it('reads "the 50 crosses the 200" as averages, and says which', () => {
    const { spec, assumptions } = parsed('when the 50 crosses above the 200 on the daily buy btc');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({
      left: { kind: 'sma', period: 50 },
      right: { kind: 'sma', period: 200 },
    });
    expect(assumptions.join(' ')).toMatch(/read as SMA 50 and SMA 200/);
  });

  it('reads "both oversold" for each oscillator named', () => {
    const { spec } = parsed('buy eth when mfi and rsi both oversold on the 4h');
    expect(conditionsIn(spec.entry).map((c) => c.left.kind)).toEqual(['mfi', 'rsi']);
  });

  it('reads RSI for "oversold" with no indicator, and says so', () => {
    const { spec, assumptions } = parsed('oversold bounce on sol, 5 min chart');
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: rsi, right: 30 }]);
    expect(assumptions.join(' ')).toMatch(/No indicator named for oversold/);
  });

  it('takes the direction of a level reached from the level the trade opened at', () => {
    expect(conditionsIn(parsed('btc rsi under 30 on the 5m, sell at 60').spec.exit)).toEqual([
      { op: 'above', left: rsi, right: 60 },
    ]);
    const short = parsed('short sol when rsi 14 crosses below 70 on the 4h, cover at 40').spec.short;
    expect(short && conditionsIn(short.exit)).toEqual([{ op: 'below', left: rsi, right: 40 }]);
  });

  it('reads "sell at rsi 70" as a level, not RSI(70), and "80+" as above 80', () => {
    const { spec } = parsed('sol 4h: buy when rsi crosses above 30 AND macd is above signal, sell at rsi 70');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: rsi, right: 70 }]);
    const short = parsed('short eth on rsi 80+ on the 5m and close at rsi 50, perps').spec.short;
    expect(short && conditionsIn(short.entry)).toEqual([{ op: 'above', left: rsi, right: 80 }]);
    expect(short && conditionsIn(short.exit)).toEqual([{ op: 'below', left: rsi, right: 50 }]);
  });
});

describe('lines named with an idiom', () => {
  const ema21 = { kind: 'ema', period: 21, source: 'close' };
  it('reads a bounce as a dip to the line that closes above it', () => {
    const { spec, assumptions } = parsed(
      'ema 21 bounce on sol daily candles, sell if it closes under the ema',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: { kind: 'price', field: 'low' }, right: ema21 },
      { op: 'above', left: close, right: ema21 },
    ]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'below', left: close, right: ema21 }]);
    expect(assumptions.join(' ')).toMatch(/Read as: low below EMA\(21\)/);
  });

  it('reads "buy the lower band, sell at the middle band" as mean reversion', () => {
    const { spec } = parsed('bnb - buy the lower bollinger band, sell at the middle band');
    const band = (output: string) => ({ kind: 'bollinger', period: 20, stddev: 2, output });
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: close, right: band('lower') }]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'above', left: close, right: band('middle') }]);
  });

  it('reads an N-day high breakout and an exit on the N-day low', () => {
    const { spec } = parsed('donchian 55 breakout on btc daily, exit on the 20 day low');
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'below', left: close, right: { kind: 'donchian', period: 20, output: 'lower' } },
    ]);
  });

  it('reads a Bollinger squeeze breakout and says how', () => {
    const { spec, assumptions } = parsed('bollinger squeeze breakout on eth 1h');
    expect(conditionsIn(spec.entry).map((c) => c.op)).toEqual(['falling', 'crosses_above']);
    expect(assumptions.join(' ')).toMatch(/Bollinger squeeze read as/);
  });

  it('reads "the emas cross back down" as the two averages named, never the last indicator', () => {
    const { spec } = parsed(
      'BTC 1h. Enter long when the 9 EMA crosses above the 21 EMA and RSI is above 50. Get out when the EMAs cross back down.',
    );
    expect(conditionsIn(spec.exit)).toEqual([
      {
        op: 'crosses_below',
        left: { kind: 'ema', period: 9, source: 'close' },
        right: { kind: 'ema', period: 21, source: 'close' },
      },
    ]);
  });

  it('asks about a line named with nothing said of it and nothing else using it', () => {
    expect(refusal('buy btc when rsi below 30 and atr, 1h')).toMatch(/What should ATR 14 do/);
    expect(refusal('buy when obv looks strong, eth daily')).toMatch(/What should OBV do/);
  });

  it('asks about RSI named beside other conditions with no level or direction, never fills 30/70 there', () => {
    expect(refusal('buy btc when macd crosses above signal with rsi, 1h')).toMatch(/What should RSI 14 do/);
    expect(refusal('eth ema 9/21 cross plus rsi confirmation 4h')).toMatch(/What should RSI 14 do/);
  });
});

describe('timeframes, sides and numbers', () => {
  it('trades on the lowest timeframe named and reads the higher one as a filter', () => {
    const { spec } = parsed(
      'long btc on the 1h when stoch is oversold, only if price is above the 4h 200 ema',
    );
    expect(spec.timeframe).toBe('1h');
    expect(spec.informative).toEqual({ timeframe: '4h' });
    const daily = parsed(
      'buy btc when the 20 ema crosses the 50 ema on the 4h but only if the daily is above its 200 ema',
    );
    expect(daily.spec.timeframe).toBe('4h');
    expect(conditionsIn(daily.spec.entry)[1]).toEqual({
      op: 'above',
      left: { kind: 'price', field: 'close', timeframe: '1d' },
      right: { kind: 'ema', period: 200, source: 'close', timeframe: '1d' },
    });
  });

  it('reads "NO longs" as short only, and refuses a side ruled out', () => {
    const { spec } = parsed('death cross short on btc daily, leverage 2x, NO longs');
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(spec.short).toBeDefined();
    expect(refusal('no longs: buy btc when rsi below 30, 1h')).toMatch(/no longs/);
  });

  it('reads numbers written as words', () => {
    const { spec } = parsed('sma fifty and two hundred cross, bitcoin, daily');
    expect(conditionsIn(spec.entry)[0]).toMatchObject({
      left: { kind: 'sma', period: 50 },
      right: { kind: 'sma', period: 200 },
    });
    expect(parsed('20/50 ema cross on the fifteen minute for solana').spec.timeframe).toBe('15m');
  });

  it('joins "but only if" conditions instead of reading them as one comparison', () => {
    const { spec } = parsed('macd cross up but only if rsi is under 50, btc 1hr');
    expect(conditionsIn(spec.entry)[1]).toEqual({ op: 'below', left: rsi, right: 50 });
  });

  it.each([
    ['buy btc when macd crosses above rsi, 1h', /different scales/],
    ['rsi strat on btc using 45 second candles', /aren't supported/],
    ['what timeframe is best for rsi', /question rather than a strategy/],
    ['long and short eth when adx is above 25, 1h, futures', /Say when to go long and when to short/],
  ])('refuses %j', (text, reason) => {
    expect(refusal(text)).toMatch(reason);
  });

  it('sets the widest stop Freqtrade allows when the trader wants none, and says so', () => {
    const { spec, assumptions } = parsed('buy eth when rsi below 30, sell above 70, daily, no stop needed');
    expect(spec.stoploss).toBe(-0.99);
    expect(assumptions.join(' ')).toMatch(/No stop-loss wanted/);
  });
});

// Readings a reviewer found wrong in a first version of the idioms above; each must stay fixed.
describe('readings that once went wrong', () => {
  const sides = (text: string) => {
    const { spec } = parsed(text);
    const words = (group: Parameters<typeof conditionsIn>[0] | undefined) =>
      group === undefined ? [] : conditionsIn(group).map((c) => JSON.stringify(c));
    return {
      entry: words(spec.entry),
      exit: words(spec.exit),
      short: words(spec.short?.entry),
      cover: words(spec.short?.exit),
    };
  };
  const cond = (c: object) => JSON.stringify(c);
  const mfi = { kind: 'mfi', period: 14 };

  it('keeps the exit of "conditions, then action" clauses on its side', () => {
    expect(sides('mfi below 20, buy. mfi above 80, sell.')).toMatchObject({
      entry: [cond({ op: 'below', left: mfi, right: 20 })],
      exit: [cond({ op: 'above', left: mfi, right: 80 })],
    });
  });

  it('reads a higher-timeframe close in an exit clause as the exit', () => {
    const { exit, entry } = sides('buy when rsi under 30, sell when the 4h closes below the 50 ema');
    expect(entry).toEqual([cond({ op: 'below', left: rsi, right: 30 })]);
    expect(exit).toHaveLength(1);
  });

  it('keeps "=>" as "at least" and reads the arrow "->" as "then"', () => {
    expect(sides('buy when rsi =< 30, sell when rsi => 70').exit).toEqual([
      cond({ op: 'above', left: rsi, right: 70 }),
    ]);
    const macd = sides('macd flips green -> buy, flips red -> sell');
    expect(macd.entry).toHaveLength(1);
    expect(macd.exit).toHaveLength(1);
  });

  it('reads leaving a zone as crossing out of it', () => {
    expect(sides('buy when mfi leaves the oversold zone, sell when mfi leaves overbought')).toMatchObject({
      entry: [cond({ op: 'crosses_above', left: mfi, right: 20 })],
      exit: [cond({ op: 'crosses_below', left: mfi, right: 80 })],
    });
  });

  it('reads number words as spoken, never summed', () => {
    expect(sides('ema nine twenty-one cross on eth 15m').entry).toEqual([
      cond({
        op: 'crosses_above',
        left: { kind: 'ema', period: 9, source: 'close' },
        right: { kind: 'ema', period: 21, source: 'close' },
      }),
    ]);
  });

  it('counts an N-day high in candles of the timeframe, and says so', () => {
    const { spec, assumptions } = parsed('buy the 20 day high breakout on the 4h');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'donchian', period: 120, output: 'upper' } },
    ]);
    expect(assumptions.join(' ')).toMatch(/120 candles/);
  });

  it('says back the reading of a short-only exit as built', () => {
    const { spec, assumptions } = parsed('short when rsi above 70, exit at the middle bollinger band');
    const middle = { kind: 'bollinger', period: 20, stddev: 2, output: 'middle' };
    expect(spec.short && conditionsIn(spec.short.exit)).toEqual([
      { op: 'below', left: close, right: middle },
    ]);
    expect(assumptions.join(' ')).toMatch(/close below Bollinger middle/);
  });

  it('keeps the side words of "short only" and reads "no shorts" as no short', () => {
    expect(sides('short only when rsi is above 80, cover at 50').short).toHaveLength(1);
    const { spec, assumptions } = parsed('no shorts, buy when rsi below 30');
    expect(spec.tradingMode).toBe('spot');
    expect(assumptions.join(' ')).not.toMatch(/Shorting needs futures/);
    expect(parsed('buy when price closes above ema 50 with no long upper wick').spec.entry).toBeDefined();
  });

  it.each([
    ['long and short btc: buy when macd crosses up, sell when rsi is above 70', /Say when to go long/],
    ['buy when rsi under 35, sell if it fails to hold the 50 ema', /What should EMA 50 do/],
    ['short when price bounces off the 50 ema, futures', /What should EMA 50 do/],
    ['buy when williams %r is oversold', /don't know the indicator/],
    ['buy when rsi is oversold and stoch is oversold, sell when either is overbought', /Name each/],
    ['buy when mfi and rsi are both under 25, sell when both over 75', /Name each/],
    ['buy when stoch was oversold recently and rsi crosses 50', /candle being traded/],
    ['buy when ema 20 is above ema 50, sell when price closes below the ema', /Which moving average/],
    ['buy when rsi is below 30 unless macd is negative', /"unless"/],
    ['buy the top ten coins when rsi under 30', /pairs you name/],
    ['explain the macd to me', /question rather than a strategy/],
    ['how does a golden cross work', /question rather than a strategy/],
    ['buy when rsi below 30, no stop-loss hunting wicks', /stop-loss/],
  ])('asks about %j', (text, reason) => {
    expect(refusal(text)).toMatch(reason);
  });

  it('reads the bands without "bollinger" and says which bands', () => {
    const { spec, assumptions } = parsed(
      'buy when rsi below 30 and price touches the lower band, sell at the upper band',
    );
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'above', left: close, right: { kind: 'bollinger', period: 20, stddev: 2, output: 'upper' } },
    ]);
    expect(assumptions.join(' ')).toMatch(/Bollinger band/);
  });
});

describe('shorthand traders type', () => {
  it.each([
    [
      'EMA 12 x EMA 26 on eth 2h',
      { op: 'crosses_above', left: { kind: 'ema', period: 12 }, right: { kind: 'ema', period: 26 } },
    ],
    [
      'sma20 sma50 cross btc 1h',
      { op: 'crosses_above', left: { kind: 'sma', period: 20 }, right: { kind: 'sma', period: 50 } },
    ],
    ['Stoch 14 below 20 buy, eth 30m', { op: 'below', left: { kind: 'stochastic', k: 14 }, right: 20 }],
    ['cci 50 period below -200 buy bnb 4h', { op: 'below', left: { kind: 'cci', period: 50 }, right: -200 }],
  ])('%s', (text, first) => {
    expect(conditionsIn(parsed(text).spec.entry)[0]).toMatchObject(first);
  });

  it('reads a stop and a take-profit without "%" after their keyword, and says so', () => {
    const { spec, assumptions } = parsed('RSI Strat BTC 15M Buy 30 Sell 70 Stoploss 4 tp 6');
    expect(spec.stoploss).toBe(-0.04);
    expect(spec.minimalRoi).toEqual({ '0': 0.06 });
    expect(assumptions.join(' ')).toMatch(/Stop-loss "4" read as 4%.*Take-profit "6" read as 6%/);
  });

  it('reads "both are below zero" after a cross as each of its two lines', () => {
    const line = { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'line' };
    const { spec } = parsed('long when macd crosses above signal while both are below zero. eth 4h');
    expect(conditionsIn(spec.entry).slice(1)).toEqual([
      { op: 'below', left: line, right: 0 },
      { op: 'below', left: { ...line, output: 'signal' }, right: 0 },
    ]);
  });

  it('uses the Bollinger settings named before the band', () => {
    const { spec } = parsed('bollinger bands 20 period 2.5 std on bnb 4h, buy lower sell upper');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'below', left: close, right: { kind: 'bollinger', period: 20, stddev: 2.5, output: 'lower' } },
    ]);
  });

  it('reads a turtle N-day breakout on daily candles', () => {
    const { spec } = parsed('turtle 20 day breakout on btc, exit on 10 day low');
    expect(spec.timeframe).toBe('1d');
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: close, right: { kind: 'donchian', period: 20, output: 'upper' } },
    ]);
  });
});

describe('stacked averages', () => {
  it('reads "20/50/200 sma stack" as each average above the slower one, and says so', () => {
    const { spec, assumptions } = parsed('bitcoin daily 20/50/200 sma stack long');
    const sma = (period: number) => ({ kind: 'sma', period, source: 'close' });
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'above', left: sma(20), right: sma(50) },
      { op: 'above', left: sma(50), right: sma(200) },
    ]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'crosses_below', left: sma(20), right: sma(50) }]);
    expect(assumptions.join(' ')).toMatch(/Stacked averages read as/);
  });
});
