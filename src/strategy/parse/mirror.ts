// Offline parser, one side mirrored into the other: "long and short on rsi 30" with a single entry reads
// the short side as the long one turned over. Bands and channels swap, oscillator levels reflect around
// their midpoint, the DI lines trade places, crosses and comparisons turn round. Strength and volatility
// (ADX, ATR, band width, volume) say nothing of direction and stay as they are. A condition with no
// sensible mirror (price against a number) leaves the side unmirrored, and the parser asks instead.

import type { Condition, InnerGroup, Series, SignalGroup, SignalItem } from '../spec.ts';

// Bounded oscillators reflect around their midpoint: RSI 30 becomes RSI 70.
const MIDPOINT: Partial<Record<Series['kind'], number>> = {
  rsi: 50,
  mfi: 50,
  stochastic: 50,
  cci: 0,
  macd: 0,
};

/** Conditions that carry no direction: the same on both sides. */
function undirected(series: Series): boolean {
  if (series.kind === 'adx') return series.output === 'adx';
  if (series.kind === 'bollinger') return series.output === 'width';
  return series.kind === 'atr' || series.kind === 'volume_sma';
}

function mirrorSeries(series: Series): Series {
  if (series.kind === 'bollinger' || series.kind === 'donchian') {
    const output = series.output === 'upper' ? 'lower' : series.output === 'lower' ? 'upper' : series.output;
    return { ...series, output } as Series;
  }
  if (series.kind === 'adx' && series.output !== 'adx') {
    return { ...series, output: series.output === 'plus_di' ? 'minus_di' : 'plus_di' };
  }
  // A candle's low reaching under a band mirrors to its high reaching over the other.
  if (series.kind === 'price' && (series.field === 'low' || series.field === 'high')) {
    return { ...series, field: series.field === 'low' ? 'high' : 'low' };
  }
  return series;
}

function mirrorLevel(series: Series, level: number): number | undefined {
  if (series.kind === 'bollinger' && series.output === 'percent_b') return 1 - level;
  const mid = MIDPOINT[series.kind];
  return mid === undefined ? undefined : 2 * mid - level;
}

const TURNED = {
  above: 'below',
  below: 'above',
  crosses_above: 'crosses_below',
  crosses_below: 'crosses_above',
  rising: 'falling',
  falling: 'rising',
} as const;

/** The condition for the other side, or `undefined` when it has no sensible mirror. */
function mirrorCondition(c: Condition): Condition | undefined {
  if (undirected(c.left)) return c;
  const left = mirrorSeries(c.left);
  if (c.op === 'between') {
    const low = mirrorLevel(c.left, c.high);
    const high = mirrorLevel(c.left, c.low);
    return low === undefined || high === undefined ? undefined : { ...c, left, low, high };
  }
  if (c.op === 'rising' || c.op === 'falling') return { ...c, op: TURNED[c.op], left };
  if (!('right' in c)) return undefined;
  // The two DI lines swapped keep their order: +DI above -DI becomes -DI above +DI.
  if (c.left.kind === 'adx' && typeof c.right !== 'number' && c.right.kind === 'adx') {
    return { ...c, left, right: mirrorSeries(c.right) };
  }
  if (typeof c.right === 'number') {
    const right = mirrorLevel(c.left, c.right);
    return right === undefined ? undefined : { ...c, op: TURNED[c.op], left, right };
  }
  // "5% below the close a day before" turns into 5% above it: the scale goes the other way round the line.
  const times = 'times' in c && c.times !== undefined ? Math.round((2 - c.times) * 10000) / 10000 : undefined;
  return {
    ...c,
    op: TURNED[c.op],
    left,
    right: mirrorSeries(c.right),
    ...(times === undefined ? {} : { times }),
  };
}

function mirrorItem(item: SignalItem): SignalItem | undefined {
  if ('op' in item) return mirrorCondition(item);
  const inner = ('all' in item ? item.all : item.any).map(mirrorCondition);
  if (inner.some((c) => c === undefined)) return undefined;
  const [first, ...rest] = inner as Condition[];
  if (first === undefined) return undefined;
  return ('all' in item ? { all: [first, ...rest] } : { any: [first, ...rest] }) satisfies InnerGroup;
}

/** The group for the other side, or `undefined` when a condition has no mirror or nothing changes. */
export function mirrorGroup(group: SignalGroup): SignalGroup | undefined {
  const items = ('all' in group ? group.all : group.any).map(mirrorItem);
  if (items.some((i) => i === undefined)) return undefined;
  const mirrored = ('all' in group ? { all: items } : { any: items }) as SignalGroup;
  return JSON.stringify(mirrored) === JSON.stringify(group) ? undefined : mirrored;
}
