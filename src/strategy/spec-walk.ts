// Walking a spec's signals: every group, condition and series in a fixed order (long entry, long exit,
// short entry, short exit; left before right), so the renderer, the edit form and the validator list
// things the same way.
import type { Condition, InnerGroup, SignalGroup, SignalItem } from './spec-conditions.ts';
import type { Series } from './spec-series.ts';

/** The items of a group, whichever way it combines them. */
export function itemsOf(group: SignalGroup | InnerGroup): readonly SignalItem[] {
  return 'all' in group ? group.all : group.any;
}

/** `and` for an all-group, `or` for an any-group. */
export function joinerOf(group: SignalGroup | InnerGroup): 'and' | 'or' {
  return 'all' in group ? 'and' : 'or';
}

export function isCondition(item: SignalItem): item is Condition {
  return 'op' in item;
}

/** Every condition of a group, nested ones included, in order. */
export function conditionsIn(group: SignalGroup): Condition[] {
  return itemsOf(group).flatMap((item) =>
    isCondition(item) ? [item] : [...itemsOf(item)].filter(isCondition),
  );
}

/** The series a condition reads, left first. */
export function seriesIn(condition: Condition): Series[] {
  if ('right' in condition && typeof condition.right !== 'number') return [condition.left, condition.right];
  return [condition.left];
}

type Signals = {
  entry: SignalGroup;
  exit: SignalGroup;
  short?: { entry: SignalGroup; exit: SignalGroup } | undefined;
};

/** The spec's signal groups with their field paths, long before short, entry before exit. */
function signalGroups(spec: Signals): { path: (string | number)[]; group: SignalGroup }[] {
  const groups: { path: (string | number)[]; group: SignalGroup }[] = [
    { path: ['entry'], group: spec.entry },
    { path: ['exit'], group: spec.exit },
  ];
  if (spec.short) {
    groups.push({ path: ['short', 'entry'], group: spec.short.entry });
    groups.push({ path: ['short', 'exit'], group: spec.short.exit });
  }
  return groups;
}

/** Every condition of the spec, in walking order. */
export function allConditions(spec: Signals): Condition[] {
  return signalGroups(spec).flatMap((g) => conditionsIn(g.group));
}

/** Every series with the path of the field that holds it, for sentences like `entry.all[0].left.timeframe`. */
export function seriesWithPaths(spec: Signals): { path: (string | number)[]; series: Series }[] {
  const found: { path: (string | number)[]; series: Series }[] = [];
  const visit = (condition: Condition, path: (string | number)[]) => {
    found.push({ path: [...path, 'left'], series: condition.left });
    if ('right' in condition && typeof condition.right !== 'number') {
      found.push({ path: [...path, 'right'], series: condition.right });
    }
  };
  for (const { path, group } of signalGroups(spec)) {
    const key = 'all' in group ? 'all' : 'any';
    itemsOf(group).forEach((item, i) => {
      if (isCondition(item)) {
        visit(item, [...path, key, i]);
        return;
      }
      const inner = 'all' in item ? 'all' : 'any';
      itemsOf(item).forEach((c, j) => {
        if (isCondition(c)) visit(c, [...path, key, i, inner, j]);
      });
    });
  }
  return found;
}

/** The same group with every condition replaced by `fn(condition)`, structure kept. */
export function mapGroup(group: SignalGroup, fn: (c: Condition) => Condition): SignalGroup {
  const mapItem = (item: SignalItem): SignalItem => {
    if (isCondition(item)) return fn(item);
    return 'all' in item ? { all: item.all.map(fn) } : { any: item.any.map(fn) };
  };
  return 'all' in group ? { all: group.all.map(mapItem) } : { any: group.any.map(mapItem) };
}
