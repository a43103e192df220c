// Conditions and groups as pandas boolean expressions and as words. Crossings are written out in pandas
// (above now, not above one candle ago) so the strategy needs no helper library beyond pandas.
import type { Condition, InnerGroup, Series, SignalGroup, SignalItem } from '../../src/strategy/spec.ts';
import { isCondition, itemsOf, joinerOf } from '../../src/strategy/spec-walk.ts';
import { describeSeries, seriesExpr } from './columns.ts';
import { pyNumber } from './python.ts';

function side(value: number | Series): { now: string; before: string } {
  if (typeof value === 'number') return { now: pyNumber(value), before: pyNumber(value) };
  const expr = seriesExpr(value);
  return { now: expr, before: `${expr}.shift(1)` };
}

/** A boolean Series expression for one condition, parenthesised so it can be joined with `&` or `|`. */
function conditionExpr(condition: Condition): string {
  const left = seriesExpr(condition.left);
  switch (condition.op) {
    case 'crosses_above': {
      const right = side(condition.right);
      return `((${left} > ${right.now}) & (${left}.shift(1) <= ${right.before}))`;
    }
    case 'crosses_below': {
      const right = side(condition.right);
      return `((${left} < ${right.now}) & (${left}.shift(1) >= ${right.before}))`;
    }
    case 'above':
      return `(${left} > ${side(condition.right).now})`;
    case 'below':
      return `(${left} < ${side(condition.right).now})`;
    case 'between':
      return `${left}.between(${pyNumber(condition.low)}, ${pyNumber(condition.high)})`;
    case 'rising':
      return `(${left} > ${left}.shift(${condition.candles}))`;
    case 'falling':
      return `(${left} < ${left}.shift(${condition.candles}))`;
  }
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
      return `${left} between ${pyNumber(condition.low)} and ${pyNumber(condition.high)}`;
    case 'rising':
    case 'falling': {
      const candles = condition.candles === 1 ? '1 candle' : `${condition.candles} candles`;
      return `${left} ${condition.op} over ${candles}`;
    }
    default: {
      const right =
        typeof condition.right === 'number' ? pyNumber(condition.right) : describeSeries(condition.right);
      return `${left} ${OP_WORDS[condition.op]} ${right}`;
    }
  }
}

const PY_JOIN = { and: '&', or: '|' } as const;

/** One item of a group (a condition or a nested group) as a single boolean expression. */
export function itemExpr(item: SignalItem | InnerGroup): string {
  if (isCondition(item)) return conditionExpr(item);
  const items = itemsOf(item);
  if (items.length === 1 && items[0] !== undefined) return itemExpr(items[0]);
  return `(${items.map(itemExpr).join(` ${PY_JOIN[joinerOf(item)]} `)})`;
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

/** `&` or `|`: how a group's items combine in pandas. */
export function pyJoin(group: SignalGroup): '&' | '|' {
  return PY_JOIN[joinerOf(group)];
}
