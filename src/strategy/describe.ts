// A spec in words: each series, condition and signal group as a trader reads it ("SMA(20) crosses above
// SMA(50)"), for cards, diffs, condition labels and the generated strategy's docstring. Part of the
// strategy language, so the core, the agent and the renderer all say a strategy the same way.

import type { Condition, Series, SignalGroup, SignalItem, StrategySpec } from './spec.ts';
import { ROI_OFF_RATIO } from './spec-risk.ts';
import { isCondition, itemsOf, joinerOf } from './spec-walk.ts';

// Numbers print as JavaScript writes them (20, 2.5, -100), which is also how the code writes them.
const num = (value: number): string => String(value);

const BAND_WORDS = {
  upper: 'upper',
  middle: 'middle',
  lower: 'lower',
  percent_b: '%B',
  width: 'width',
} as const;
const ADX_WORDS = { adx: 'ADX', plus_di: '+DI', minus_di: '-DI' } as const;

function words(series: Series): string {
  switch (series.kind) {
    case 'price':
      return series.ago === undefined
        ? series.field
        : `${series.field} ${series.ago} candle${series.ago === 1 ? '' : 's'} ago`;
    case 'sma':
    case 'ema':
    case 'wma': {
      const name = series.kind.toUpperCase();
      return series.source === 'close'
        ? `${name}(${series.period})`
        : `${name}(${series.period} of ${series.source === 'obv' ? 'OBV' : series.source})`;
    }
    case 'rsi':
    case 'atr':
    case 'cci':
    case 'mfi':
    case 'vwap':
      return `${series.kind.toUpperCase()}(${series.period})`;
    case 'volume_sma':
      return `volume SMA(${series.period})`;
    case 'macd': {
      const name = { line: 'MACD', signal: 'MACD signal', histogram: 'MACD histogram' }[series.output];
      return `${name}(${series.fast},${series.slow},${series.signal})`;
    }
    case 'bollinger':
      return `Bollinger ${BAND_WORDS[series.output]}(${series.period},${num(series.stddev)})`;
    case 'stochastic':
      return `Stochastic %${series.output.toUpperCase()}(${series.k},${series.d},${series.smooth})`;
    case 'adx':
      return `${ADX_WORDS[series.output]}(${series.period})`;
    case 'obv':
      return 'OBV';
    case 'donchian':
      return series.source === 'obv'
        ? `OBV Donchian ${series.output}(${series.period})`
        : `Donchian ${series.output}(${series.period})`;
  }
}

/** Words for labels, e.g. `SMA(20)`, `EMA(50 of high)`, `Bollinger %B(20,2)`, `4h close`. */
export function describeSeries(series: Series): string {
  return series.timeframe === undefined ? words(series) : `${series.timeframe} ${words(series)}`;
}

const OP_WORDS = {
  crosses_above: 'crosses above',
  crosses_below: 'crosses below',
  above: 'above',
  below: 'below',
} as const;

/** The condition in words, e.g. `SMA(20) crosses above SMA(50)`, `RSI(14) below 30`. */
function describeCondition(condition: Condition): string {
  const left = describeSeries(condition.left);
  switch (condition.op) {
    case 'between':
      return `${left} between ${num(condition.low)} and ${num(condition.high)}`;
    case 'rising':
    case 'falling': {
      const candles = condition.candles === 1 ? '1 candle' : `${condition.candles} candles`;
      return `${left} ${condition.op} over ${candles}`;
    }
    default: {
      const right =
        typeof condition.right === 'number' ? num(condition.right) : describeSeries(condition.right);
      const times = 'times' in condition && condition.times !== undefined ? `${num(condition.times)} x ` : '';
      const held =
        'held' in condition && condition.held !== undefined ? ` for ${condition.held} candles in a row` : '';
      return `${left} ${OP_WORDS[condition.op]} ${times}${right}${held}`;
    }
  }
}

/** One item in words; a nested group is bracketed, e.g. `(RSI(14) below 30 or CCI(20) below -100)`. */
export function describeItem(item: SignalItem): string {
  if (isCondition(item)) return describeCondition(item);
  const items = itemsOf(item);
  if (items.length === 1 && items[0] !== undefined) return describeItem(items[0]);
  return `(${items.map(describeItem).join(` ${joinerOf(item)} `)})`;
}

/** A whole signal group in words, e.g. `SMA(20) crosses above SMA(50) and RSI(14) below 70`. */
export function describeGroup(group: SignalGroup): string {
  return itemsOf(group)
    .map(describeItem)
    .join(` ${joinerOf(group)} `);
}

/** The docstring sentences: when the strategy enters and exits, in words. */
export function signalSentences(spec: StrategySpec): string[] {
  // Only what this spec has: a card naming a trailing stop the strategy lacks would mislead.
  const closers = [
    Object.values(spec.minimalRoi).some((target) => target < ROI_OFF_RATIO) ? 'minimal_roi' : '',
    'the stop-loss',
    spec.trailingStop !== undefined || spec.atrStop?.trailing === true ? 'the trailing stop' : '',
  ].filter(Boolean);
  const closedBy =
    closers.length > 1 ? `${closers.slice(0, -1).join(', ')} or ${closers.at(-1)}` : String(closers[0]);
  const exit = (group: SignalGroup, side: string) =>
    itemsOf(group).length > 0
      ? `Exit ${side} when ${describeGroup(group)}.`
      : `No ${side} exit signal: trades close by ${closedBy}.`;
  const lines =
    itemsOf(spec.entry).length > 0
      ? [`Enter long when ${describeGroup(spec.entry)}.`, exit(spec.exit, 'long')]
      : ['No long entry: the strategy only goes short.'];
  if (spec.short !== undefined) {
    lines.push(`Enter short when ${describeGroup(spec.short.entry)}.`, exit(spec.short.exit, 'short'));
  }
  return lines;
}
