// How each spec series is named: its dataframe column (readable, e.g. `bb_lower_20_2`, `ema_200_4h`)
// derived from the spec alone. One place, so the indicator code and the conditions can never disagree
// about a column; the series in words live with the spec (src/strategy/describe.ts).
import type { Series } from '../../src/strategy/spec.ts';
import { pyNumber } from './python.ts';

// Column names keep to [a-z0-9_]: a Bollinger width of 2.5 deviations reads `2p5`.
const num = (value: number) => pyNumber(value).replace('.', 'p').replace('-', 'm');

const MACD_PART = { line: 'macd', signal: 'macd_signal', histogram: 'macd_hist' } as const;

/** Column on the dataframe the series is computed on (its own timeframe), e.g. `sma_20`, `macd_hist_12_26_9`. */
export function baseColumn(series: Series): string {
  switch (series.kind) {
    case 'price':
      return series.field;
    case 'sma':
    case 'ema':
    case 'wma':
      return series.source === 'close'
        ? `${series.kind}_${series.period}`
        : `${series.kind}_${series.period}_${series.source}`;
    case 'rsi':
    case 'atr':
    case 'cci':
    case 'mfi':
    case 'vwap':
    case 'volume_sma':
      return `${series.kind}_${series.period}`;
    case 'macd':
      return `${MACD_PART[series.output]}_${series.fast}_${series.slow}_${series.signal}`;
    case 'bollinger':
      return `bb_${series.output}_${series.period}_${num(series.stddev)}`;
    case 'stochastic':
      return `stoch_${series.output}_${series.k}_${series.d}_${series.smooth}`;
    case 'adx':
      return `${series.output}_${series.period}`;
    case 'obv':
      return 'obv';
    case 'donchian':
      return series.source === 'obv'
        ? `donchian_${series.output}_${series.period}_obv`
        : `donchian_${series.output}_${series.period}`;
  }
}

/** Column on the strategy's main dataframe: informative series carry Freqtrade's `_<timeframe>` suffix. */
function mainColumn(series: Series): string {
  const base = baseColumn(series);
  return series.timeframe === undefined ? base : `${base}_${series.timeframe}`;
}

/** Python expression reading the series from the main dataframe. */
export function seriesExpr(series: Series): string {
  const column = `dataframe["${mainColumn(series)}"]`;
  return series.kind === 'price' && series.ago !== undefined ? `${column}.shift(${series.ago})` : column;
}
