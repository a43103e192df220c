// Charts are drawn from Freqtrade's own result file (a real one, checked in from a 1-month run) and
// checked as bytes: a PNG of the promised size, a series that recomputes from the trades, and coded
// errors for results that cannot be charted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSpec } from '../../../freqtrade/chart/compare-spec.ts';
import { equitySpec } from '../../../freqtrade/chart/equity-spec.ts';
import { specToSvg } from '../../../freqtrade/chart/png.ts';
import { PLOT } from '../../../freqtrade/chart/theme.ts';
import { equitySeries, renderCompareChart, renderEquityChart } from '../../../freqtrade/chart.ts';
import { EquitySeriesSchema } from '../../../src/backtest/equity.ts';
import { AppError } from '../../../src/errors.ts';

const fixture = new URL('../../fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const load = () => JSON.parse(readFileSync(fixture, 'utf8'));
const CLS = 'BtcSma20501h';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which a valid PNG carries first, right after the signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(view.getUint32(8)).toBe(13);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

async function refusal(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('accepted');
}

function withoutTrades() {
  const raw = load();
  Object.assign(raw.strategy[CLS], { trades: [], total_trades: 0, profit_total: 0, profit_total_abs: 0 });
  return raw;
}

describe('equitySeries', () => {
  it('is the starting balance plus the cumulative profit_abs of the trades, closed in order', () => {
    const raw = load();
    const s = raw.strategy[CLS];
    const trades: { close_timestamp: number; profit_abs: number }[] = [...s.trades].sort(
      (a, b) => a.close_timestamp - b.close_timestamp,
    );
    let balance = s.starting_balance;
    const expected = [{ t: s.backtest_start_ts, equity: s.starting_balance }];
    for (const trade of trades) {
      balance += trade.profit_abs;
      expected.push({ t: trade.close_timestamp, equity: balance });
    }
    expected.push({ t: s.backtest_end_ts, equity: balance });

    const series = equitySeries(raw, CLS);
    expect(series.points.map((p) => p.t)).toEqual(expected.map((p) => p.t));
    for (const [i, p] of series.points.entries()) {
      expect(p.equity).toBeCloseTo(expected[i]?.equity ?? Number.NaN, 8);
    }
    expect(series.stakeCurrency).toBe('USDT');
    expect(series.trades).toBe(s.total_trades);
  });

  it("ends at Freqtrade's final balance and bottoms out at its max account drawdown", () => {
    const raw = load();
    const s = raw.strategy[CLS];
    const { points } = equitySeries(raw, CLS);
    expect(points.at(-1)?.equity).toBeCloseTo(s.final_balance, 6);
    expect(Math.min(...points.map((p) => p.drawdown))).toBeCloseTo(-s.max_drawdown_account, 9);
    expect(points.every((p) => p.drawdown <= 0)).toBe(true);
    expect(points.at(-1)?.returnRatio).toBeCloseTo(s.profit_total, 9);
  });

  it('sums trades that close on the same candle into one point', () => {
    const raw = load();
    const [first, second] = raw.strategy[CLS].trades;
    second.close_timestamp = first.close_timestamp;
    const series = equitySeries(raw, CLS);
    const atClose = series.points.filter((p) => p.t === first.close_timestamp);
    expect(atClose).toHaveLength(1);
    expect(atClose[0]?.equity).toBeCloseTo(1000 + first.profit_abs + second.profit_abs, 8);
  });

  it('is flat at the starting balance from start to end when nothing traded', () => {
    const raw = withoutTrades();
    const s = raw.strategy[CLS];
    expect(equitySeries(raw, CLS).points).toEqual([
      { t: s.backtest_start_ts, equity: 1000, drawdown: 0, returnRatio: 0 },
      { t: s.backtest_end_ts, equity: 1000, drawdown: 0, returnRatio: 0 },
    ]);
  });

  it.each([
    ['not an object', null],
    ['no strategy map', { strategy_comparison: [] }],
    [
      'a trade without profit_abs',
      { strategy: { [CLS]: { ...load().strategy[CLS], trades: [{ close_timestamp: 1 }] } } },
    ],
    ['a zero starting balance', { strategy: { [CLS]: { ...load().strategy[CLS], starting_balance: 0 } } }],
  ])('refuses a result with %s as ENGINE_FAILED', async (_label, raw) => {
    const err = await refusal(() => equitySeries(raw, CLS));
    expect(err.code).toBe('ENGINE_FAILED');
    expect(err.userMessage).toMatch(/could not chart/);
  });

  it('refuses a strategy class the result does not hold, naming the ones it does', async () => {
    const err = await refusal(() => equitySeries(load(), 'OtherStrategy'));
    expect(err.code).toBe('ENGINE_FAILED');
    expect(err.message).toContain(CLS);
  });
});

describe('renderEquityChart', () => {
  it('draws a 1000x560 PNG of the fixture', async () => {
    const png = await renderEquityChart({ result: load(), strategyClass: CLS, title: 'BTC SMA 20/50' });
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
  });

  it('draws a result with no trades', async () => {
    const png = await renderEquityChart({ result: withoutTrades(), strategyClass: CLS, title: 'Idle' });
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
  });

  it('rejects a bad result with ENGINE_FAILED before drawing', async () => {
    const err = await refusal(() =>
      renderEquityChart({ result: { strategy: 'x' }, strategyClass: CLS, title: 'x' }),
    );
    expect(err.code).toBe('ENGINE_FAILED');
  });

  it('writes its text in DejaVu Sans, dates in UTC, and no translucent groups', async () => {
    const svg = await specToSvg(equitySpec(equitySeries(load(), CLS), 'BTC SMA 20/50'), PLOT);
    const families = new Set([...svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]));
    expect(families).toEqual(new Set(['DejaVu Sans']));
    expect(svg).toContain('>Jan 02<');
    expect(svg).toContain('>Equity (USDT)<');
    expect(svg).toContain('2024-01-01 → 2024-02-01 (UTC)');
    // resvg 2.6 aborts the whole process on a translucent group outside the canvas (thx/resvg-js#287).
    expect(svg).not.toMatch(/\sopacity="0/);
  });
});

describe('renderCompareChart', () => {
  it('overlays two results in a 1000x560 PNG', async () => {
    const other = load();
    other.strategy[CLS].trades = other.strategy[CLS].trades.slice(0, 3);
    const png = await renderCompareChart({
      title: 'sma vs sma (first 3 trades)',
      series: [
        { name: 'sma', equity: equitySeries(load(), CLS) },
        { name: 'sma', equity: equitySeries(other, CLS) },
      ],
    });
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
  });

  it('draws from a stored series as well as from a fresh one', async () => {
    const stored = EquitySeriesSchema.parse(JSON.parse(JSON.stringify(equitySeries(load(), CLS))));
    expect(stored).toEqual(equitySeries(load(), CLS));
    const png = await renderCompareChart({ title: 'stored', series: [{ name: 'sma', equity: stored }] });
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
    expect(EquitySeriesSchema.safeParse({ points: 'x' }).success).toBe(false);
  });

  it('keeps two results with one name apart in the legend, each with its Freqtrade return', async () => {
    const other = load();
    other.strategy[CLS].profit_total = 0.0123;
    const { spec, plot } = compareSpec('x', [
      { name: 'sma', equity: equitySeries(load(), CLS) },
      { name: 'sma', equity: equitySeries(other, CLS) },
    ]);
    const svg = await specToSvg(spec, plot);
    expect(svg).toContain('>sma  −4.19 %<');
    expect(svg).toContain('>sma (2)  +1.23 %<');
  });

  it('refuses an empty comparison', async () => {
    const err = await refusal(() => renderCompareChart({ title: 'x', series: [] }));
    expect(err.code).toBe('BAD_INPUT');
  });
});
