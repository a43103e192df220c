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

/** Oscillators that live between 0 and 100: a level outside never fires. */
const PERCENT_SCALE = new Set(['rsi', 'mfi', 'stochastic', 'adx']);

type Bounds = { min: number; max: number };

/**
 * Half to one and a half times the level (whole numbers stay whole), kept inside `bounds` (an
 * oscillator's 0..100, or a "between" condition's own half); a zero level searches -1..1.
 */
function range(value: number, bounds?: Bounds): { low: number; high: number; integer: boolean } {
  const integer = Number.isInteger(value) && Math.abs(value) >= 2;
  if (value === 0 && !bounds) return { low: -1, high: 1, integer: false };
  const a = value * 0.5;
  const b = value * 1.5;
  let [low, high] = a < b ? [a, b] : [b, a];
  if (bounds) [low, high] = [Math.max(low, bounds.min), Math.min(high, bounds.max)];
  return integer
    ? { low: Math.ceil(low), high: Math.floor(high), integer }
    : { low: round(low), high: round(high), integer };
}

/** Where each level of a condition may go: an oscillator's scale, and a "between"'s two halves apart. */
function boundsOf(c: Condition): Bounds[] {
  const scale: Bounds | undefined = PERCENT_SCALE.has(c.left.kind) ? { min: 0, max: 100 } : undefined;
  if (c.op !== 'between') return [scale ?? { min: -Infinity, max: Infinity }];
  // Low and high never cross: each searches its own side of the midpoint.
  const mid = (c.low + c.high) / 2;
  const whole = Number.isInteger(c.low) && Number.isInteger(c.high);
  const step = whole ? 1 : 0;
  return [
    { min: scale?.min ?? -Infinity, max: whole ? Math.floor(mid) : mid },
    { min: whole ? Math.floor(mid) + step : mid, max: scale?.max ?? Infinity },
  ];
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
      const bounds = boundsOf(condition);
      const names = levels(condition).map((value, i): LevelTunable => {
        n += 1;
        const where = side.replace('_', ' ');
        return {
          kind: 'level',
          name: `${side}_level_${n}`,
          space,
          label: `${where} level ${n} (${condition.left.kind.toUpperCase()} ${condition.op.replace('_', ' ')})`,
          value,
          ...range(value, bounds[i] ?? bounds[0]),
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
    {
      kind: 'stoploss',
      name: 'stoploss',
      label: `stop-loss (now ${Number((spec.stoploss * 100).toFixed(2))}%)`,
    },
    { kind: 'roi', name: 'roi', label: 'take-profit (ROI) table' },
  ];
}
