// The spec language's contract: what it accepts, the defaults it fills in, and that every rejection
// names the field and what is allowed, because these sentences reach traders and the agent verbatim.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { normalizeStrategyName, strategyClassName, validateSpec } from '../../../src/strategy/spec.ts';

const sma = (period: number) => ({ kind: 'sma', period });
const base = {
  specVersion: 1,
  timeframe: '1h',
  pairs: ['BTC/USDT'],
  entry: { all: [{ op: 'crosses_above', left: sma(20), right: sma(50) }] },
  exit: { all: [{ op: 'crosses_below', left: sma(20), right: sma(50) }] },
  stoploss: -0.05,
};

function errorsOf(input: unknown): string[] {
  const result = validateSpec(input);
  if (result.ok) throw new Error(`expected errors, got a valid spec: ${JSON.stringify(result.spec)}`);
  return result.errors;
}

describe('validateSpec', () => {
  it('accepts a minimal version-1 spec, upgrades it and fills in defaults', () => {
    const result = validateSpec(base);
    expect(result).toEqual({
      ok: true,
      spec: {
        ...base,
        specVersion: 2,
        tradingMode: 'spot',
        entry: {
          all: [
            {
              op: 'crosses_above',
              left: { ...sma(20), source: 'close' },
              right: { ...sma(50), source: 'close' },
            },
          ],
        },
        exit: {
          all: [
            {
              op: 'crosses_below',
              left: { ...sma(20), source: 'close' },
              right: { ...sma(50), source: 'close' },
            },
          ],
        },
        minimalRoi: { '0': 10 },
      },
    });
  });

  it('accepts trailing stops, ROI tables, level crosses and an open-trade cap', () => {
    const result = validateSpec({
      ...base,
      entry: { all: [{ op: 'crosses_above', left: { kind: 'rsi', period: 14 }, right: 30 }] },
      exit: { all: [] },
      minimalRoi: { '0': 0.1, '60': 0.05 },
      trailingStop: { positive: 0.01, offset: 0.02 },
      maxOpenTrades: 3,
    });
    expect(result.ok && result.spec.trailingStop).toEqual({
      positive: 0.01,
      offset: 0.02,
      onlyOffsetIsReached: false,
    });
  });

  it.each([
    [
      { ...base, entry: { all: [{ op: 'below', left: { kind: 'rsi', period: 0 }, right: 30 }] } },
      'entry.all[0].left.period: rsi period must be a whole number 2..200, got 0',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: sma(1), right: sma(50) }] } },
      'entry.all[0].left.period: sma period must be a whole number 2..500, got 1',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: { kind: 'ema', period: 20.5 }, right: sma(50) }] } },
      'entry.all[0].left.period: ema period must be a whole number 2..500, got 20.5',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: sma(20), right: { kind: 'rsi', period: 300 } }] } },
      'entry.all[0].right.period: rsi period must be a whole number 2..200, got 300',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: { kind: 'wma', period: 9 }, right: 3 }] } },
      'entry.all[0].left.kind: series kind must be one of price, sma, ema, rsi, got "wma"',
    ],
    [
      { ...base, entry: { all: [{ op: 'between', left: sma(20), right: 3 }] } },
      'entry.all[0].op: condition op must be one of crosses_above, crosses_below, above, below, got "between"',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: { kind: 'price', field: 'hlc3' }, right: 3 }] } },
      'entry.all[0].left.field: price field must be one of open, high, low, close, volume, got "hlc3"',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: sma(20), right: 'x' }] } },
      'entry.all[0].right: right side must be a number or a series, got "x"',
    ],
    [
      { ...base, entry: { all: [{ op: 'above', left: sma(20), right: sma(20) }] } },
      'entry.all[0].right: condition compares a series with itself; use two different series',
    ],
    [{ ...base, entry: { all: [] } }, 'entry.all: entry needs at least one condition'],
    [
      { ...base, timeframe: '1w' },
      'timeframe: timeframe must be one of 1m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, got "1w"',
    ],
    [
      { ...base, pairs: ['btcusdt'] },
      'pairs[0]: pair must look like BASE/QUOTE in capitals, e.g. BTC/USDT, got "btcusdt"',
    ],
    [{ ...base, pairs: [] }, 'pairs: pairs needs at least one pair, e.g. ["BTC/USDT"]'],
    [{ ...base, pairs: ['BTC/USDT', 'BTC/USDT'] }, 'pairs: pairs must not repeat a pair'],
    [
      { ...base, stoploss: 0.05 },
      'stoploss: stoploss must be a ratio between -0.99 and -0.001 (negative, e.g. -0.05 for a 5% stop), got 0.05',
    ],
    [{ ...base, specVersion: 3 }, 'specVersion: specVersion must be 1 or 2, got 3'],
    [
      { ...base, minimalRoi: { ten: 0.1 } },
      'minimalRoi.ten: minimalRoi keys must be minutes as digits, e.g. "0" or "30", got "ten"',
    ],
    [
      { ...base, minimalRoi: { '0': -1 } },
      'minimalRoi.0: minimalRoi target must be a ratio between 0 and 10 (e.g. 0.1 for 10%), got -1',
    ],
    [{ ...base, minimalRoi: {} }, 'minimalRoi: minimalRoi needs at least one entry, e.g. {"0": 0.1}'],
    [
      { ...base, trailingStop: { offset: 0.02 } },
      'trailingStop.offset: trailingStop.offset needs trailingStop.positive and must be greater than it',
    ],
    [
      { ...base, trailingStop: { positive: 0.02, offset: 0.01 } },
      'trailingStop.offset: trailingStop.offset needs trailingStop.positive and must be greater than it',
    ],
    [
      { ...base, trailingStop: { onlyOffsetIsReached: true } },
      'trailingStop.onlyOffsetIsReached: trailingStop.onlyOffsetIsReached needs trailingStop.offset',
    ],
    [{ ...base, maxOpenTrades: 0 }, 'maxOpenTrades: maxOpenTrades must be a whole number 1..100, got 0'],
    [
      { ...base, exit: { all: [] } },
      'a strategy needs a way to take profit: add an exit condition, a minimalRoi target or a trailing stop',
    ],
    [{ ...base, shortable: true }, 'unknown field "shortable"'],
    [null, 'spec must be a JSON object, got null'],
  ])('rejects %j with a sentence naming the field', (input, message) => {
    expect(errorsOf(input)).toContain(message);
  });

  it('reports missing fields and every problem at once', () => {
    expect(errorsOf({ specVersion: 1, timeframe: '1h' })).toEqual([
      'pairs: pairs must be a list such as ["BTC/USDT"]',
      'entry: missing',
      'exit: missing',
      'stoploss: stoploss must be a ratio between -0.99 and -0.001 (negative, e.g. -0.05 for a 5% stop), got nothing',
    ]);
  });
});

describe('strategyClassName', () => {
  it.each([
    ['btc-sma-20-50-1h', 'BtcSma20501h'],
    ['sol-rsi-30-70-15m', 'SolRsi307015m'],
    ['BTC SMA cross', 'BtcSmaCross'],
    ['1h-scalper', 'Strategy1hScalper'],
    ['crème-brûlée', 'CremeBrulee'],
    ['data-frame', 'DataFrameStrategy'],
    ['i-strategy', 'IStrategyStrategy'],
    ['none', 'NoneStrategy'],
    ['', 'Strategy'],
    ['"""; import os', 'ImportOs'],
  ])('%j -> %s', (name, expected) => {
    expect(strategyClassName(name)).toBe(expected);
  });

  it('always gives a Python identifier that starts with a capital letter', () => {
    for (const name of ['a', '-', '9', '__init__', 'x'.repeat(60), 'ünï', '\n\t']) {
      expect(strategyClassName(name)).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });
});

describe('normalizeStrategyName', () => {
  it.each([
    ['BTC SMA 20/50 (1h)', 'btc-sma-20-50-1h'],
    ['  my--strategy__v2  ', 'my-strategy-v2'],
    ['Crème Brûlée', 'creme-brulee'],
    ['btc-sma-20-50-1h', 'btc-sma-20-50-1h'],
  ])('%j -> %s', (text, expected) => {
    expect(normalizeStrategyName(text)).toBe(expected);
  });

  it('cuts long names at a dash, within 48 characters', () => {
    const name = normalizeStrategyName('alpha beta gamma delta epsilon zeta eta theta iota kappa');
    expect(name).toBe('alpha-beta-gamma-delta-epsilon-zeta-eta-theta');
    expect(name.length).toBeLessThanOrEqual(48);
    expect(normalizeStrategyName('x'.repeat(60))).toBe('x'.repeat(48));
  });

  it('refuses names with no letters or digits', () => {
    for (const text of ['!!! ---', '', '   ']) {
      expect(() => normalizeStrategyName(text)).toThrowError(AppError);
      expect(() => normalizeStrategyName(text)).toThrowError(expect.objectContaining({ code: 'BAD_INPUT' }));
    }
  });
});
