// A distance said the ways traders say it: "closes 10% under the 50 sma", "when it's more than 8% below the
// 100 ema", "25% or more under", a candle "closes 3% above the open", and the close a distance under a
// recent high ("down 20% from its 14 day high", "a 10% pullback from the 20 bar high").
import { describe, expect, it } from 'vitest';
import { describeGroup } from '../../../../src/strategy/describe.ts';
import { parsed } from '../../../support/parse.ts';

const entry = (text: string) => describeGroup(parsed(text).spec.entry);

describe('a distance from a line, said otherwise', () => {
  it.each([
    ['btc daily - buy when price closes 10% under the 50 sma', 'close below 0.9 x SMA(50)'],
    [
      'btc 1d buy when it closes 10% below the 50 sma, sell when it closes above it',
      'close below 0.9 x SMA(50)',
    ],
    [
      "Long ETH when it's more than 8% below the 100 EMA on the daily, sell when it gets back to the EMA",
      'close below 0.92 x EMA(100)',
    ],
    ["solana, 1 hour, buy when it's 5% under the 20 ema, sell at the 20 ema", 'close below 0.95 x EMA(20)'],
    [
      'btc 1d buy when price is 25% or more under the 200 sma, sell at 20% profit',
      'close below 0.75 x SMA(200)',
    ],
    ['eth 1h buy when price is at least 3% below vwap, sell above vwap', 'close below 0.97 x VWAP(24)'],
  ])('%s', (text, said) => {
    expect(entry(text)).toBe(said);
  });

  it('reads a short side the same way', () => {
    const { spec } = parsed("short btc when it's 15% above the 20 ema on the 1h, futures");
    expect(describeGroup(spec.short?.entry ?? { all: [] })).toBe('close above 1.15 x EMA(20)');
  });
});

describe("a candle's close a distance from its open", () => {
  it.each([
    ['bnb, buy when the candle closes 3% above the open on the hourly', 'close above 1.03 x open'],
    ['eth 1h buy when the candle closes 2% below its open, sell at 3% profit', 'close below 0.98 x open'],
  ])('%s', (text, said) => {
    expect(entry(text)).toBe(said);
  });
});

describe('the close a distance under a recent high', () => {
  it.each([
    ['buy sol if down 20% from its 14 day high on the daily chart', 'close below 0.8 x Donchian upper(14)'],
    ['bnb 4h long on 10% pullback from 20 bar high', 'close below 0.9 x Donchian upper(20)'],
    [
      'eth 1h buy when price is 5% below the 20 bar high, sell at 3% profit',
      'close below 0.95 x Donchian upper(20)',
    ],
    ['btc 4h buy when price is 2% above the 20-candle high', 'close above 1.02 x Donchian upper(20)'],
    [
      'buy BTC when it is 10% off the 30-day high on 4h, take profit 5%',
      'close below 0.9 x Donchian upper(180)',
    ],
  ])('%s', (text, said) => {
    expect(entry(text)).toBe(said);
  });
});

describe('a take-profit in more words', () => {
  it.each([
    ['buy bnb when it dumps 7% in a day, sell once its back up 5%', 0.05],
    ['buy solana after it drops 15% in a week, hold till +10%', 0.1],
    ['shorting eth on 15m when it loses the vwap, cover at 1.5%', 0.015],
    ['eth 1h buy when rsi below 30, sell at 3%', 0.03],
    ['short eth 1h futures when rsi above 70, cover after a 3% pullback', 0.03],
  ])('%s', (text, target) => {
    expect(parsed(text).spec.minimalRoi).toEqual({ '0': target });
  });
});

describe('an exit at the line the entry is a distance from', () => {
  it('closes the trade back at the line, from the side the entry was on, however many conditions came between', () => {
    const { spec } = parsed(
      'buy BTC on 1h when close is more than 3% below the 50 sma and RSI under 35, exit at the sma',
    );
    expect(describeGroup(spec.exit)).toBe('close above SMA(50)');
  });
});

describe('a distance under a recent high beside a stop', () => {
  it('is the entry, and the stop the one said (was "more than one stop-loss")', () => {
    const { spec } = parsed(
      "buy SOL on 1d when it's down 20% from its 14 day high, take profit 10%, stop 7%",
    );
    expect([describeGroup(spec.entry), spec.stoploss]).toEqual([
      'close below 0.8 x Donchian upper(14)',
      -0.07,
    ]);
  });
});

describe('an indicator named again without its period', () => {
  it.each([
    ['buy when cci 14 below -100, sell when cci above 100 eth 1h', 'CCI(14) below -100', 'CCI(14) above 100'],
    [
      'bitcoin strategy with cci, period 14, buy cci < -100, sell cci > 100, 1 hour',
      'CCI(14) below -100',
      'CCI(14) above 100',
    ],
  ])('is the one named before, said back: %s', (text, entry, exit) => {
    const read = parsed(text);
    expect([describeGroup(read.spec.entry), describeGroup(read.spec.exit)]).toEqual([entry, exit]);
    expect(read.assumptions.join('\n')).toMatch(/named again without its period/);
  });
});

describe("a Donchian channel's lines said otherwise", () => {
  it.each([
    [
      'Buy BTC on 1h when the close is above the 20-period Donchian midline and ADX(14) > 20. Exit when close falls below the midline.',
      'close above Donchian middle(20) and ADX(14) above 20',
      'close below Donchian middle(20)',
    ],
    [
      'buy when price closes above the middle of the 20 period donchian, sell when below. 4h. xrp',
      'close above Donchian middle(20)',
      'close below Donchian middle(20)',
    ],
    [
      'For bitcoin 4h, I use a 20 period donchian channel. When price closes above the upper channel line, go long; when it closes below the middle line, exit.',
      'close above Donchian upper(20)',
      'close below Donchian middle(20)',
    ],
  ])('%s', (text, entry, exit) => {
    const { spec } = parsed(text);
    expect([describeGroup(spec.entry), describeGroup(spec.exit)]).toEqual([entry, exit]);
  });
});

it('reads "volume above average on that candle" as the candle traded', () => {
  const { spec } = parsed(
    'eth 2h, buy when rsi crosses above 50 with above-average volume on that candle, sell when rsi falls back under 50',
  );
  expect(describeGroup(spec.entry)).toBe('RSI(14) crosses above 50 and volume above volume SMA(20)');
});

it('says each distance back in the words it read', () => {
  const { assumptions } = parsed(
    'buy SOL on 1d when price is down 20% from its 14 day high, take profit 10%, stop 7%',
  );
  expect(assumptions).toContain(
    '"price is down 20% from its 14 day high" read as: close below 0.8 x Donchian upper(14).',
  );
});
