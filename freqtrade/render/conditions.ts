// Conditions and groups as pandas boolean expressions (their words: src/strategy/describe.ts). Crossings are written out in pandas
// (above now, not above one candle ago) so the strategy needs no helper library beyond pandas.
import type { Condition, InnerGroup, Series, SignalGroup, SignalItem } from '../../src/strategy/spec.ts';
import { isCondition, itemsOf, joinerOf } from '../../src/strategy/spec-walk.ts';
import { seriesExpr } from './columns.ts';
import { pyNumber } from './python.ts';

function side(value: number | Series): { now: string; before: string } {
  if (typeof value === 'number') return { now: pyNumber(value), before: pyNumber(value) };
  const expr = seriesExpr(value);
  return { now: expr, before: `${expr}.shift(1)` };
}

/** The right-hand side times the condition's factor, when it has one. */
function scaled(expr: string, times: number | undefined): string {
  return times === undefined ? expr : `(${expr} * ${pyNumber(times)})`;
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
      return `(${left} > ${scaled(side(condition.right).now, condition.times)})`;
    case 'below':
      return `(${left} < ${scaled(side(condition.right).now, condition.times)})`;
    case 'between':
      return `${left}.between(${pyNumber(condition.low)}, ${pyNumber(condition.high)})`;
    case 'rising':
      return `(${left} > ${left}.shift(${condition.candles}))`;
    case 'falling':
      return `(${left} < ${left}.shift(${condition.candles}))`;
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

/** `&` or `|`: how a group's items combine in pandas. */
export function pyJoin(group: SignalGroup): '&' | '|' {
  return PY_JOIN[joinerOf(group)];
}
