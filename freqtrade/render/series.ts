// How each spec series becomes a dataframe column in the generated strategy: its column name, the TA-Lib
// call that fills it, the warm-up it needs and the words the docstring uses for it. One place, so the
// indicator code, the conditions and startup_candle_count can never disagree about a column.
import type { Condition, Series, StrategySpec } from '../../src/strategy/spec.ts';

type IndicatorSeries = Exclude<Series, { kind: 'price' }>;

const TALIB_FUNCTION = { sma: 'SMA', ema: 'EMA', rsi: 'RSI' } as const;

/** Column name for a computed series, e.g. `sma_20`, `ema_50_high`, `rsi_14`. */
function indicatorColumn(series: IndicatorSeries): string {
  if (series.kind === 'rsi') return `rsi_${series.period}`;
  return series.source === 'close'
    ? `${series.kind}_${series.period}`
    : `${series.kind}_${series.period}_${series.source}`;
}

/** Python expression reading the series from the dataframe. */
export function seriesExpr(series: Series): string {
  const column = series.kind === 'price' ? series.field : indicatorColumn(series);
  return `dataframe["${column}"]`;
}

function indicatorCall(series: IndicatorSeries): string {
  const fn = TALIB_FUNCTION[series.kind];
  if (series.kind === 'rsi' || series.source === 'close') {
    return `ta.${fn}(dataframe, timeperiod=${series.period})`;
  }
  return `ta.${fn}(dataframe, timeperiod=${series.period}, price="${series.source}")`;
}

function conditionsOf(spec: StrategySpec): Condition[] {
  return [...spec.entry.all, ...spec.exit.all];
}

function seriesOf(condition: Condition): Series[] {
  return typeof condition.right === 'number' ? [condition.left] : [condition.left, condition.right];
}

/** Each distinct computed series once, in order of first use (entry before exit, left before right). */
export function distinctIndicators(spec: StrategySpec): IndicatorSeries[] {
  const seen = new Map<string, IndicatorSeries>();
  for (const series of conditionsOf(spec).flatMap(seriesOf)) {
    if (series.kind === 'price') continue;
    const column = indicatorColumn(series);
    if (!seen.has(column)) seen.set(column, series);
  }
  return [...seen.values()];
}

/** `dataframe["sma_20"] = ta.SMA(dataframe, timeperiod=20)` for one series. */
export function indicatorAssignment(series: IndicatorSeries): string {
  return `${seriesExpr(series)} = ${indicatorCall(series)}`;
}

// SMA is exact after `period` candles. EMA and RSI smooth recursively and remember how they were seeded,
// so they get three periods of history before the first signal counts.
function warmup(series: IndicatorSeries): number {
  return series.kind === 'sma' ? series.period : series.period * 3;
}

/** Candles Freqtrade must load before the first signal: the longest warm-up of any indicator. */
export function startupCandles(spec: StrategySpec): number {
  return Math.max(0, ...distinctIndicators(spec).map(warmup));
}

/** Whether any condition needs qtpylib's crossing helpers. */
export function usesCrossing(spec: StrategySpec): boolean {
  return conditionsOf(spec).some((c) => c.op === 'crosses_above' || c.op === 'crosses_below');
}

/** Words for the docstring, e.g. `SMA(20)`, `EMA(50 of high)`, `RSI(14)`, `close`. */
export function describeSeries(series: Series): string {
  if (series.kind === 'price') return series.field;
  const name = series.kind.toUpperCase();
  if (series.kind === 'rsi' || series.source === 'close') return `${name}(${series.period})`;
  return `${name}(${series.period} of ${series.source})`;
}
