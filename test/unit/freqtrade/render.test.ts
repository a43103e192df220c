// The renderer's promises: byte-stable output (golden files), the spec readable back from the code,
// Python-safe names, and the Freqtrade settings derived from the spec. Rewrite the golden files after an
// intended change with UPDATE_GOLDEN=1 and review the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readSpecFromCode, renderStrategy } from '../../../freqtrade/render.ts';
import { type StrategySpec, strategyClassName, validateSpec } from '../../../src/strategy/spec.ts';
import { GOLDEN } from '../../fixtures/golden/specs.ts';

function spec(input: unknown): StrategySpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.spec;
}

function render(s: StrategySpec, name: string): string {
  return renderStrategy(s, { className: strategyClassName(name), name });
}

function golden(name: string): string {
  const g = GOLDEN.find((x) => x.name === name);
  if (g === undefined) throw new Error(`missing golden spec ${name}`);
  return render(g.spec, g.name);
}

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
    const slow = { period: 50, source: 'close', kind: 'sma' } as const;
    const fast = { source: 'close', period: 20, kind: 'sma' } as const;
    const reordered: StrategySpec = {
      stoploss: -0.05,
      minimalRoi: { '0': 10 },
      exit: { all: [{ right: slow, left: fast, op: 'crosses_below' }] },
      entry: { all: [{ right: slow, op: 'crosses_above', left: fast }] },
      tradingMode: 'spot',
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      specVersion: 2,
    };
    expect(render(reordered, 'btc-sma-20-50-1h')).toBe(golden('btc-sma-20-50-1h'));
  });

  it('renders the same bytes every time', () => {
    for (const g of allSpecs) expect(render(g.spec, g.name)).toBe(render(structuredClone(g.spec), g.name));
  });

  it.each(allSpecs.map((s) => [s.name, s] as const))('reads %s back from its code', (name, s) => {
    expect(readSpecFromCode(render(s.spec, name))).toEqual(s.spec);
  });

  it('reads a version-1 spec line from code rendered before version 2, upgraded', () => {
    const old = readFileSync(new URL('../../fixtures/golden/v1/BtcSma20501h.py', import.meta.url), 'utf8');
    expect(old).toContain('"specVersion":1');
    expect(readSpecFromCode(old)).toEqual(GOLDEN[0]?.spec);
  });

  it('finds no spec in code without a valid spec line', () => {
    expect(readSpecFromCode('class Foo(IStrategy):\n    pass\n')).toBeNull();
    expect(readSpecFromCode('# gentrade-spec: {not json\n')).toBeNull();
    expect(readSpecFromCode('# gentrade-spec: {"specVersion":2}\n')).toBeNull();
  });
});

describe('renderStrategy content', () => {
  it('computes each indicator once, named by kind, period and source', () => {
    const code = golden('eth-sol-pullback-4h');
    expect(
      code.match(/dataframe\["ema_50_high"\] = ta\.EMA\(dataframe, timeperiod=50, price="high"\)/g),
    ).toHaveLength(1);
    expect(code).toContain('dataframe["sma_200"] = ta.SMA(dataframe, timeperiod=200)');
    expect(code).toContain('dataframe["rsi_7"] = ta.RSI(dataframe, timeperiod=7)');
  });

  it('computes OBV before an average or a channel of it, once, on either side', () => {
    const obv = { kind: 'obv' } as const;
    const code = render(
      spec({
        specVersion: 2,
        timeframe: '4h',
        pairs: ['ETH/USDT'],
        entry: {
          all: [
            {
              op: 'above',
              left: obv,
              right: { kind: 'donchian', period: 20, output: 'upper', source: 'obv' },
            },
            { op: 'crosses_above', left: obv, right: { kind: 'ema', period: 21, source: 'obv' } },
          ],
        },
        exit: {
          all: [
            {
              op: 'below',
              left: obv,
              right: { kind: 'donchian', period: 10, output: 'lower', source: 'obv' },
            },
          ],
        },
        stoploss: -0.1,
      }),
      'eth-obv-4h',
    );
    const lines = code.split('\n').map((l) => l.trim());
    const at = (line: string) => lines.indexOf(line);
    expect(lines.filter((l) => l.startsWith('dataframe["obv"] ='))).toEqual([
      'dataframe["obv"] = ta.OBV(dataframe)',
    ]);
    const first = at('dataframe["obv"] = ta.OBV(dataframe)');
    expect(
      at('dataframe["donchian_upper_20_obv"] = dataframe["obv"].rolling(20).max().shift(1)'),
    ).toBeGreaterThan(first);
    expect(at('dataframe["ema_21_obv"] = ta.EMA(dataframe, timeperiod=21, price="obv")')).toBeGreaterThan(
      first,
    );
    expect(
      at('dataframe["donchian_lower_10_obv"] = dataframe["obv"].rolling(10).min().shift(1)'),
    ).toBeGreaterThan(first);
    expect(code).toContain('("OBV above OBV Donchian upper(20)"');
  });

  it('trails an ATR stop from the best price since the entry, on closed candles only', () => {
    const base = {
      specVersion: 2,
      timeframe: '4h',
      pairs: ['ETH/USDT'],
      entry: { all: [{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 50 }] },
      exit: { all: [] },
      stoploss: -0.1,
    };
    const trailing = render(spec({ ...base, atrStop: { period: 14, multiplier: 2.5, trailing: true } }), 'x');
    expect(trailing).toContain('candles = dataframe.loc[dataframe["date"] < current_time]');
    expect(trailing).toContain('distance = 2.5 * candles["atr_14"].iloc[-1]');
    expect(trailing).toContain(
      'best = trade.open_rate if held.empty else max(trade.open_rate, held["high"].max())',
    );
    expect(trailing).toContain(
      'best = trade.open_rate if held.empty else min(trade.open_rate, held["low"].min())',
    );
    // A fixed ATR stop takes no profit by itself: this one needs a target.
    const fixed = render(
      spec({ ...base, minimalRoi: { '0': 0.05 }, atrStop: { period: 14, multiplier: 2.5 } }),
      'x',
    );
    expect(fixed).toContain('candles = dataframe.loc[dataframe["date"] <= trade.open_date_utc]');
    expect(fixed).not.toContain('held');
  });

  it('shares one TA-Lib call between the outputs of MACD and Bollinger Bands', () => {
    const code = golden('btc-macd-bollinger-1h');
    expect(code.match(/= ta\.MACD\(/g)).toHaveLength(1);
    expect(code).toContain('dataframe["macd_12_26_9"] = macd["macd"]');
    expect(code).toContain('dataframe["macd_signal_12_26_9"] = macd["macdsignal"]');
    expect(code).toContain('dataframe["macd_hist_12_26_9"] = macd["macdhist"]');
    expect(code.match(/= ta\.BBANDS\(/g)).toHaveLength(1);
    expect(code).toContain(
      'dataframe["bb_percent_b_20_2"] = (dataframe["close"] - bollinger["lowerband"]) / (bollinger["upperband"] - bollinger["lowerband"])',
    );
  });

  it('derives startup_candle_count from the longest warm-up, informative candles scaled', () => {
    expect(golden('btc-sma-20-50-1h')).toContain('startup_candle_count = 50\n');
    expect(golden('sol-rsi-30-70-15m')).toContain('startup_candle_count = 42\n');
    expect(golden('eth-sol-pullback-4h')).toContain('startup_candle_count = 200\n');
    // EMA 50 on 4h: 150 four-hour candles of warm-up are 600 one-hour candles.
    expect(golden('eth-trend-4h-confirm-1h')).toContain('startup_candle_count = 600\n');
  });

  it('reads a price candles before through shift, warming up that many candles, and reads the spec back', () => {
    const s = spec({
      specVersion: 2,
      timeframe: '1d',
      pairs: ['BTC/USDT'],
      entry: {
        all: [
          {
            op: 'below',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'price', field: 'close', ago: 3 },
            times: 0.9,
          },
          {
            op: 'above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'price', field: 'high', ago: 1 },
          },
        ],
      },
      exit: { all: [] },
      stoploss: -0.1,
      minimalRoi: { '0': 0.05 },
    });
    const code = render(s, 'btc-drop-1d');
    expect(code).toContain('dataframe["close"].shift(3)');
    expect(code).toContain('dataframe["high"].shift(1)');
    expect(code).toContain('startup_candle_count = 3\n');
    expect(code).toContain('close 3 candles ago');
    expect(readSpecFromCode(code)).toEqual(s);
  });

  it('labels each top-level entry condition and combines them with reduce', () => {
    const code = golden('btc-macd-bollinger-1h');
    expect(code).toContain(
      'def gentrade_entry_conditions(self, dataframe: DataFrame) -> list[tuple[str, Series]]:',
    );
    expect(code).toContain('("MACD(12,26,9) crosses above MACD signal(12,26,9)", ');
    expect(code).toContain('("(Bollinger %B(20,2) below 0.5 or RSI(14) between 40 and 60)", ');
    expect(code).toContain('enter_long = reduce(lambda a, b: a & b, conditions)');
  });

  it('reads the informative timeframe through @informative and suffixed columns', () => {
    const code = golden('eth-trend-4h-confirm-1h');
    expect(code).toContain('from freqtrade.strategy import IStrategy, informative\n');
    expect(code).toContain(
      '    @informative("4h")\n    def populate_indicators_4h(self, dataframe: DataFrame, metadata: dict) -> DataFrame:\n        dataframe["ema_50"] = ta.EMA(dataframe, timeperiod=50)\n',
    );
    expect(code).toContain('("close above 4h EMA(50)", (dataframe["close"] > dataframe["ema_50_4h"])),');
  });

  it('shorts only on futures, with both sides in the signals', () => {
    const code = golden('btc-futures-long-short-1h');
    expect(code).toContain('    can_short = True\n');
    expect(code).toContain('enter_long = reduce(lambda a, b: a & b, conditions[:3])');
    expect(code).toContain('enter_short = reduce(lambda a, b: a & b, conditions[3:])');
    expect(code).toContain('"enter_short"] = 1');
    expect(code).toContain('"exit_short",');
    expect(code).toContain('("short: MFI(14) above 70", ');
    expect(golden('btc-sma-20-50-1h')).toContain('    can_short = False\n');
  });

  it('writes protections and a fixed stake', () => {
    const code = golden('btc-macd-bollinger-1h');
    expect(code).toContain('{"method": "CooldownPeriod", "stop_duration_candles": 2},');
    expect(code).toContain('"method": "StoplossGuard",');
    expect(code).toContain('return min(max(100.0, min_stake or 0.0), max_stake)');
  });

  it('imports only what the code uses, from the allowed modules', () => {
    const rsiOnly = golden('sol-rsi-30-70-15m');
    expect(rsiOnly).not.toContain('qtpylib');
    expect(rsiOnly).not.toContain('datetime');
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
    for (const g of GOLDEN) {
      const modules = [...golden(g.name).matchAll(/^(?:from (\S+) import|import (\S+))/gm)].map(
        (m) => m[1] ?? m[2],
      );
      for (const m of modules)
        expect(['datetime', 'functools', 'talib.abstract', 'freqtrade.strategy', 'pandas']).toContain(m);
    }
  });

  it('keeps the free-text name from breaking out of comments or the docstring', () => {
    const s = GOLDEN[0]?.spec;
    if (s === undefined) throw new Error('missing golden spec');
    const code = renderStrategy(s, {
      className: 'Safe',
      name: 'evil"""\nimport os\nos.system("rm -rf /")  # \\',
    });
    expect(code).not.toContain('"""\nimport os');
    expect(code).not.toMatch(/^import os/m);
    expect(code).toContain('# Strategy: evil----import os-os.system--rm -rf /--  - -\n');
    expect(code).toContain('    """evil----import os-os.system--rm -rf /--  - -\n');
    expect(code.split('"""')).toHaveLength(5);
  });

  it('refuses unsafe class names and invalid specs', () => {
    const s = GOLDEN[0]?.spec;
    if (s === undefined) throw new Error('missing golden spec');
    for (const className of ['', 'lower', '1Abc', 'A-B', 'DataFrame', 'Series', 'A(B)']) {
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

describe('a price candles before', () => {
  it('is refused on a higher timeframe, where a shift would count the strategy candles', () => {
    const result = validateSpec({
      specVersion: 2,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      informative: { timeframe: '4h' },
      entry: {
        all: [
          {
            op: 'above',
            left: { kind: 'price', field: 'close' },
            right: { kind: 'price', field: 'high', ago: 1, timeframe: '4h' },
          },
        ],
      },
      exit: { all: [] },
      stoploss: -0.1,
      minimalRoi: { '0': 0.05 },
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.join(' ')).toMatch(/price ago counts the strategy timeframe candles/);
  });
});
