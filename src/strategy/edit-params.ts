// The numbers a trader can tune in a strategy, in a fixed order: each distinct indicator's period, then
// each numeric level in the conditions. Used by the edit form: show them as text, read them back.
import { AppError } from '../errors.ts';
import type { Condition, Series, StrategySpec } from './spec.ts';
import { allConditions, mapGroup, seriesIn } from './spec-walk.ts';

type Param = { label: string; value: number };
type Periodic = Extract<Series, { period: number }>;

const seriesKey = (s: Series) => JSON.stringify(s);

function hasPeriod(s: Series): s is Periodic {
  return 'period' in s;
}

function periodic(spec: StrategySpec): Map<string, Periodic> {
  const found = new Map<string, Periodic>();
  for (const s of allConditions(spec).flatMap(seriesIn)) if (hasPeriod(s)) found.set(seriesKey(s), s);
  return found;
}

/** The numeric levels of a condition, in the order they are listed and read back. */
function levelsOf(c: Condition): number[] {
  if (c.op === 'between') return [c.low, c.high];
  if ('right' in c && typeof c.right === 'number') return [c.right];
  return [];
}

/** "SMA 20, SMA 50" / "RSI 14, level 30, level 70". */
function tunableParams(spec: StrategySpec): Param[] {
  const params: Param[] = [...periodic(spec).values()].map((s) => ({
    label: s.kind.toUpperCase(),
    value: s.period,
  }));
  for (const c of allConditions(spec))
    for (const value of levelsOf(c)) params.push({ label: 'level', value });
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
  const next = (fallback: number) => numbers[level++] ?? fallback;
  const mapSeries = (s: Series): Series =>
    hasPeriod(s) ? { ...s, period: periods.get(seriesKey(s)) ?? s.period } : s;
  const mapCondition = (c: Condition): Condition => {
    if (c.op === 'between') return { ...c, left: mapSeries(c.left), low: next(c.low), high: next(c.high) };
    if (!('right' in c)) return { ...c, left: mapSeries(c.left) };
    const right = typeof c.right === 'number' ? next(c.right) : mapSeries(c.right);
    return { ...c, left: mapSeries(c.left), right };
  };
  // Walking order (long entry, long exit, short entry, short exit): the order tunableParams listed them in.
  return {
    ...spec,
    entry: mapGroup(spec.entry, mapCondition),
    exit: mapGroup(spec.exit, mapCondition),
    ...(spec.short === undefined
      ? {}
      : {
          short: {
            entry: mapGroup(spec.short.entry, mapCondition),
            exit: mapGroup(spec.short.exit, mapCondition),
          },
        }),
  };
}
