// A strategy explained the way a trader tells a friend: the stop and the target in words ("I get out if it
// drops 4% against me", "I'm happy with 8%", "exit at +3% or -1.5%", "cut at 0.5%", "stop half a percent",
// "the stop to be 2% and the target to be 4%, that way I keep 2:1"), "long when the opposite", and a
// condition before "so I short" on a strategy that never buys.
import { describe, expect, it } from 'vitest';
import { conditionsIn } from '../../../../src/strategy/spec-walk.ts';
import { parsed } from '../../../support/parse.ts';

describe('the stop and the target in words', () => {
  it.each([
    [
      'sol 15m buy when rsi dips under 25, sell when it gets back over 60. I get out if it drops 4% against me.',
      -0.04,
      undefined,
    ],
    [
      "sol 4h, MACD crosses up -> buy. MACD crosses down -> sell. I'm happy with 8%, I get out at -4%.",
      -0.04,
      0.08,
    ],
    ['solana 1h buy when price is above the vwap. exit at +3% or -1.5%.', -0.015, 0.03],
    ['ripple 5m buy on a green candle with rsi < 30. Exit after 1% or cut at 0.5%.', -0.005, 0.01],
    [
      'bnb hourly, 20 sma crosses above the 50 sma. I want the stop to be 2% and the target to be 4%, that way I keep 2:1.',
      -0.02,
      0.04,
    ],
    ['btc 15m cci crosses above 100 buy. Stop half a percent.', -0.005, undefined],
    ['eth 1h: short when rsi > 70, cover at 50, perps. I get stopped out at 1.5%.', -0.015, undefined],
  ])('%j', (text, stoploss, roi) => {
    const { spec } = parsed(text);
    expect(spec.stoploss).toBe(stoploss);
    if (roi !== undefined) expect(spec.minimalRoi).toEqual({ '0': roi });
  });

  it('still reads a dip to buy as the entry, never the stop', () => {
    expect(() => parsed('buy eth when it drops 3%, 1h')).toThrow(/what 3% means/);
  });

  it('keeps "three and a half percent" whole', () => {
    expect(
      parsed('sl three and a half percent, tp seven percent, btc 1h sma 20/50 cross').spec.stoploss,
    ).toBe(-0.035);
  });
});

describe('the other side said in passing', () => {
  it('reads "long when the opposite" as the short side turned over, said back', () => {
    const result = parsed(
      'ether 1h: short when rsi > 70 and the 20 ema is under the 50 ema. long when the opposite. futures.',
    );
    expect(conditionsIn(result.spec.entry)).toEqual([
      { op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 },
      {
        op: 'above',
        left: { kind: 'ema', period: 20, source: 'close' },
        right: { kind: 'ema', period: 50, source: 'close' },
      },
    ]);
    expect(result.assumptions.join(' ')).toMatch(/"long when the opposite" read as/);
  });

  it('puts a condition before "so I short" on the short side when nothing buys', () => {
    const { spec, assumptions } = parsed(
      'Solana perps, 1h. When price is under the 200 ema the trend is down, so I short the rallies: RSI above 65 is my entry, and I cover when RSI drops to 35. 2% stop, because sol squeezes hard.',
    );
    expect(conditionsIn(spec.entry)).toEqual([]);
    expect(conditionsIn(spec.short?.entry ?? { all: [] })).toEqual([
      { op: 'above', left: { kind: 'rsi', period: 14 }, right: 65 },
      {
        op: 'below',
        left: { kind: 'price', field: 'close' },
        right: { kind: 'ema', period: 200, source: 'close' },
      },
    ]);
    // "sol squeezes hard" is no Bollinger squeeze.
    expect(conditionsIn(spec.short?.exit ?? { all: [] })).toHaveLength(1);
    expect(assumptions.join(' ')).toMatch(/read as part of the short entry/);
  });
});

describe('more of how it is told', () => {
  const ema = (period: number) => ({ kind: 'ema', period, source: 'close' });

  it.each([
    ['shorting bitcoin on the 15: when MFI gets above 85, short. Cover at MFI 50. perps, 1% stop', '15m'],
    ['I trade ether on the 15 but I only want longs when rsi crosses back above 30. Exit at RSI 70.', '15m'],
  ])('%j reads "on the 15" as the 15-minute chart', (text, timeframe) => {
    expect(parsed(text).spec.timeframe).toBe(timeframe);
  });

  it.each([
    ['btc and eth and bnb, 4 hours. macd signal cross, usual settings. 3 max trades, 5% stop.', 3],
    ['3 trades max, 5m, ema 8 crosses 13, eth sol xrp', 3],
  ])('%j caps the open trades', (text, cap) => {
    expect(parsed(text).spec.maxOpenTrades).toBe(cap);
  });

  it.each([
    ['solana 4h chart, buy when the 20 ema crosses above the 50 ema, and trail a stop 2 ATR below.', 2],
    [
      'btc 4h: enter when price closes above the 50 ema, and trail the stop 3 ATR below the highest close.',
      3,
    ],
    ['btc perps daily donchian 20 breakout, long on a new 20 day high. trail the stop with ATR.', 2],
  ])('%j is an ATR trailing stop', (text, multiplier) => {
    expect(parsed(text).spec.atrStop).toEqual({ period: 14, multiplier, trailing: true });
  });

  it('reads "trail 2% behind price" as a 2% trailing stop', () => {
    const { spec } = parsed(
      'buy bitcoin hourly when the 10 sma crosses over the 30 sma, and trail 2% behind price.',
    );
    expect(spec.stoploss).toBe(-0.02);
    expect(spec.trailingStop).toBeDefined();
  });

  it('reads "the 13" as the 13 EMA named before, and a third average beside a cross', () => {
    const { spec } = parsed(
      'ether 15m. go long when the 8 ema crosses above the 13 ema and the 13 is above the 21. exit when the 8 crosses back below the 13. stop 1%.',
    );
    expect(conditionsIn(spec.entry)).toEqual([
      { op: 'crosses_above', left: ema(8), right: ema(13) },
      { op: 'above', left: ema(13), right: ema(21) },
    ]);
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'crosses_below', left: ema(8), right: ema(13) }]);
  });

  it.each([
    ['btc 1h rsi <30 buy >70 sell, max 3', 'above', 70],
    ['xrp 5m rsi 7 <20 long >50 out, sl 0.8 tp 1.2', 'above', 50],
  ])('%j reads the level after the last action as its exit', (text, op, level) => {
    expect(conditionsIn(parsed(text).spec.exit)[0]).toMatchObject({ op, right: level });
  });

  it('reads "3 green closes in a row" as three green candles', () => {
    expect(conditionsIn(parsed('bnb 1d 3 green closes in a row long, tp 6 sl 3').spec.entry)).toHaveLength(3);
  });

  it('reads "watching MACD. MACD crosses up" as the one MACD', () => {
    expect(conditionsIn(parsed('sol 4h, watching MACD. MACD crosses up -> buy.').spec.entry)).toHaveLength(1);
  });

  it('asks about "pulls back to touch the 50, then closes green": a later step', () => {
    expect(() =>
      parsed(
        'eth 1h, long when the 50 ema is above the 200 ema and price pulls back to touch the 50, then closes green.',
      ),
    ).toThrow(/as one candle/);
  });
});

describe('settings, reasons and exits said in passing', () => {
  const band = (output: string, stddev = 2) => ({ kind: 'bollinger', period: 20, stddev, output });
  const close = { kind: 'price', field: 'close' };

  it('reads "exit mid" as the Bollinger middle on both sides of a two-way breakout', () => {
    const { spec } = parsed('xrp perps 1h both ways bb breakout, exit mid, sl 2');
    expect(conditionsIn(spec.exit)).toEqual([{ op: 'crosses_below', left: close, right: band('middle') }]);
    expect(conditionsIn(spec.short?.exit ?? { all: [] })).toEqual([
      { op: 'crosses_above', left: close, right: band('middle') },
    ]);
  });

  it('reads "bollinger 20 and 2.5 standard deviations" as the bands\' settings', () => {
    const { spec } = parsed(
      'Daily candles on ripple, bollinger 20 and 2.5 standard deviations. buy closes under the lower band, sell closes over the upper band.',
    );
    expect(conditionsIn(spec.entry)).toEqual([{ op: 'below', left: close, right: band('lower', 2.5) }]);
  });

  it('reads "the lowest low of the last 15" as a 15-candle channel', () => {
    const { spec } = parsed(
      'eth 4h. Buy when price breaks the highest high of the last 30 candles. Sell on the lowest low of the last 15.',
    );
    expect(conditionsIn(spec.exit)).toEqual([
      { op: 'below', left: close, right: { kind: 'donchian', period: 15, output: 'lower' } },
    ]);
  });

  it('leaves out a reason that names no indicator, and keeps one that does', () => {
    const { spec } = parsed(
      'eth 1h: when the candle closes above the upper bollinger band and volume is above its average, I buy because that is a real breakout, not a fake one. I get out if it drops 2% against me.',
    );
    expect(conditionsIn(spec.entry)).toHaveLength(2);
    // A reason that names an indicator stays in the text the readers see.
    expect(
      conditionsIn(parsed('buy eth 1h when price > ema 200 because rsi is oversold then, tp 5%').spec.entry),
    ).toContainEqual({ op: 'below', left: { kind: 'rsi', period: 14 }, right: 30 });
  });

  it('reads "no fixed take profit" beside a trailing ATR stop as no take-profit', () => {
    const { spec } = parsed(
      'bitcoin 4h: enter when price closes above the 50 ema, and trail the stop 3 ATR below the highest close. no fixed take profit.',
    );
    expect(spec.atrStop).toEqual({ period: 14, multiplier: 3, trailing: true });
  });
});
