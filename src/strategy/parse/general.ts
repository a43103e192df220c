// Offline parser, the general reader: any mix of the spec language's indicators and conditions, written
// as sides ("buy when ..., sell when ...", "short when ... on futures, cover when ...") made of conditions
// joined by "and" / "or". Used when the text goes beyond one moving-average cross or one RSI band.

import { isAppError } from '../../errors.ts';
import { describeGroup } from '../describe.ts';
import type { Condition, Series, SignalGroup } from '../spec.ts';
import { conditionsIn, itemsOf } from '../spec-walk.ts';
import { AVERAGE_RULES } from './averages.ts';
import { BAND_RULES, declaredBands } from './bands.ts';
import { type Memory, settleNamed } from './conditions.ts';
import { DISTANCE_RULES } from './distance.ts';
import { EARLIER_RULES } from './earlier.ts';
import { markActions, readGroup, type Side, splitSides } from './groups.ts';
import { HELD_RULES } from './held.ts';
import { ZONES } from './levels.ts';
import { MACD_RULES } from './macd.ts';
import { mirrorGroup } from './mirror.ts';
import { OBV_RULES } from './obv.ts';
import { OSCILLATOR_RULES } from './oscillators.ts';
import { type Item, readable, seriesName, substitute, type TermContext } from './terms.ts';
import { fail, type Scan } from './text.ts';
import { withoutTitle } from './title.ts';

/** What the general reader found: the signal groups and a label for the strategy's name. */
export type GeneralSignals = {
  entry: SignalGroup;
  exit: SignalGroup;
  short?: { entry: SignalGroup; exit: SignalGroup };
  label: string;
  usualExit?: { exit: SignalGroup; assumed: string };
};

// "buy when price touches the ema 20": a candle's low under a line with no other side (an average, VWAP).
// Its opposite, the high over the same line, holds on the next candle near it: no exit to say back.
function touchesOneLine(c: Condition): boolean {
  return (
    c.left.kind === 'price' &&
    (c.left.field === 'low' || c.left.field === 'high') &&
    'right' in c &&
    typeof c.right !== 'number' &&
    c.right.kind !== 'bollinger' &&
    c.right.kind !== 'donchian'
  );
}

// Golden and death crosses are the 50 and 200 SMA unless the trader names the periods.
// "the 50 day / 200 day golden cross" names the periods first.
const NAMED_CROSS = {
  pattern:
    /\b(?:(\d+)\s*-?\s*(?:days?|d)?\s*[/&]\s*(\d+)\s*-?\s*(?:days?|d)?\s+)?(golden|death)\s*cross(?:es|ing|over)?\b(?:\s*\(?\s*(\d+)\s*[/ ]\s*(\d+)\s*\)?)?/g,
  build: (g: (string | undefined)[]): Condition => ({
    op: g[2] === 'golden' ? 'crosses_above' : 'crosses_below',
    left: { kind: 'sma', period: Number(g[3] ?? g[0] ?? 50), source: 'close' },
    right: { kind: 'sma', period: Number(g[4] ?? g[1] ?? 200), source: 'close' },
  }),
};
const RULES = [
  ...EARLIER_RULES,
  ...HELD_RULES,
  ...OBV_RULES,
  NAMED_CROSS,
  ...DISTANCE_RULES,
  ...BAND_RULES,
  ...MACD_RULES,
  ...OSCILLATOR_RULES,
  ...AVERAGE_RULES,
];

const SHORTHAND = /\b(?:rsi|sma|ema|wma|ma|cci|mfi)\s*\(?\d*\)?\s*\d+\s*\/\s*\d+/;
const FAMILIES: [string, RegExp][] = [
  ['macd', /\bmacd\b/],
  // "the lower band" alone is the Bollinger band, said back (general.ts).
  ['bollinger', /\bbollinger|\bbb(?:ands?)?\b|\b(?:upper|lower|middle|mid)\s+bands?\b/],
  ['stochastic', /\bstoch/],
];

function familiesOf(text: string): Set<string> {
  return new Set(FAMILIES.filter(([, p]) => p.test(text)).map(([name]) => name));
}

/**
 * A condition said twice ("donchian 20 breakout: buy when close breaks the donchian 20 high", "adx under
 * 20 means range ... only while adx < 20") once.
 */
function once(group: SignalGroup): SignalGroup {
  if (!('all' in group)) return group;
  const seen = new Set<string>();
  return {
    all: group.all.filter((item) => {
      const key = JSON.stringify(item);
      return !seen.has(key) && seen.add(key) !== undefined;
    }),
  };
}

function merge(a: SignalGroup | undefined, b: SignalGroup): SignalGroup {
  if (a === undefined || itemsOf(a).length === 0) return once(b);
  if (itemsOf(b).length === 0) return a;
  if ('all' in a && 'all' in b) return once({ all: [...a.all, ...b.all] });
  return fail('I found the same side of the trade twice with "or" in it; describe each side once.');
}

function labelOf(series: Series): string | undefined {
  switch (series.kind) {
    case 'price':
      return undefined;
    case 'sma':
    case 'ema':
    case 'wma':
    case 'donchian':
      return `${series.kind}${series.period}`;
    case 'bollinger':
      return 'bb';
    case 'stochastic':
      return 'stoch';
    case 'volume_sma':
      return 'volume';
    default:
      return series.kind;
  }
}

function labelFor(groups: SignalGroup[]): string {
  const words = groups
    .flatMap(conditionsIn)
    .flatMap((c) => ['right' in c && typeof c.right !== 'number' ? [c.left, c.right] : [c.left]].flat())
    .map(labelOf)
    .filter((w): w is string => w !== undefined);
  return [...new Set(words)].slice(0, 3).join('-') || 'price';
}

// "buy when RSI above 80, sell when RSI above 70" sells on the candle it buys.
function refuseOverlap(entry: SignalGroup, exit: SignalGroup): void {
  const exits = conditionsIn(exit);
  if (exits.length !== 1 && 'all' in exit) return;
  for (const e of conditionsIn(entry)) {
    for (const x of exits) {
      if (!('right' in e) || !('right' in x) || typeof e.right !== 'number' || typeof x.right !== 'number')
        continue;
      if (JSON.stringify(e.left) !== JSON.stringify(x.left) || e.op !== x.op) continue;
      const overlaps = e.op === 'above' ? x.right <= e.right : e.op === 'below' ? x.right >= e.right : false;
      if (overlaps) {
        fail(
          `Buying when ${seriesName(e.left)} is ${e.op} ${e.right} and selling when it is ${x.op} ${x.right} would sell on the candle it buys; check the levels.`,
        );
      }
    }
  }
}

/**
 * "short when ..., close at 50": in a strategy whose only entries are shorts, a plain exit closes the short.
 * Decided before reading, so each phrase is read once, on its side.
 */
function shortOnlyExits(sides: { side: Side; text: string }[]): { side: Side; text: string }[] {
  const shorts = sides.some((s) => s.side === 'shortEntry' && s.text.includes('§'));
  const longs = sides.some((s) => s.side === 'entry' && s.text.includes('§'));
  const covers = sides.some((s) => s.side === 'shortExit');
  if (!shorts || longs || covers) return sides;
  return sides.map((s) => (s.side === 'exit' ? { ...s, side: 'shortExit' } : s));
}

/**
 * The entry read again as an exit, where an undirected cross points down; undefined when the entry can't
 * be read without what the first reading remembered (a series named in a phrase of its own).
 */
function mirrorOf(sides: { side: Side; text: string }[], items: readonly Item[]): SignalGroup | undefined {
  try {
    return sides
      .filter((s) => s.side === 'entry')
      .reduce<SignalGroup | undefined>(
        (acc, s) => merge(acc, readGroup(s.text, items, 'exit', {})),
        undefined,
      );
  } catch (err) {
    if (isAppError(err) && err.code === 'PARSE_FAILED') return undefined;
    throw err;
  }
}

/**
 * The usual exit of an entry with one cross of two lines (or of MACD's zero line) among its conditions:
 * the opposite cross. A cross of an oscillator level has none ("rsi crosses above 30" is not closed when
 * it falls back below 30).
 */
function oppositeCross(entry: readonly Condition[]): SignalGroup | undefined {
  const crosses = entry.filter(
    (c) =>
      (c.op === 'crosses_above' || c.op === 'crosses_below') &&
      (typeof c.right !== 'number' || c.left.kind === 'macd'),
  );
  const [cross] = crosses;
  if (cross === undefined || crosses.length !== 1 || !('right' in cross)) return undefined;
  return { all: [{ ...cross, op: cross.op === 'crosses_above' ? 'crosses_below' : 'crosses_above' }] };
}

/**
 * "buy a close above the upper band, sell when it closes back inside": back inside the band it left, the
 * close back under the upper band (or over the lower one).
 */
function backInside(text: string): string {
  const side = /\babove\s+(?:the\s+)?upper\b/.test(text)
    ? 'below the upper band'
    : /\bbelow\s+(?:the\s+)?lower\b/.test(text)
      ? 'above the lower band'
      : undefined;
  if (side === undefined) return text;
  return text.replace(
    /\b(?:it\s+|price\s+|the\s+close\s+)?(?:closes?|closing|gets?|goes|moves?|comes?|is)\s+back\s+(?:inside|within|in)(?:\s+the\s+(?:bollinger\s+)?(?:bands?|channel))?\b/g,
    `closes ${side}`,
  );
}

const MA_SHORTHAND = /\b(sma|ema|wma|ma)\s*(\d+)\s*\/\s*(\d+)\b(?!\s*(?:cross|[\d/]))/g;
const ZONE_SHORTHAND = /\b(rsi|cci|mfi)\s*(?:\(\s*(\d+)\s*\)|(\d+))?\s+(-?\d+)\s*\/\s*(-?\d+)\b(?!\s*[\d/])/g;
const CLOSES_SAID = /\b(?:sell|exit|close|out|cover|take\s+profit)\b/;

/**
 * One piece of shorthand beside other conditions, written out: "ema 9/21 + vwap filter" is EMA 9 crossing
 * above EMA 21 (the usual exit, the opposite cross, follows as for any cross), and "rsi 14 35/65 plus a
 * touch of the lower band to enter" is RSI under 35 with the touch, selling above 65 (only when the text
 * says no other exit). Each is said back. Undefined when there is none, or more than one.
 */
function expandShorthand(text: string, scan: Scan): string | undefined {
  const ma = [...text.matchAll(MA_SHORTHAND)];
  const zone = [...text.matchAll(ZONE_SHORTHAND)];
  if (ma.length + zone.length !== 1) return undefined;
  const [m] = ma;
  if (m !== undefined) {
    // Only a cross said as one: "ema 50/200 trend filter", "above the ema 20/50 cloud" name a state.
    if (!/\bcross(?:es|ed|ing|over)?\b/.test(text)) return undefined;
    const after = text.slice((m.index ?? 0) + m[0].length);
    if (/^\s*(?:is\b|are\b|trend|up\s*trend|filter|bullish|bearish|cloud|zone|ribbon|stack|both)/.test(after))
      return undefined;
    const [whole, kind = 'sma', fast = '', slow = ''] = m;
    scan.assumed.push(
      `"${whole.trim()}" read as ${kind.toUpperCase()} ${fast} crossing above ${kind.toUpperCase()} ${slow}.`,
    );
    return text.replace(whole, `${kind} ${fast} crosses above ${kind} ${slow}`);
  }
  const [z] = zone;
  if (z === undefined || CLOSES_SAID.test(text)) return undefined;
  const [whole, name = 'rsi', inBrackets, plain, low = '', high = ''] = z;
  const window = inBrackets ?? plain ?? '';
  const series = `${name}${window ? ` ${window}` : ''}`;
  if (Number(low) >= Number(high)) return undefined;
  scan.assumed.push(
    `"${whole.trim()}" read as: buy with ${name.toUpperCase()} below ${low}, sell above ${high}.`,
  );
  return `${text.replace(whole, `${series} below ${low}`)}, sell when ${series} above ${high}`;
}

/**
 * "buy the close above the upper band, exit at the middle": after a breakout the middle is where price
 * falls back to, so the exit is the close under it (an exit above it would close the trade at once).
 * Mean reversion (bought under the lower band) keeps "above the middle".
 */
function backToTheMiddle(entry: SignalGroup, exit: SignalGroup, scan: Scan): SignalGroup {
  if (!('all' in exit)) return exit;
  const band = (s: Series, output: string) =>
    (s.kind === 'bollinger' || s.kind === 'donchian') && s.output === output ? s.kind : undefined;
  const brokeOut = new Set(
    conditionsIn(entry).flatMap((c) =>
      (c.op === 'above' || c.op === 'crosses_above') && 'right' in c && typeof c.right !== 'number'
        ? [band(c.right, 'upper')]
        : [],
    ),
  );
  let turned = false;
  const all = exit.all.map((item) => {
    if (!('op' in item) || !(item.op === 'above' || item.op === 'crosses_above')) return item;
    if (!('right' in item) || typeof item.right === 'number' || item.left.kind !== 'price') return item;
    const kind = band(item.right, 'middle');
    if (kind === undefined || !brokeOut.has(kind)) return item;
    turned = true;
    return { ...item, op: item.op === 'above' ? ('below' as const) : ('crosses_below' as const) };
  });
  if (turned)
    scan.assumed.push(
      'After a breakout above the upper band, the exit at the middle is the close back under it.',
    );
  return turned ? { all } : exit;
}

/** Reads the signals of any spec-language strategy; risk, market and pairs are already taken out. */
export function readGeneral(scan: Scan): GeneralSignals {
  // "ema 12/26 cross plus adx over 20": the two averages crossing, like any other condition.
  const lower = withoutTitle(scan.lower, scan.original.toLowerCase()).replace(
    /\b(sma|ema|wma|ma)\s*(\d+)\s*\/\s*(\d+)\s+(cross(?:es|ing|over)?|crossover)\b/g,
    '$1 $2 $4 $1 $3',
  );
  const shorthand = SHORTHAND.exec(lower);
  const expanded = shorthand === null ? undefined : expandShorthand(lower, scan);
  if (expanded !== undefined) return readGeneral({ ...scan, lower: expanded });
  if (shorthand !== null) {
    fail(
      `"${shorthand[0].trim()}" is shorthand I read only on its own; with other indicators write each condition, for example: buy when RSI is below 30 and price is above EMA 200, sell when RSI is above 70.`,
    );
  }
  const marked = markActions(backInside(lower))
    .replace(/\bbetween\s+(-?\d+(?:\.\d+)?)\s*(?:and|&|to|-)\s*(-?\d)/g, 'between $1 $2')
    // "rsi 80+": above 80, not "80" joined with what follows.
    .replace(/(?<![\w.])(\d+(?:\.\d+)?)\+(?=\s|$|[,;.])/g, ' above $1 ')
    // "exit at +100": a plus sign before a level, not "and".
    .replace(/(?<=\s|^)\+(?=\d)/g, ' ');
  if (/\b(?:upper|lower|middle|mid)\s+bands?\b/.test(marked) && !/\bbollinger|\bbb(?:ands?)?\b/.test(marked))
    scan.assumed.push('"Band" read as the Bollinger band (20, 2).');
  const items: Item[] = [];
  // The title's indicators count too: "macd, buy when the histogram flips" is MACD's histogram.
  const families = new Set([...familiesOf(marked), ...familiesOf(scan.lower)]);
  const ctx: TermContext = { last: new Map(), families, scan, text: marked };
  const bands = declaredBands(marked);
  if (bands) ctx.last.set('bollinger', bands);
  // "mfi and rsi both oversold", "rsi / mfi dual oversold": each of them.
  const text = substitute(marked, RULES, ctx, items).replace(
    /(§[A-Z])\s*(?:\band\b|\/|&|\+)\s*(§[A-Z])\s+(?:are\s+|is\s+)?(?:both|dual|double)\s+([^,;.@§]+)/g,
    '$1 $3 and $2 $3',
  );
  const memory: Memory = { assumed: scan.assumed };
  const groups: Partial<Record<Side, SignalGroup>> = {};
  const sides = shortOnlyExits(splitSides(text));
  for (const { side, text: part } of sides) {
    const group = readGroup(part, items, side, memory);
    // "sell when it closes back inside": words on a side that made no condition are asked about, never
    // dropped (the card would say "no exit given" for an exit the trader wrote).
    const left = readable(part, items)
      .replace(
        /\b(?:when|if|once|then|it|its|the|a|and|or|to|on|at|of|is|are|be|back|again|also|just|only|please|pls|plz)\b/gi,
        ' ',
      )
      .replace(/[^a-z]+/gi, ' ')
      .trim();
    const closes = side === 'exit' || side === 'shortExit';
    // "macd cross down sell, rsi above 50 filter": a filter said after the exit is the entry's, or is it?
    if (closes && /\b(?:filter\w*|too|also|confirm\w*)\b/.test(part) && part.includes('§'))
      fail(
        `Is "${readable(part, items).trim()}" part of when to sell, or a filter on when to buy? Say it beside the buy, for example: buy when MACD crosses above its signal and RSI is above 50.`,
      );
    if (
      closes &&
      itemsOf(group).length === 0 &&
      left.length > 2 &&
      /^\s*(?:when|if|once|on|at|after)\b/.test(part) &&
      !part.includes('§')
    )
      fail(
        `I couldn't read "${readable(part, items).trim()}"; say when to sell with an indicator, for example: sell when RSI is above 70.`,
      );
    groups[side] = merge(groups[side], group);
  }
  const used = Object.values(groups).flatMap((g) => (g === undefined ? [] : conditionsIn(g)));
  settleNamed(memory, used);
  // Bands named with their settings must be used by a condition: never dropped.
  const onBands = (c: Condition) =>
    c.left.kind === 'bollinger' ||
    ('right' in c && typeof c.right !== 'number' && c.right.kind === 'bollinger');
  if (bands && !used.some(onBands)) {
    fail(
      'Which Bollinger band do you mean? Say for example: close below the lower bollinger band, or: %b below 0.',
    );
  }
  let entry = groups.entry ?? { all: [] };
  let exit = groups.exit ?? { all: [] };
  let usualExit: SignalGroup | undefined;
  // "macd cross" alone: buy on the cross up, sell on the cross down.
  if (!sides.some((s) => s.side === 'exit')) {
    const mirrored = mirrorOf(sides, items);
    const a = conditionsIn(entry);
    const b = mirrored === undefined ? [] : conditionsIn(mirrored);
    const allFlipped = a.length > 0 && a.length === b.length && a.every((c, i) => c.op !== b[i]?.op);
    if (allFlipped && mirrored !== undefined && !(a.length === 1 && a.every(touchesOneLine))) {
      exit = mirrored;
      scan.assumed.push(`No exit given: sell on the opposite, when ${describeGroup(mirrored)}.`);
    } else usualExit = oppositeCross(a);
  }
  // "scalping with stochastic 5 3 3, exit at 80": an oscillator's exit level alone; the entry is the
  // mirror level, said back.
  const exitOnly = conditionsIn(exit);
  const [level] = exitOnly;
  if (
    conditionsIn(entry).length === 0 &&
    groups.shortEntry === undefined &&
    exitOnly.length === 1 &&
    level !== undefined &&
    level.op === 'above' &&
    'right' in level &&
    typeof level.right === 'number' &&
    ZONES[level.left.kind] !== undefined
  ) {
    const mirrored = mirrorGroup({ all: [level] });
    if (mirrored !== undefined) {
      scan.assumed.push(`No entry given: buy on the mirror level, when ${describeGroup(mirrored)}.`);
      entry = mirrored;
    }
  }
  if (conditionsIn(entry).length === 0 && groups.shortEntry === undefined) {
    fail('Say when to buy, for example: buy when RSI is below 30 and price is above EMA 200.');
  }
  exit = backToTheMiddle(entry, exit, scan);
  refuseOverlap(entry, exit);
  const short =
    groups.shortEntry === undefined
      ? undefined
      : { entry: groups.shortEntry, exit: groups.shortExit ?? { all: [] } };
  if (short === undefined && groups.shortExit !== undefined)
    fail('Say when to short, not only when to cover.');
  return {
    entry,
    exit,
    ...(short ? { short } : {}),
    label: labelFor([entry, ...(short ? [short.entry] : [])]),
    ...(usualExit
      ? {
          usualExit: {
            exit: usualExit,
            assumed: `No exit given: sell on the opposite, when ${describeGroup(usualExit)}.`,
          },
        }
      : {}),
  };
}
