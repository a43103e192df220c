// The Vega-Lite spec that overlays several results as % return from each one's starting balance, so
// strategies with different balances or stake currencies share one scale.
import type { TopLevelSpec } from 'vega-lite';
import type { EquitySeries } from '../../src/backtest/equity.ts';
import { signedPercent, utcMoment } from './format.ts';
import { COLORS, PADDING, PLOT, THEME, timeX, valueAxis } from './theme.ts';

const RETURN_TICKS = 6;
// The legend sits between the subtitle and the plot, LEGEND_COLUMNS entries to a row; the plot
// gives up the height of its rows so the canvas stays the same size.
const LEGEND_COLUMNS = 3;
const LEGEND_ROW_HEIGHT = 18;
const LEGEND_GAP = 10;

/** "a", "a (2)", "a (3)": two results with one name would share a colour and a legend entry. */
function uniqueNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((base) => {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    return name;
  });
}

/**
 * Overlay of `series`; the legend reads "name  +4.19 %", the return being Freqtrade's own
 * profit_total for that result. Returns the spec and the size of its plot area.
 */
export function compareSpec(
  title: string,
  series: { name: string; equity: EquitySeries }[],
): { spec: TopLevelSpec; plot: { width: number; height: number } } {
  const names = uniqueNames(series.map((s) => s.name));
  const labelled = series.map((s, i) => ({
    label: `${names[i] ?? s.name}  ${signedPercent(s.equity.profitTotal)}`,
    equity: s.equity,
  }));
  const labels = labelled.map((s) => s.label);
  const values = labelled.flatMap((s) =>
    s.equity.points.map((p) => ({ t: p.t, returnRatio: p.returnRatio, series: s.label })),
  );
  const start = Math.min(...series.map((s) => s.equity.start));
  const end = Math.max(...series.map((s) => s.equity.end));
  const flat = values.every((v) => v.returnRatio === 0);
  const legendHeight = Math.ceil(series.length / LEGEND_COLUMNS) * LEGEND_ROW_HEIGHT + LEGEND_GAP;
  const plot = { width: PLOT.width, height: PLOT.height - legendHeight };

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    autosize: { type: 'none' },
    padding: { ...PADDING, top: PADDING.top + legendHeight },
    title: {
      text: title,
      subtitle: `${utcMoment(start)} → ${utcMoment(end)} (UTC)  ·  return from starting balance`,
    },
    ...plot,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: COLORS.reference, strokeDash: [4, 4], strokeWidth: 1 },
        encoding: { y: { datum: 0 } },
      },
      {
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: timeX(start, end, true),
          y: {
            field: 'returnRatio',
            type: 'quantitative',
            scale: flat ? { domain: [-0.01, 0.01] } : { zero: true, nice: RETURN_TICKS },
            axis: valueAxis('Return', RETURN_TICKS, '%'),
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: labels, scheme: 'tableau10' },
            legend: {
              title: null,
              orient: 'top',
              direction: 'horizontal',
              columns: LEGEND_COLUMNS,
              offset: LEGEND_GAP,
              rowPadding: LEGEND_ROW_HEIGHT - 12,
              symbolSize: 180,
              // Headless Vega guesses text widths generously; the limit only stops a runaway name.
              labelLimit: 300,
              columnPadding: 16,
            },
          },
        },
      },
    ],
  };
  return { spec, plot };
}
