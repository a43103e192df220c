// Offline parser, signals put together after reading: trend and volume confirmations joined to each
// entry, and one cross traded both ways for "long and short on macd crosses".

import { describeGroup } from '../describe.ts';
import type { Condition } from '../spec.ts';
import { conditionsIn, itemsOf, seriesIn } from '../spec-walk.ts';
import type { GeneralSignals } from './general.ts';
import { mirrorGroup } from './mirror.ts';
import { fail, type Scan } from './text.ts';

/**
 * A long entry that is one cross, traded both ways: short on the opposite cross, each side closed by the
 * other's signal. Anything else is left for the question that asks for both sides.
 */
export function bothWays(signals: GeneralSignals, scan: Scan): GeneralSignals {
  // "long and short on macd crosses" may leave the cross on either side.
  const longItems = itemsOf(signals.entry);
  const shortItems = signals.short ? itemsOf(signals.short.entry) : [];
  const only = longItems.length + shortItems.length === 1 ? (longItems[0] ?? shortItems[0]) : undefined;
  if (only === undefined || !('op' in only)) return signals;
  if (only.op !== 'crosses_above' && only.op !== 'crosses_below') return signals;
  const flipped: Condition = { ...only, op: only.op === 'crosses_above' ? 'crosses_below' : 'crosses_above' };
  // An undirected cross on the short side pointed down; the long side takes the cross up.
  const [up, down] = only.op === 'crosses_above' ? [only, flipped] : [flipped, only];
  // Exits the trader wrote stay theirs: then both sides must be described, and the question says so.
  const same = (group: GeneralSignals['exit'] | undefined, expected: Condition) =>
    group === undefined || itemsOf(group).every((c) => JSON.stringify(c) === JSON.stringify(expected));
  if (!same(signals.exit, down) || !same(signals.short?.exit, up)) return signals;
  scan.assumed.push(
    'Both ways: long on the cross up, short on the cross down, each side closed by the other.',
  );
  return {
    ...signals,
    entry: { all: [up] },
    exit: { all: [down] },
    short: { entry: { all: [down] }, exit: { all: [up] } },
  };
}

/**
 * "rsi 30/70, long and short": a long side that buys one level and sells another of the same series is
 * traded the other way round too: short at the upper level, cover at the lower one; said back.
 */
export function zonesBothWays(signals: GeneralSignals, scan: Scan): GeneralSignals {
  if (signals.short !== undefined) return signals;
  const [buy, ...moreBuys] = itemsOf(signals.entry);
  const [sell, ...moreSells] = itemsOf(signals.exit);
  if (buy === undefined || sell === undefined || moreBuys.length > 0 || moreSells.length > 0) return signals;
  if (!('op' in buy) || !('op' in sell) || !('right' in buy) || !('right' in sell)) return signals;
  if (typeof buy.right !== 'number' || typeof sell.right !== 'number') return signals;
  if (JSON.stringify(buy.left) !== JSON.stringify(sell.left)) return signals;
  const levels = buy.op === 'below' && sell.op === 'above' && buy.right < sell.right;
  if (!levels) return signals;
  const short: Condition = { op: 'above', left: sell.left, right: sell.right };
  const cover: Condition = { op: 'below', left: buy.left, right: buy.right };
  scan.assumed.push(
    `Both ways: short above ${sell.right} and cover below ${buy.right}, the long side turned over.`,
  );
  return { ...signals, short: { entry: { all: [short] }, exit: { all: [cover] } } };
}

/**
 * "long and short on bb breakouts": one entry and no exit, traded both ways. The short side takes the
 * long entry mirrored (see mirror.ts), said back; trades close through the take-profit and the stop. An
 * entry with no mirror, or one the mirror leaves unchanged, is left for the question that asks for both.
 */
export function mirroredSide(signals: GeneralSignals, scan: Scan): GeneralSignals {
  if (signals.short !== undefined || itemsOf(signals.entry).length === 0) return signals;
  const short = mirrorGroup(signals.entry);
  if (short === undefined) return signals;
  const { usualExit: _usual, ...rest } = signals;
  // "turtle 20/10, both ways": the exit turns over with the entry (cover on the 10 high), when it uses
  // what the entry does. An exit on another indicator ("buy on the macd cross, sell when rsi is above
  // 70"), or an entry with a filter its exit lacks, has no mirror the trader would recognise: asked about.
  if (exits(signals.exit)) {
    const kinds = (g: GeneralSignals['exit']) =>
      new Set(
        conditionsIn(g)
          .flatMap(seriesIn)
          .map((x) => x.kind),
      );
    const [entryKinds, exitKinds] = [kinds(signals.entry), kinds(signals.exit)];
    const same = entryKinds.size === exitKinds.size && [...exitKinds].every((k) => entryKinds.has(k));
    if (!same) return signals;
    const cover = mirrorGroup(signals.exit);
    if (cover === undefined) return signals;
    scan.assumed.push(
      `Both ways: short when ${describeGroup(short)}, cover when ${describeGroup(cover)}, the long side turned over.`,
    );
    return { ...rest, short: { entry: short, exit: cover } };
  }
  scan.assumed.push(`Both ways: short when ${describeGroup(short)}, the long entry turned over.`);
  return { ...rest, short: { entry: short, exit: { all: [] } } };
}

/** Whether a signal group has any condition. */
export function exits(group: GeneralSignals['exit']): boolean {
  return ('all' in group ? group.all : group.any).length > 0;
}

/**
 * Trend confirmations on the higher timeframe and volume conditions join each entry. A trend written for
 * a strategy with a long side is mirrored for its short side (close above the EMA becomes below); in a
 * short-only strategy it is taken as written. Volume conditions are never mirrored. A side the trader
 * gave no entry stays without one: a filter alone is no reason to trade.
 */
export function withConfirmations(
  signals: GeneralSignals,
  trend: Condition[],
  volume: Condition[],
): GeneralSignals {
  if (trend.length + volume.length === 0) return signals;
  const add = (group: GeneralSignals['entry'], extra: Condition[]): GeneralSignals['entry'] => {
    if (itemsOf(group).length === 0) return group;
    if ('all' in group) return { all: [...group.all, ...extra] };
    const conditions = group.any.filter((i) => 'op' in i);
    if (conditions.length !== group.any.length)
      fail('That entry is too nested to add a trend confirmation to.');
    const [first, ...rest] = conditions;
    return first === undefined ? { all: extra } : { all: [{ any: [first, ...rest] }, ...extra] };
  };
  const hasLong = itemsOf(signals.entry).length > 0;
  const mirrored = trend.map((c): Condition => (c.op === 'above' ? { ...c, op: 'below' } : c));
  const forShort = hasLong ? mirrored : trend;
  return {
    ...signals,
    entry: add(signals.entry, [...trend, ...volume]),
    ...(signals.short
      ? { short: { ...signals.short, entry: add(signals.short.entry, [...forShort, ...volume]) } }
      : {}),
  };
}
