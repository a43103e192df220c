// The optimisation's rendering of a spec: the levels chosen for tuning become Freqtrade hyperopt
// parameters (IntParameter / DecimalParameter with the ranges of src/strategy/tunables.ts, the
// spec's numbers as defaults) and the conditions read them. The stop-loss and the ROI table need no
// code: Freqtrade's stoploss and roi spaces search them from the class attributes.
import type { Condition, StrategySpec } from '../../src/strategy/spec.ts';
import { type LevelTunable, levelTunables } from '../../src/strategy/tunables.ts';
import type { LevelParams } from './conditions.ts';
import { indent, pyNumber } from './python.ts';

function parameter(t: LevelTunable): string {
  if (t.integer) {
    return `${t.name} = IntParameter(${t.low}, ${t.high}, default=${pyNumber(t.value)}, space="${t.space}")`;
  }
  return `${t.name} = DecimalParameter(${pyNumber(t.low)}, ${pyNumber(t.high)}, default=${pyNumber(t.value)}, decimals=3, space="${t.space}")`;
}

/** The chosen levels: the class attributes and what the conditions read instead of the numbers. */
export function tunedLevels(
  spec: StrategySpec,
  tune: readonly string[],
): { lines: string[]; params: LevelParams; used: boolean } {
  const chosen = new Set(tune);
  const params = new Map<Condition, string[]>();
  const declared: LevelTunable[] = [];
  for (const { condition, names } of levelTunables(spec)) {
    const picked = names.map((t) => (chosen.has(t.name) ? `self.${t.name}.value` : undefined));
    if (picked.every((p) => p === undefined)) continue;
    declared.push(...names.filter((t) => chosen.has(t.name)));
    // A level left out keeps its number; the tuple keeps each level in its place.
    params.set(
      condition,
      names.map((t, i) => picked[i] ?? pyNumber(t.value)),
    );
  }
  if (declared.length === 0) return { lines: [], params, used: false };
  return {
    lines: indent(
      [
        '',
        '# Hyperopt parameters (GenTrade optimisation): the ranges searched; the defaults are the spec.',
        ...declared.map(parameter),
      ],
      1,
    ),
    params,
    used: true,
  };
}
