// The robustness report's PNG: the out-of-sample equity curve from Freqtrade's result and the Monte
// Carlo fan our code computed on Freqtrade's trades (see src/backtest/robustness/monte-carlo.ts).
import { renderPng } from './chart/png.ts';
import { type FanPoint, ROBUST_PLOT, robustSpec } from './chart/robust-spec.ts';
import { equitySeries } from './chart/series.ts';

/** A 1000x560 PNG; throws AppError('ENGINE_FAILED') when the out-of-sample result cannot be read. */
export function renderRobustnessChart(input: {
  title: string;
  outOfSampleResult: unknown;
  strategyClass: string;
  fan: FanPoint[];
  actualPath: number[];
  resamples: number;
  seed: number;
}): Promise<Uint8Array> {
  const outOfSample = equitySeries(input.outOfSampleResult, input.strategyClass);
  return renderPng(robustSpec({ ...input, outOfSample }), ROBUST_PLOT);
}
