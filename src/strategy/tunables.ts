// The numbers of a spec that an optimisation may tune, each with the range Freqtrade's hyperopt searches:
// every numeric level in the conditions (a buy-space parameter on the entry side, sell-space on the
// exit side), the stop-loss and the ROI table (Freqtrade's own stoploss and roi spaces, with its
// default ranges). Indicator windows stay fixed: hyperopt computes indicators once, so a tuned window
// would need every candidate window computed up front. Same spec, same list, same names.
import type { Condition, StrategySpec } from './spec.ts';
import { conditionsIn } from './spec-walk.ts';

/** A level in a condition: its parameter name, where it sits and the range searched. */
export type LevelTunable = {
  kind: 'level';
  /** The Python attribute name (`entry_level_1`), also the parameter's name in Freqtrade's results. */
  name: string;
  space: 'buy' | 'sell';
  label: string;
  value: number;
  low: number;
  high: number;
  /** IntParameter for whole-number levels, DecimalParameter otherwise. */
  integer: boolean;
};

/** Freqtrade's own spaces: the stop-loss and the ROI table, ranges Freqtrade's defaults. */
export type SpaceTunable = { kind: 'stoploss' | 'roi'; name: 'stoploss' | 'roi'; label: string };

export type Tunable = LevelTunable | SpaceTunable;

const DECIMALS = 3;

function round(value: number): number {
  return Number(value.toFixed(DECIMALS));
}

/** Half to one and a half times the level (whole numbers stay whole); a zero level searches -1..1. */
function range(value: number): { low: number; high: number; integer: boolean } {
  const integer = Number.isInteger(value) && Math.abs(value) >= 2;
  if (value === 0) return { low: -1, high: 1, integer: false };
  const a = value * 0.5;
  const b = value * 1.5;
  const [low, high] = a < b ? [a, b] : [b, a];
  return integer
    ? { low: Math.floor(low), high: Math.ceil(high), integer }
    : { low: round(low), high: round(high), integer };
}

function levels(c: Condition): number[] {
  if (c.op === 'between') return [c.low, c.high];
  if ('right' in c && typeof c.right === 'number') return [c.right];
  return [];
}

/** Each condition with its levels' tunables, in walking order (long entry, long exit, short...). */
export function levelTunables(spec: StrategySpec): { condition: Condition; names: LevelTunable[] }[] {
  type Side = { side: string; space: 'buy' | 'sell'; group: StrategySpec['entry'] };
  const sides: Side[] = [
    { side: 'entry', space: 'buy', group: spec.entry },
    { side: 'exit', space: 'sell', group: spec.exit },
    ...(spec.short === undefined
      ? []
      : [
          { side: 'short_entry', space: 'buy' as const, group: spec.short.entry },
          { side: 'short_exit', space: 'sell' as const, group: spec.short.exit },
        ]),
  ];
  const out: { condition: Condition; names: LevelTunable[] }[] = [];
  for (const { side, space, group } of sides) {
    let n = 0;
    for (const condition of conditionsIn(group)) {
      const names = levels(condition).map((value): LevelTunable => {
        n += 1;
        const where = side.replace('_', ' ');
        return {
          kind: 'level',
          name: `${side}_level_${n}`,
          space,
          label: `${where} level ${n} (${condition.left.kind.toUpperCase()} ${condition.op.replace('_', ' ')})`,
          value,
          ...range(value),
        };
      });
      if (names.length > 0) out.push({ condition, names });
    }
  }
  return out;
}

/** Every tunable of the spec: its levels, then the stop-loss and the ROI table. */
export function specTunables(spec: StrategySpec): Tunable[] {
  return [
    ...levelTunables(spec).flatMap((l) => l.names),
    { kind: 'stoploss', name: 'stoploss', label: `stop-loss (now ${spec.stoploss})` },
    { kind: 'roi', name: 'roi', label: 'take-profit (ROI) table' },
  ];
}
