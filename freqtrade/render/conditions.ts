// Conditions and groups as pandas boolean expressions (their words: src/strategy/describe.ts). Crossings are written out in pandas
// (above now, not above one candle ago) so the strategy needs no helper library beyond pandas.
import type { Condition, InnerGroup, Series, SignalGroup, SignalItem } from '../../src/strategy/spec.ts';
import { isCondition, itemsOf, joinerOf } from '../../src/strategy/spec-walk.ts';
import { seriesExpr } from './columns.ts';
import { pyNumber } from './python.ts';

/**
 * When optimising: each condition's levels as the hyperopt parameters that hold them
 * (`self.entry_level_1.value`), in the order the condition lists them. Absent: the spec's numbers.
 */
export type LevelParams = ReadonlyMap<Condition, readonly string[]>;

function side(value: number | Series, param?: string): { now: string; before: string } {
  if (param !== undefined) return { now: param, before: param };
  if (typeof value === 'number') return { now: pyNumber(value), before: pyNumber(value) };
  const expr = seriesExpr(value);
  return { now: expr, before: `${expr}.shift(1)` };
}

/** The right-hand side times the condition's factor, when it has one. */
function scaled(expr: string, times: number | undefined): string {
  return times === undefined ? expr : `(${expr} * ${pyNumber(times)})`;
}

/** A comparison true on each of the last `candles` candles (the one traded and those before it). */
function held(expr: string, candles: number | undefined): string {
  return candles === undefined ? expr : `(${expr}.astype(int).rolling(${candles}).sum() == ${candles})`;
}

/** A boolean Series expression for one condition, parenthesised so it can be joined with `&` or `|`. */
function conditionExpr(condition: Condition, params?: LevelParams): string {
  const left = seriesExpr(condition.left);
  const [first, second] = params?.get(condition) ?? [];
  switch (condition.op) {
    case 'crosses_above': {
      const right = side(condition.right, first);
      return `((${left} > ${right.now}) & (${left}.shift(1) <= ${right.before}))`;
    }
    case 'crosses_below': {
      const right = side(condition.right, first);
      return `((${left} < ${right.now}) & (${left}.shift(1) >= ${right.before}))`;
    }
    case 'above':
      return held(`(${left} > ${scaled(side(condition.right, first).now, condition.times)})`, condition.held);
    case 'below':
      return held(`(${left} < ${scaled(side(condition.right, first).now, condition.times)})`, condition.held);
    case 'between':
      return `${left}.between(${first ?? pyNumber(condition.low)}, ${second ?? pyNumber(condition.high)})`;
    case 'rising':
      return `(${left} > ${left}.shift(${condition.candles}))`;
    case 'falling':
      return `(${left} < ${left}.shift(${condition.candles}))`;
  }
}

const PY_JOIN = { and: '&', or: '|' } as const;

/** One item of a group (a condition or a nested group) as a single boolean expression. */
export function itemExpr(item: SignalItem | InnerGroup, params?: LevelParams): string {
  if (isCondition(item)) return conditionExpr(item, params);
  const items = itemsOf(item);
  if (items.length === 1 && items[0] !== undefined) return itemExpr(items[0], params);
  return `(${items.map((i) => itemExpr(i, params)).join(` ${PY_JOIN[joinerOf(item)]} `)})`;
}

/** `&` or `|`: how a group's items combine in pandas. */
export function pyJoin(group: SignalGroup): '&' | '|' {
  return PY_JOIN[joinerOf(group)];
}
