// The Vega-Lite spec for one result: equity on top, drawdown below, one time axis under both.
// Steps rather than slopes: the balance only changes when a trade closes, so it is drawn flat
// between closes instead of inventing a gradual change.
import type { TopLevelSpec } from 'vega-lite';
import type { EquitySeries } from '../../src/backtest/equity.ts';
import { signedAmount, signedPercent, utcMoment } from './format.ts';
import { COLORS, PADDING, PLOT, THEME, timeX, valueAxis } from './theme.ts';

const DRAWDOWN_HEIGHT = 118;
const SPACING = 18;
// Scales round to the same tick count their axes ask for, so the ends of each axis carry a label.
const EQUITY_TICKS = 6;
const DRAWDOWN_TICKS = 3;

/** Equity-and-drawdown chart for `series`, titled `title`. */
export function equitySpec(series: EquitySeries, title: string): TopLevelSpec {
  const { points, stakeCurrency, startingBalance } = series;
  const equities = points.map((p) => p.equity);
  const low = Math.min(...equities);
  const high = Math.max(...equities);
  // A flat curve (no trades) has no range to scale to; give it one around the balance.
  const equityScale =
    low === high
      ? { domain: [low - Math.abs(low) * 0.01, high + Math.abs(high) * 0.01], zero: false }
      : { zero: false, nice: EQUITY_TICKS };
  const deepest = Math.min(...points.map((p) => p.drawdown));
  // Drawdowns are never positive, so zero (included by default) is the top of the scale.
  const drawdownScale = deepest < 0 ? { nice: DRAWDOWN_TICKS } : { domain: [-0.01, 0] };

  const subtitle = [
    `${utcMoment(series.start)} → ${utcMoment(series.end)} (UTC)`,
    `${series.trades} ${series.trades === 1 ? 'trade' : 'trades'}`,
    `${signedAmount(series.profitTotalAbs, series.stakeDecimals)} ${stakeCurrency} (${signedPercent(series.profitTotal)})`,
  ].join('  ·  ');

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: THEME,
    autosize: { type: 'none' },
    padding: PADDING,
    title: { text: title, subtitle },
    data: { values: points },
    spacing: SPACING,
    vconcat: [
      {
        width: PLOT.width,
        height: PLOT.height - DRAWDOWN_HEIGHT - SPACING,
        layer: [
          {
            mark: { type: 'rule', color: COLORS.reference, strokeDash: [4, 4], strokeWidth: 1 },
            encoding: { y: { datum: startingBalance } },
          },
          {
            mark: { type: 'line', interpolate: 'step-after', color: COLORS.equity },
            encoding: {
              x: timeX(series.start, series.end, false),
              y: {
                field: 'equity',
                type: 'quantitative',
                scale: equityScale,
                axis: valueAxis(`Equity (${stakeCurrency})`, EQUITY_TICKS),
              },
            },
          },
        ],
      },
      {
        width: PLOT.width,
        height: DRAWDOWN_HEIGHT,
        mark: {
          type: 'area',
          interpolate: 'step-after',
          color: COLORS.drawdown,
          // fillOpacity, not opacity: resvg 2.6 aborts the process on a translucent group that
          // falls outside the canvas (thx/resvg-js#287), and fill-opacity creates no group.
          fillOpacity: 0.16,
          line: { color: COLORS.drawdown, strokeWidth: 1 },
        },
        encoding: {
          x: timeX(series.start, series.end, true),
          y: {
            field: 'drawdown',
            type: 'quantitative',
            scale: drawdownScale,
            axis: valueAxis('Drawdown', DRAWDOWN_TICKS, '%'),
          },
        },
      },
    ],
  };
}
