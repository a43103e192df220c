// The robustness chart from a real Freqtrade result (the checked-in 1-month run): Freqtrade's trade
// list read in close order, and a PNG of the promised size whose SVG draws both panels.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specToSvg } from '../../../freqtrade/chart/png.ts';
import { ROBUST_PLOT, robustSpec } from '../../../freqtrade/chart/robust-spec.ts';
import { equitySeries } from '../../../freqtrade/chart/series.ts';
import { renderRobustnessChart } from '../../../freqtrade/robust-chart.ts';
import { tradeOutcomes } from '../../../freqtrade/trades.ts';
import { runMonteCarlo } from '../../../src/backtest/robustness/monte-carlo.ts';

const fixture = new URL('../../fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const result = JSON.parse(readFileSync(fixture, 'utf8'));
const CLS = 'BtcSma20501h';

describe('tradeOutcomes', () => {
  it("is Freqtrade's trade list in close order, profit as recorded", () => {
    const trades = tradeOutcomes(result, CLS);
    const raw = result.strategy[CLS].trades as { close_timestamp: number; profit_abs: number }[];
    expect(trades).toHaveLength(raw.length);
    const sum = trades.reduce((s, t) => s + t.profitAbs, 0);
    expect(sum).toBeCloseTo(result.strategy[CLS].profit_total_abs, 6);
    for (let i = 1; i < trades.length; i++)
      expect(trades[i]?.closeTs).toBeGreaterThanOrEqual(trades[i - 1]?.closeTs ?? 0);
  });
});

describe('renderRobustnessChart', () => {
  const trades = tradeOutcomes(result, CLS);
  const mc = runMonteCarlo(trades, result.strategy[CLS].starting_balance, { resamples: 200 });
  const input = {
    title: 'BtcSma robustness',
    outOfSampleResult: result,
    strategyClass: CLS,
    fan: mc.fan,
    actualPath: mc.actualPath,
    resamples: 200,
    seed: mc.summary.seed,
  };

  it('draws the out-of-sample curve over time and the fan over trade numbers', async () => {
    const spec = robustSpec({ ...input, outOfSample: equitySeries(result, CLS) });
    const svg = await specToSvg(spec, ROBUST_PLOT);
    expect(svg).toContain('Trade number');
    expect(svg).toContain('OOS equity (USDT)');
    expect(svg).toContain('seed');
  });

  it('is a 1000x560 PNG', async () => {
    const png = await renderRobustnessChart(input);
    if (process.env.ROBUST_CHART_OUT) writeFileSync(process.env.ROBUST_CHART_OUT, png);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([1000, 560]);
  });
});
