// The code that fills each indicator column: TA-Lib where it has the indicator, pandas where it has not
// (VWAP, Donchian, volume average). Outputs of one indicator (MACD line and signal, Bollinger bands)
// share one TA-Lib call. Also the warm-up each indicator needs, for startup_candle_count.
import type { Series } from '../../src/strategy/spec.ts';
import { baseColumn } from './columns.ts';
import { pyFloat } from './python.ts';

type Indicator = Exclude<Series, { kind: 'price' }>;

const col = (series: Indicator) => `dataframe["${baseColumn(series)}"]`;

// One TA-Lib call that several outputs can share: the local variable, the call, and the output's key.
function sharedCall(series: Indicator): { local: string; call: string; key: string } | undefined {
  switch (series.kind) {
    case 'macd':
      return {
        local: 'macd',
        call: `ta.MACD(dataframe, fastperiod=${series.fast}, slowperiod=${series.slow}, signalperiod=${series.signal})`,
        key: { line: 'macd', signal: 'macdsignal', histogram: 'macdhist' }[series.output],
      };
    case 'bollinger':
      return {
        local: 'bollinger',
        call: `ta.BBANDS(dataframe, timeperiod=${series.period}, nbdevup=${pyFloat(series.stddev)}, nbdevdn=${pyFloat(series.stddev)})`,
        key: series.output,
      };
    case 'stochastic':
      return {
        local: 'stoch',
        call: `ta.STOCH(dataframe, fastk_period=${series.k}, slowk_period=${series.smooth}, slowd_period=${series.d})`,
        key: series.output === 'k' ? 'slowk' : 'slowd',
      };
    default:
      return undefined;
  }
}

function bollingerValue(local: string, output: string): string {
  const band = (name: string) => `${local}["${name}band"]`;
  if (output === 'percent_b')
    return `(dataframe["close"] - ${band('lower')}) / (${band('upper')} - ${band('lower')})`;
  if (output === 'width') return `(${band('upper')} - ${band('lower')}) / ${band('middle')}`;
  return band(output);
}

const TALIB_SINGLE = { rsi: 'RSI', atr: 'ATR', cci: 'CCI', mfi: 'MFI' } as const;
const ADX_FUNCTION = { adx: 'ADX', plus_di: 'PLUS_DI', minus_di: 'MINUS_DI' } as const;

function singleValue(series: Exclude<Indicator, { kind: 'macd' | 'bollinger' | 'stochastic' }>): string {
  switch (series.kind) {
    case 'sma':
    case 'ema':
    case 'wma': {
      const fn = series.kind.toUpperCase();
      const price = series.source === 'close' ? '' : `, price="${series.source}"`;
      return `ta.${fn}(dataframe, timeperiod=${series.period}${price})`;
    }
    case 'rsi':
    case 'atr':
    case 'cci':
    case 'mfi':
      return `ta.${TALIB_SINGLE[series.kind]}(dataframe, timeperiod=${series.period})`;
    case 'adx':
      return `ta.${ADX_FUNCTION[series.output]}(dataframe, timeperiod=${series.period})`;
    case 'obv':
      return 'ta.OBV(dataframe)';
    case 'vwap':
      return `(typical_price * dataframe["volume"]).rolling(${series.period}).sum() / dataframe["volume"].rolling(${series.period}).sum()`;
    case 'volume_sma':
      return `dataframe["volume"].rolling(${series.period}).mean()`;
    case 'donchian': {
      // The channel of the candles before this one, so a close above the upper band is a breakout.
      const [high, low] = series.source === 'obv' ? ['obv', 'obv'] : ['high', 'low'];
      const upper = `dataframe["${high}"].rolling(${series.period}).max().shift(1)`;
      const lower = `dataframe["${low}"].rolling(${series.period}).min().shift(1)`;
      if (series.output === 'upper') return upper;
      if (series.output === 'lower') return lower;
      return `(${upper} + ${lower}) / 2`;
    }
  }
}

// Outputs of one call sit together, so the shared local still holds that call when each is read.
function groupedByCall(indicators: readonly Indicator[]): Indicator[] {
  const groups = new Map<string, Indicator[]>();
  for (const series of indicators) {
    const key = sharedCall(series)?.call ?? baseColumn(series);
    groups.set(key, [...(groups.get(key) ?? []), series]);
  }
  return [...groups.values()].flat();
}

/** Assignment lines for indicators in first-use order; shared calls are made once per parameter set. */
export function indicatorLines(indicators: readonly Indicator[]): string[] {
  const lines: string[] = [];
  const calls = new Set<string>();
  let typicalPrice = false;
  for (const series of groupedByCall(indicators)) {
    const shared = sharedCall(series);
    if (shared !== undefined) {
      if (!calls.has(shared.call)) {
        calls.add(shared.call);
        lines.push(`${shared.local} = ${shared.call}`);
      }
      const value =
        series.kind === 'bollinger'
          ? bollingerValue(shared.local, shared.key)
          : `${shared.local}["${shared.key}"]`;
      lines.push(`${col(series)} = ${value}`);
      continue;
    }
    if (series.kind === 'macd' || series.kind === 'bollinger' || series.kind === 'stochastic') continue;
    if (series.kind === 'vwap' && !typicalPrice) {
      typicalPrice = true;
      lines.push('typical_price = (dataframe["high"] + dataframe["low"] + dataframe["close"]) / 3');
    }
    lines.push(`${col(series)} = ${singleValue(series)}`);
  }
  return lines;
}

/** The columns a series is computed from besides the candles: OBV, for an average or channel of it. */
export function inputsOf(series: Indicator): Indicator[] {
  const fromObv =
    ((series.kind === 'sma' || series.kind === 'ema' || series.kind === 'wma') && series.source === 'obv') ||
    (series.kind === 'donchian' && series.source === 'obv');
  return fromObv ? [{ kind: 'obv', ...(series.timeframe ? { timeframe: series.timeframe } : {}) }] : [];
}

/** Whether any of these indicators is computed with TA-Lib. */
export function usesTalib(indicators: readonly Indicator[]): boolean {
  return indicators.some((s) => !['vwap', 'volume_sma', 'donchian'].includes(s.kind));
}

// Averages over a window are exact after the window; recursive ones (EMA, RSI, ATR, ADX, MACD) remember
// how they were seeded, so they get three periods of history before the first signal counts.
export function warmup(series: Series): number {
  switch (series.kind) {
    case 'price':
      return series.ago ?? 0;
    case 'sma':
    case 'wma':
    case 'vwap':
    case 'volume_sma':
    case 'bollinger':
    case 'cci':
      return series.period;
    case 'mfi':
    case 'donchian':
      return series.period + 1;
    case 'ema':
    case 'rsi':
    case 'atr':
    case 'adx':
      return series.period * 3;
    case 'macd':
      return (series.slow + series.signal) * 3;
    case 'stochastic':
      return series.k + series.d + series.smooth;
    case 'obv':
      return 1;
  }
}

export type { Indicator };
