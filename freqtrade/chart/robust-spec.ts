// The robustness chart: on top the out-of-sample part's equity curve (Freqtrade's trades), below it
// the Monte Carlo fan (our bootstrap of the full run's trades) by trade number, with the actual order
// drawn through it. Two panels, two x axes: time above, trades below.
import type { TopLevelSpec } from 'vega-lite';
import type { EquitySeries } from '../../src/backtest/equity.ts';
import { signedPercent, utcMoment } from './format.ts';
import { COLORS, PADDING, PLOT, THEME, timeX, valueAxis } from './theme.ts';

export type FanPoint = { step: number; p5: number; p25: number; p50: number; p75: number; p95: number };

// Two subtitle lines above, and the lower panel's axis title below: more margin than the usual chart.
const ROBUST_PADDING = { ...PADDING, top: PADDING.top + 22, bottom: PADDING.bottom + 30 };
/** The plot area inside the padding; the canvas stays 1000x560 like every other chart. */
export const ROBUST_PLOT = { width: PLOT.width, height: PLOT.height - 52 };
const SPACING = 40;
const TOP_HEIGHT = Math.round((ROBUST_PLOT.height - SPACING) / 2);
const BOTTOM_HEIGHT = ROBUST_PLOT.height - SPACING - TOP_HEIGHT;
const TICKS = 4;

export function robustSpec(input: {
  title: string;
  outOfSample: EquitySeries;
  fan: FanPoint[];
  actualPath: number[];
  resamples: number;
  seed: number;
}): TopLevelSpec {
  const { outOfSample: oos, fan } = input;
  const currency = oos.stakeCurrency;
  const lastStep = fan[fan.length - 1]?.step ?? 0;
  const actual = input.actualPath.map((equity, step) => ({ step, equity }));
  const flat = (low: number, high: number) =>
    low === high ? { domain: [low * 0.99, high * 1.01], zero: false } : { zero: false, nice: TICKS };
  const oosValues = oos.points.map((p) => p.equity);
  const fanLow = Math.min(...fan.map((f) => f.p5), ...input.actualPath);
  const fanHigh = Math.max(...fan.map((f) => f.p95), ...input.actualPath);
  const stepX = {
    field: 'step',
    type: 'quantitative' as const,
    scale: { domain: [0, Math.max(1, lastStep)], nice: false },
    axis: { title: 'Trade number', tickCount: 8 },
  };
  const band = (lo: string, hi: string, opacity: number) => ({
    data: { values: fan },
    mark: { type: 'area' as const, color: COLORS.equity, fillOpacity: opacity },
    encoding: {
      x: stepX,
      y: {
        field: lo,
        type: 'quantitative' as const,
        scale: flat(fanLow, fanHigh),
        axis: valueAxis(`Resampled equity (${currency})`, TICKS),
      },
      y2: { field: hi },
    },
  });

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    autosize: { type: 'none' },
    padding: ROBUST_PADDING,
    title: {
      text: input.title,
      subtitle: [
        `Out of sample ${utcMoment(oos.start)} → ${utcMoment(oos.end)}: ${oos.trades} trades, ${signedPercent(oos.profitTotal)} (Freqtrade)`,
        `Below, our code: ${input.resamples.toLocaleString('en-US')} bootstrap resamples of the full run's trades (seed ${input.seed}), 5–95th and 25–75th percentiles, median dashed, actual solid`,
      ],
    },
    spacing: SPACING,
    vconcat: [
      {
        width: PLOT.width,
        height: TOP_HEIGHT,
        data: { values: oos.points },
        layer: [
          {
            mark: { type: 'rule', color: COLORS.reference, strokeDash: [4, 4], strokeWidth: 1 },
            encoding: { y: { datum: oos.startingBalance } },
          },
          {
            mark: { type: 'line', interpolate: 'step-after', color: COLORS.equity },
            encoding: {
              x: timeX(oos.start, oos.end, true),
              y: {
                field: 'equity',
                type: 'quantitative',
                scale: flat(Math.min(...oosValues), Math.max(...oosValues)),
                axis: valueAxis(`OOS equity (${currency})`, TICKS),
              },
            },
          },
        ],
      },
      {
        width: PLOT.width,
        height: BOTTOM_HEIGHT,
        layer: [
          band('p5', 'p95', 0.12),
          band('p25', 'p75', 0.22),
          {
            data: { values: fan },
            mark: { type: 'line', color: COLORS.equity, strokeDash: [5, 3], strokeWidth: 1.2 },
            encoding: { x: stepX, y: { field: 'p50', type: 'quantitative' } },
          },
          {
            data: { values: actual },
            mark: { type: 'line', color: COLORS.text, strokeWidth: 1.4 },
            encoding: { x: stepX, y: { field: 'equity', type: 'quantitative' } },
          },
        ],
      },
    ],
  };
}
