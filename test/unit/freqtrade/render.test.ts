// The renderer's promises: byte-stable output (golden files), the spec readable back from the code,
// Python-safe names, and the Freqtrade settings derived from the spec. Rewrite the golden files after an
// intended change with UPDATE_GOLDEN=1 and review the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readSpecFromCode, renderStrategy } from '../../../freqtrade/render.ts';
import {
  type Series,
  type StrategySpec,
  strategyClassName,
  validateSpec,
} from '../../../src/strategy/spec.ts';

function spec(input: unknown): StrategySpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.spec;
}

function render(s: StrategySpec, name: string): string {
  return renderStrategy(s, { className: strategyClassName(name), name });
}

const sma = (period: number) => ({ kind: 'sma', period });
const rsi = { kind: 'rsi', period: 14 };

const GOLDEN: { name: string; spec: StrategySpec }[] = [
  {
    name: 'btc-sma-20-50-1h',
    spec: spec({
      specVersion: 1,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      entry: { all: [{ op: 'crosses_above', left: sma(20), right: sma(50) }] },
      exit: { all: [{ op: 'crosses_below', left: sma(20), right: sma(50) }] },
      stoploss: -0.05,
    }),
  },
  {
    name: 'sol-rsi-30-70-15m',
    spec: spec({
      specVersion: 1,
      timeframe: '15m',
      pairs: ['SOL/USDT'],
      entry: { all: [{ op: 'below', left: rsi, right: 30 }] },
      exit: { all: [{ op: 'above', left: rsi, right: 70 }] },
      stoploss: -0.1,
    }),
  },
  {
    name: 'eth-sol-pullback-4h',
    spec: spec({
      specVersion: 1,
      timeframe: '4h',
      pairs: ['ETH/USDT', 'SOL/USDT'],
      entry: {
        all: [
          {
            op: 'crosses_above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'ema', period: 50, source: 'high' },
          },
          { op: 'crosses_above', left: { kind: 'rsi', period: 7 }, right: 30 },
          {
            op: 'above',
            left: { kind: 'ema', period: 50, source: 'high' },
            right: { kind: 'sma', period: 200 },
          },
        ],
      },
      exit: { all: [] },
      stoploss: -0.025,
      minimalRoi: { '240': 0, '0': 0.1, '60': 0.05 },
      trailingStop: { positive: 0.01, offset: 0.02, onlyOffsetIsReached: true },
      maxOpenTrades: 3,
    }),
  },
];

const goldenUrl = (name: string) =>
  new URL(`../../fixtures/golden/${strategyClassName(name)}.py`, import.meta.url);

describe('renderStrategy golden files', () => {
  it.each(GOLDEN.map((g) => [g.name, g] as const))('%s matches its golden file byte for byte', (name, g) => {
    const code = render(g.spec, name);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenUrl(name), code);
    expect(code).toBe(readFileSync(goldenUrl(name), 'utf8'));
  });
});

const phrasings = z
  .array(z.object({ text: z.string(), name: z.string(), spec: z.unknown() }))
  .parse(JSON.parse(readFileSync(new URL('../../fixtures/phrasings.json', import.meta.url), 'utf8')));
const allSpecs = [...GOLDEN, ...phrasings.map((p) => ({ name: p.name, spec: spec(p.spec) }))];

describe('renderStrategy determinism and round trip', () => {
  it('renders the same bytes for equal specs, whatever their key order', () => {
    const slow: Series = { period: 50, source: 'close', kind: 'sma' };
    const fast: Series = { source: 'close', period: 20, kind: 'sma' };
    const reordered: StrategySpec = {
      stoploss: -0.05,
      minimalRoi: { '0': 10 },
      exit: { all: [{ right: slow, left: fast, op: 'crosses_below' }] },
      entry: { all: [{ right: slow, op: 'crosses_above', left: fast }] },
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      specVersion: 1,
    };
    const g = GOLDEN[0];
    if (g === undefined) throw new Error('missing golden spec');
    expect(render(reordered, g.name)).toBe(render(g.spec, g.name));
  });

  it('renders the same bytes every time', () => {
    for (const g of allSpecs) expect(render(g.spec, g.name)).toBe(render(structuredClone(g.spec), g.name));
  });

  it.each(allSpecs.map((s) => [s.name, s] as const))('reads %s back from its code', (name, s) => {
    expect(readSpecFromCode(render(s.spec, name))).toEqual(s.spec);
  });

  it('finds no spec in code without a valid spec line', () => {
    expect(readSpecFromCode('class Foo(IStrategy):\n    pass\n')).toBeNull();
    expect(readSpecFromCode('# gentrade-spec: {not json\n')).toBeNull();
    expect(readSpecFromCode('# gentrade-spec: {"specVersion":2}\n')).toBeNull();
  });
});

describe('renderStrategy content', () => {
  const golden = (i: number) => {
    const g = GOLDEN[i];
    if (g === undefined) throw new Error(`missing golden spec ${i}`);
    return render(g.spec, g.name);
  };

  it('computes each indicator once, named by kind, period and source', () => {
    const code = golden(2);
    expect(
      code.match(/dataframe\["ema_50_high"\] = ta\.EMA\(dataframe, timeperiod=50, price="high"\)/g),
    ).toHaveLength(1);
    expect(code).toContain('dataframe["sma_200"] = ta.SMA(dataframe, timeperiod=200)');
    expect(code).toContain('dataframe["rsi_7"] = ta.RSI(dataframe, timeperiod=7)');
  });

  it('derives startup_candle_count from the longest warm-up', () => {
    expect(golden(0)).toContain('startup_candle_count = 50\n');
    expect(golden(1)).toContain('startup_candle_count = 42\n');
    expect(golden(2)).toContain('startup_candle_count = 200\n');
  });

  it('parenthesises comparisons so & joins them correctly', () => {
    expect(golden(1)).toContain('& (dataframe["volume"] > 0)');
    expect(golden(1)).toMatch(
      /\(\n {16}\(dataframe\["rsi_14"\] < 30\)\n {16}& \(dataframe\["volume"\] > 0\)\n/,
    );
  });

  it('imports only what the code uses', () => {
    const rsiOnly = golden(1);
    expect(rsiOnly).not.toContain('qtpylib');
    expect(rsiOnly).toContain('import talib.abstract as ta');
    const priceOnly = render(
      spec({
        ...GOLDEN[1]?.spec,
        entry: { all: [{ op: 'above', left: { kind: 'price', field: 'close' }, right: 100 }] },
        exit: { all: [] },
        minimalRoi: { '0': 0.02 },
      }),
      'price-only',
    );
    expect(priceOnly).not.toContain('talib');
    expect(priceOnly).toContain('# The conditions read raw candle columns only; nothing to compute.');
  });

  it('keeps the free-text name from breaking out of comments or the docstring', () => {
    const code = renderStrategy(GOLDEN[0]?.spec ?? spec({}), {
      className: 'Safe',
      name: 'evil"""\nimport os\nos.system("rm -rf /")  # \\',
    });
    expect(code).not.toContain('"""\nimport os');
    expect(code).not.toMatch(/^import os/m);
    expect(code).toContain('# Strategy: evil----import os-os.system--rm -rf /--  - -\n');
    expect(code).toContain('    """evil----import os-os.system--rm -rf /--  - -\n');
    expect(code.split('"""')).toHaveLength(3);
  });

  it('refuses unsafe class names and invalid specs', () => {
    const s = GOLDEN[0]?.spec;
    if (s === undefined) throw new Error('missing golden spec');
    for (const className of ['', 'lower', '1Abc', 'A-B', 'DataFrame', 'A(B)']) {
      expect(() => renderStrategy(s, { className, name: 'x' })).toThrowError(
        expect.objectContaining({ code: 'INTERNAL' }),
      );
    }
    const broken = { ...s, stoploss: 0.5 };
    expect(() => renderStrategy(broken, { className: 'Ok', name: 'x' })).toThrowError(
      expect.objectContaining({ code: 'SPEC_INVALID' }),
    );
  });
});
