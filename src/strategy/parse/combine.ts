// Offline parser, signals put together after reading: trend and volume confirmations joined to each
// entry, one cross traded both ways for "long and short on macd crosses", a side said as the other turned
// over ("long when the opposite", "the opposite to cover"), a short side with no buy said, and "exit mid"
// beside Bollinger bands.

import { describeGroup, describeItem } from '../describe.ts';
import type { Condition, Series, SignalGroup } from '../spec.ts';
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

// A buy or long said anywhere: without one, a long side read from the text is not the trader's.
const LONG_WORDS = /\b(?:buy(?:s|ing)?|long(?:s|ing)?|bid|enter|entry|entries|go\s+up|accumulate|dca)\b/i;

/**
 * A short side with a long side read from words the trader never meant as a buy: the conditions before
 * the first action folded into the short entry, or the long side dropped, said back.
 */
export function shortOnly(signals: GeneralSignals, scan: Scan, bothSides: boolean): GeneralSignals {
  // "When price is under the 200 ema the trend is down, so I short the rallies: RSI above 65 is my
  // entry": a condition before the first action, with no buy or long anywhere, belongs to the short.
  const longSaid = LONG_WORDS.test(
    scan.original.replace(/\b(?:my|the|an?|your|short)\s+(?:entry|entries)\b/gi, ' '),
  );
  if (
    !bothSides &&
    !longSaid &&
    signals.short &&
    exits(signals.short.entry) &&
    exits(signals.entry) &&
    !exits(signals.exit) &&
    'all' in signals.short.entry &&
    'all' in signals.entry
  ) {
    const folded = { all: [...signals.short.entry.all, ...signals.entry.all] };
    scan.assumed.push(
      `No buy or long named: ${describeGroup(signals.entry)} read as part of the short entry.`,
    );
    return {
      ...signals,
      entry: { all: [] },
      exit: { all: [] },
      short: { ...signals.short, entry: folded },
    };
  }
  // "vwap short: ... short it": a long side read from an indicator named alone, where the trader named
  // no buy or long at all, is not theirs; the short side is the strategy.
  if (
    !bothSides &&
    signals.short &&
    exits(signals.short.entry) &&
    exits(signals.entry) &&
    !LONG_WORDS.test(scan.original)
  ) {
    scan.assumed.push('No buy or long named: the short side only.');
    return { ...signals, entry: { all: [] }, exit: { all: [] } };
  }
  return signals;
}

// "short when ..., long when the opposite", "and vice versa": the other side turned over.
const OPPOSITE =
  /\b(long|buy|short)\s+(?:when|on|if|at)\s+(?:it'?s\s+|its\s+)?the\s+opposite\b|(?<!\b(?:sell|exit|close|out|cover)\s+)\bvice\s*-?\s*versa\b|\bthe\s+opposite\s+(?:for|to)\s+(?:the\s+)?(longs?|shorts?)\b|\b(?:take|go|open|do)\s+(?:longs?|shorts?)\s+on\s+the\s+(?:reverse|opposite)(?:\s+(?:cross|signal|one|setup))?\b/;

// "short when the 20 ema crosses below the 50 ema and the opposite to cover": the exit is the entry turned.
const OPPOSITE_EXIT =
  /\b(?:(?:and\s+)?the\s+)?opposite\s+(?:cross\s+|signal\s+)?to\s+(cover|exit|close|sell|get\s+out)\b/;

export function oppositeExit(signals: GeneralSignals, scan: Scan): GeneralSignals {
  const said = OPPOSITE_EXIT.exec(scan.original.toLowerCase());
  if (said === null) return signals;
  const short = said[1] === 'cover' || (!exits(signals.entry) && signals.short !== undefined);
  if (short && signals.short && exits(signals.short.entry) && !exits(signals.short.exit)) {
    const cover = mirrorGroup(signals.short.entry);
    if (cover !== undefined) {
      scan.assumed.push(`"${said[0].trim()}" read as: cover when ${describeGroup(cover)}.`);
      return { ...signals, short: { ...signals.short, exit: cover } };
    }
  }
  return signals;
}

export function theOpposite(signals: GeneralSignals, scan: Scan): GeneralSignals {
  const said = OPPOSITE.exec(scan.original.toLowerCase());
  if (said === null) return signals;
  const hasLong = exits(signals.entry);
  const hasShort = signals.short !== undefined && exits(signals.short.entry);
  const turned = (group: SignalGroup) => (exits(group) ? mirrorGroup(group) : { all: [] });
  if (hasShort && !hasLong && signals.short) {
    const entry = mirrorGroup(signals.short.entry);
    const exit = turned(signals.short.exit);
    if (entry !== undefined && exit !== undefined) {
      scan.assumed.push(
        `"${said[0]}" read as: buy when ${describeGroup(entry)}, the short side turned over.`,
      );
      return { ...signals, entry, exit };
    }
  }
  if (hasLong && !hasShort) {
    const both = mirroredSide(signals, scan);
    if (both.short !== undefined) return both;
  }
  if (hasLong && hasShort) return signals;
  return fail(
    `Which side is "${said[0]}"? Say each side, for example: buy when RSI is below 30, short when RSI is above 70.`,
  );
}

const MID_EXIT =
  /\bmid(?:dle)?(?:\s+(?:band|line))?\s+exit\b|\b(?:exit|sell|out|cover)\s+(?:at\s+|on\s+)?(?:the\s+)?(?:bb\s+)?mid(?:dle)?\b(?!\s*-?\s*(?:day|trade|range|point|session))/;

/**
 * "btc 15m bb squeeze breakout long, exit mid": with the Bollinger bands the only bands the entry uses, the
 * middle one, crossed on the way back from the band the side opened at, said back.
 */
export function midExit(signals: GeneralSignals, scan: Scan): GeneralSignals {
  if (!MID_EXIT.test(scan.original.toLowerCase()) || /\bdonchian\b/i.test(scan.original)) return signals;
  const band = (group: SignalGroup | undefined) =>
    (group === undefined ? [] : conditionsIn(group))
      .flatMap(seriesIn)
      .find((x): x is Extract<Series, { kind: 'bollinger' }> => x.kind === 'bollinger');
  const close = { kind: 'price', field: 'close' } as const;
  let out = signals;
  // From the band the side opened at: bought at the lower band (a reversion), the middle is reached from
  // under it; bought over the upper band (a breakout), the close falls back through it. A short the other way.
  const long = band(signals.entry);
  if (long && !exits(signals.exit)) {
    const op = long.output === 'lower' ? 'crosses_above' : 'crosses_below';
    const exit: Condition = { op, left: close, right: { ...long, output: 'middle' } };
    scan.assumed.push(`"mid" read as: sell when ${describeItem(exit)}.`);
    out = { ...out, exit: { all: [exit] } };
  }
  const short = band(signals.short?.entry);
  if (short && signals.short && !exits(signals.short.exit)) {
    const op = short.output === 'upper' ? 'crosses_below' : 'crosses_above';
    const cover: Condition = { op, left: close, right: { ...short, output: 'middle' } };
    scan.assumed.push(`"mid" read as: cover when ${describeItem(cover)}.`);
    out = { ...out, short: { ...signals.short, exit: { all: [cover] } } };
  }
  return out;
}

/**
 * "long when the 20 ema crosses above the 50, short when it crosses below", with no exit said for either:
 * a reversal, each side closed by the other's signal (a side left open would block the other), said back.
 * Only when each side's entry is the other's turned over, and made of crosses (the parser calls it only
 * when no take-profit is named).
 */
export function closedByTheOther(signals: GeneralSignals, scan: Scan): GeneralSignals {
  const short = signals.short;
  if (short === undefined || !exits(signals.entry) || !exits(short.entry)) return signals;
  if (exits(signals.exit) || exits(short.exit)) return signals;
  if (JSON.stringify(mirrorGroup(signals.entry)) !== JSON.stringify(short.entry)) return signals;
  // Crosses only: zones read both ways ("long and short when rsi is below 30") keep their usual exits.
  const crosses = conditionsIn(signals.entry).every(
    (c) => c.op === 'crosses_above' || c.op === 'crosses_below',
  );
  if (!crosses) return signals;
  scan.assumed.push(
    `No exits given: each side closed by the other's signal (sell when ${describeGroup(short.entry)}, cover when ${describeGroup(signals.entry)}).`,
  );
  return { ...signals, exit: short.entry, short: { entry: short.entry, exit: signals.entry } };
}
