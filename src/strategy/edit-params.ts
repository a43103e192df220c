// The numbers a trader can tune in a strategy, in a fixed order: each distinct indicator's period, then
// each numeric level in the conditions. Used by the edit form: show them as text, read them back.
import { AppError } from '../errors.ts';
import type { Condition, Series, StrategySpec } from './spec.ts';

type Param = { label: string; value: number };

const seriesKey = (s: Series) => JSON.stringify(s);
const conditionsOf = (spec: StrategySpec): Condition[] => [...spec.entry.all, ...spec.exit.all];

function periodic(spec: StrategySpec): Map<string, Series & { period: number }> {
  const found = new Map<string, Series & { period: number }>();
  for (const c of conditionsOf(spec)) {
    for (const side of [c.left, c.right]) {
      if (typeof side !== 'number' && side.kind !== 'price') found.set(seriesKey(side), side);
    }
  }
  return found;
}

/** "SMA 20, SMA 50" / "RSI 14, level 30, level 70". */
function tunableParams(spec: StrategySpec): Param[] {
  const params: Param[] = [...periodic(spec).values()].map((s) => ({
    label: s.kind.toUpperCase(),
    value: s.period,
  }));
  for (const c of conditionsOf(spec))
    if (typeof c.right === 'number') params.push({ label: 'level', value: c.right });
  return params;
}

export function formatParams(spec: StrategySpec): string {
  return tunableParams(spec)
    .map((p) => `${p.label} ${p.value}`)
    .join(', ');
}

/** Reads the numbers back in the same order; throws AppError('BAD_INPUT') naming what was expected. */
export function applyParams(spec: StrategySpec, text: string): StrategySpec {
  const wanted = tunableParams(spec);
  const numbers = (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  if (numbers.length !== wanted.length) {
    throw new AppError(
      'BAD_INPUT',
      `Give ${wanted.length} numbers for the parameters, in this order: ${wanted.map((w) => w.label).join(', ')}. Got ${numbers.length}.`,
    );
  }
  const periods = new Map<string, number>();
  [...periodic(spec).keys()].forEach((key, i) => {
    periods.set(key, numbers[i] ?? 0);
  });
  let level = periods.size;
  const mapSeries = (s: Series): Series => {
    if (s.kind === 'price') return s;
    return { ...s, period: periods.get(seriesKey(s)) ?? s.period };
  };
  const mapCondition = (c: Condition): Condition => {
    const right = typeof c.right === 'number' ? (numbers[level++] ?? c.right) : mapSeries(c.right);
    return { ...c, left: mapSeries(c.left), right };
  };
  // Entry first, then exit: the same order tunableParams listed the levels in.
  const entry = spec.entry.all.map(mapCondition);
  const exit = spec.exit.all.map(mapCondition);
  return { ...spec, entry: { all: entry }, exit: { all: exit } };
}
