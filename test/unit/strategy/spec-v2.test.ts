// Version 2 of the spec language: the new series, conditions, groups, shorts, informative timeframe and
// risk fields, each rejection naming the field and what is allowed; and stored version-1 specs upgrading.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { upgradeSpec, validateSpec } from '../../../src/strategy/spec.ts';

const rsi = { kind: 'rsi', period: 14 };
const base = {
  specVersion: 2,
  timeframe: '1h',
  pairs: ['BTC/USDT'],
  entry: { all: [{ op: 'below', left: rsi, right: 30 }] },
  exit: { all: [{ op: 'above', left: rsi, right: 70 }] },
  stoploss: -0.05,
};
const entry = (condition: unknown) => ({ ...base, entry: { all: [condition] } });
const left = (series: unknown) => entry({ op: 'above', left: series, right: 1 });

function errorsOf(input: unknown): string[] {
  const result = validateSpec(input);
  if (result.ok) throw new Error(`expected errors, got a valid spec: ${JSON.stringify(result.spec)}`);
  return result.errors;
}

describe('validateSpec version 2', () => {
  it('fills in indicator defaults and spot trading', () => {
    const result = validateSpec(left({ kind: 'macd', output: 'histogram' }));
    expect(result.ok && result.spec.tradingMode).toBe('spot');
    expect(result.ok && result.spec.entry).toEqual({
      all: [
        { op: 'above', left: { kind: 'macd', fast: 12, slow: 26, signal: 9, output: 'histogram' }, right: 1 },
      ],
    });
  });

  it('accepts nested any/all groups, shorts on futures, informative series, stake and protections', () => {
    const result = validateSpec({
      ...base,
      tradingMode: 'futures',
      informative: { timeframe: '4h' },
      entry: {
        any: [
          {
            op: 'above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'ema', period: 200, timeframe: '4h' },
          },
          {
            all: [
              { op: 'rising', left: { kind: 'obv' }, candles: 3 },
              { op: 'between', left: rsi, low: 40, high: 60 },
            ],
          },
        ],
      },
      short: { entry: { all: [{ op: 'above', left: rsi, right: 80 }] }, exit: { all: [] } },
      minimalRoi: { '0': 0.05 },
      stakeAmount: 'unlimited',
      protections: {
        cooldownCandles: 3,
        stoplossGuard: { lookbackCandles: 24, tradeLimit: 2, stopCandles: 12 },
      },
    });
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each([
    [
      left({ kind: 'rsi', period: 0 }),
      'entry.all[0].left.period: rsi period must be a whole number 2..200, got 0',
    ],
    [
      left({ kind: 'wma', period: 501 }),
      'entry.all[0].left.period: wma period must be a whole number 2..500, got 501',
    ],
    [
      left({ kind: 'macd', fast: 1, output: 'line' }),
      'entry.all[0].left.fast: macd fast must be a whole number 2..100, got 1',
    ],
    [
      left({ kind: 'macd', fast: 30, slow: 20, output: 'line' }),
      'entry.all[0].left.fast: macd fast must be smaller than macd slow',
    ],
    [
      left({ kind: 'macd', output: 'hist' }),
      'entry.all[0].left.output: macd output must be one of line, signal, histogram, got "hist"',
    ],
    [
      left({ kind: 'bollinger', stddev: 9, output: 'upper' }),
      'entry.all[0].left.stddev: bollinger stddev must be a number 0.5..5, got 9',
    ],
    [
      left({ kind: 'bollinger', output: 'pct' }),
      'entry.all[0].left.output: bollinger output must be one of upper, middle, lower, percent_b, width, got "pct"',
    ],
    [
      left({ kind: 'stochastic', k: 1, output: 'k' }),
      'entry.all[0].left.k: stochastic k must be a whole number 2..100, got 1',
    ],
    [
      left({ kind: 'stochastic', output: 'j' }),
      'entry.all[0].left.output: stochastic output must be one of k, d, got "j"',
    ],
    [
      left({ kind: 'adx', period: 14, output: 'di' }),
      'entry.all[0].left.output: adx output must be one of adx, plus_di, minus_di, got "di"',
    ],
    [
      left({ kind: 'atr', period: 1 }),
      'entry.all[0].left.period: atr period must be a whole number 2..200, got 1',
    ],
    [
      left({ kind: 'cci', period: 201 }),
      'entry.all[0].left.period: cci period must be a whole number 2..200, got 201',
    ],
    [
      left({ kind: 'mfi', period: 0 }),
      'entry.all[0].left.period: mfi period must be a whole number 2..200, got 0',
    ],
    [
      left({ kind: 'vwap', period: 1 }),
      'entry.all[0].left.period: vwap period must be a whole number 2..500, got 1',
    ],
    [
      left({ kind: 'donchian', period: 20, output: 'top' }),
      'entry.all[0].left.output: donchian output must be one of upper, middle, lower, got "top"',
    ],
    [
      left({ kind: 'volume_sma', period: 1 }),
      'entry.all[0].left.period: volume_sma period must be a whole number 2..500, got 1',
    ],
    [left({ kind: 'obv', period: 3 }), 'entry.all[0].left: unknown field "period"'],
    [
      left({ kind: 'hma', period: 9 }),
      'entry.all[0].left.kind: series kind must be one of price, sma, ema, wma, rsi, macd, bollinger, stochastic, atr, adx, cci, mfi, obv, vwap, donchian, volume_sma, got "hma"',
    ],
    [
      entry({ op: 'between', left: rsi, low: 70, high: 30 }),
      'entry.all[0].high: between needs low smaller than high, got low 70 and high 30',
    ],
    [
      entry({ op: 'rising', left: rsi, candles: 0 }),
      'entry.all[0].candles: rising/falling candles must be a whole number 1..100, got 0',
    ],
    [
      entry({ op: 'near', left: rsi, right: 3 }),
      'entry.all[0].op: condition op must be one of crosses_above, crosses_below, above, below, between, rising, falling, got "near"',
    ],
    [
      entry({ any: [{ all: [{ any: [{ op: 'below', left: rsi, right: 30 }] }] }] }),
      'entry.all[0].any[0].op: condition must be an object with op and left (groups nest one level only), got {"all":[{"any":[{"op":"below","left":...',
    ],
    [
      { ...base, entry: { some: [] } },
      'entry: entry must be a group such as {"all":[...]} or {"any":[...]}, got {"some":[]}',
    ],
    [
      { ...base, entry: { any: [] } },
      'entry: entry needs at least one condition (only a strategy with a short side may leave it empty)',
    ],
    [
      { ...base, short: { entry: base.entry, exit: base.exit } },
      'short: short needs tradingMode "futures" (spot markets cannot short), got tradingMode "spot"',
    ],
    [
      { ...base, tradingMode: 'margin' },
      'tradingMode: tradingMode must be one of spot, futures, got "margin"',
    ],
    [
      {
        ...base,
        informative: { timeframe: '15m' },
        entry: { all: [{ op: 'above', left: { kind: 'rsi', period: 14, timeframe: '15m' }, right: 50 }] },
      },
      'informative.timeframe: informative.timeframe must be higher than the strategy timeframe 1h: one of 2h, 4h, 6h, 12h, 1d, got "15m"',
    ],
    [
      left({ kind: 'ema', period: 200, timeframe: '4h' }),
      'entry.all[0].left.timeframe: series timeframe needs an informative timeframe: add "informative": {"timeframe": "4h"} or drop it, got "4h"',
    ],
    [
      { ...left({ kind: 'ema', period: 200, timeframe: '1d' }), informative: { timeframe: '4h' } },
      'entry.all[0].left.timeframe: series timeframe must be the informative timeframe 4h, got "1d"',
    ],
    [
      { ...base, informative: { timeframe: '4h' } },
      'informative: informative.timeframe 4h is not read by any series: give a series "timeframe": "4h" or drop informative',
    ],
    [
      { ...base, stakeAmount: 0 },
      'stakeAmount: stakeAmount must be "unlimited" or a positive number of the stake currency up to 1000000, got 0',
    ],
    [
      { ...base, protections: {} },
      'protections: protections needs cooldownCandles or stoplossGuard; leave protections out for none',
    ],
    [
      { ...base, protections: { stoplossGuard: { lookbackCandles: 24, tradeLimit: 0, stopCandles: 12 } } },
      'protections.stoplossGuard.tradeLimit: stoplossGuard.tradeLimit must be a whole number 1..100, got 0',
    ],
    [{ ...base, specVersion: 3 }, 'specVersion: specVersion must be 1 or 2, got 3'],
  ])('rejects %j with a sentence naming the field and what is allowed', (input, message) => {
    expect(errorsOf(input)).toContain(message);
  });
});

describe('upgradeSpec', () => {
  // The phrasings fixture holds version-1 specs recorded before version 2 and version-2 ones after.
  const stored = z
    .array(z.object({ spec: z.unknown() }))
    .parse(JSON.parse(readFileSync(new URL('../../fixtures/phrasings.json', import.meta.url), 'utf8')))
    .filter(({ spec }) => z.object({ specVersion: z.literal(1) }).safeParse(spec).success);

  it('loads every stored version-1 spec as version 2 with the same strategy', () => {
    expect(stored.length).toBeGreaterThan(20);
    for (const { spec } of stored) {
      expect(spec).toMatchObject({ specVersion: 1 });
      const result = validateSpec(spec);
      if (!result.ok) throw new Error(result.errors.join('\n'));
      const { specVersion, tradingMode, ...rest } = result.spec;
      expect([specVersion, tradingMode]).toEqual([2, 'spot']);
      expect({ ...rest, specVersion: 1 }).toEqual(spec);
    }
  });

  it('is pure: only the version changes and the input is left alone', () => {
    const v1 = {
      specVersion: 1 as const,
      timeframe: '4h' as const,
      pairs: ['ETH/USDT'],
      entry: { all: [{ op: 'below' as const, left: { kind: 'rsi' as const, period: 7 }, right: 25 }] },
      exit: { all: [] },
      stoploss: -0.03,
      minimalRoi: { '0': 0.04 },
      trailingStop: { positive: 0.01, offset: 0.02, onlyOffsetIsReached: true },
      maxOpenTrades: 2,
    };
    const before = structuredClone(v1);
    expect(upgradeSpec(v1)).toEqual({ ...before, specVersion: 2 });
    expect(v1).toEqual(before);
  });

  it('keeps version-1 error sentences for version-1 input', () => {
    expect(
      errorsOf({
        ...base,
        specVersion: 1,
        entry: { all: [{ op: 'above', left: { kind: 'wma', period: 9 }, right: 3 }] },
      }),
    ).toContain('entry.all[0].left.kind: series kind must be one of price, sma, ema, rsi, got "wma"');
  });
});
