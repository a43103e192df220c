// Server-side charts of Freqtrade backtest results, as PNG bytes ready to post to any chat. The
// figures are Freqtrade's (starting balance plus each trade's profit_abs); drawing is Vega-Lite's.

import type { EquitySeries } from '../src/backtest/equity.ts';
import { AppError } from '../src/errors.ts';
import { compareSpec } from './chart/compare-spec.ts';
import { equitySpec } from './chart/equity-spec.ts';
import { renderPng } from './chart/png.ts';
import { equitySeries } from './chart/series.ts';
import { PLOT } from './chart/theme.ts';

export type { EquityPoint, EquitySeries } from '../src/backtest/equity.ts';
export { equitySeries } from './chart/series.ts';

/**
 * A 1000x560 PNG of one result: the equity curve in the stake currency, and below it the drawdown
 * from the running peak, on one UTC time axis. A result with no trades draws a flat line.
 * Throws AppError('ENGINE_FAILED') when the result cannot be read.
 */
export async function renderEquityChart(input: {
  result: unknown;
  strategyClass: string;
  title: string;
}): Promise<Uint8Array> {
  const series = equitySeries(input.result, input.strategyClass);
  return renderPng(equitySpec(series, input.title), PLOT);
}

/** The same picture from a stored equity series (a result answered from the cache). */
export async function renderEquitySeries(input: {
  series: EquitySeries;
  title: string;
}): Promise<Uint8Array> {
  return renderPng(equitySpec(input.series, input.title), PLOT);
}

/**
 * A 1000x560 PNG overlaying several equity series (see {@link equitySeries}) as % return from their
 * own starting balances, with a legend in the order given. Throws AppError('BAD_INPUT') when there is
 * nothing to compare.
 */
export async function renderCompareChart(input: {
  title: string;
  series: { name: string; equity: EquitySeries }[];
}): Promise<Uint8Array> {
  if (input.series.length === 0) {
    throw new AppError('BAD_INPUT', 'There is nothing to compare yet.', { detail: 'no series' });
  }
  const { spec, plot } = compareSpec(input.title, input.series);
  return renderPng(spec, plot);
}
