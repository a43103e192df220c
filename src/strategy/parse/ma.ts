// Offline parser, moving-average part: "SMA 20/50 cross", "EMA 12 26 crossover", "golden cross 50/200",
// "20 EMA crosses 50 SMA", "price crosses above the 200 SMA", "SMA 20 above SMA 50". Two periods make a
// fast/slow pair (fast first, and it must be the shorter); one period is compared with the close price.

import type { Series } from '../spec.ts';
import { type Cue, entryDirection } from './direction.ts';
import { type Comparison, directionOf, type Signals } from './signals.ts';
import { fail, type Hit, namesEntry, type Scan, sideAt, takeAll, takeNumbers } from './text.ts';

type MaKind = 'sma' | 'ema' | 'wma';
type Period = { index: number; kind?: MaKind; value: number };

const GOLDEN_DEFAULT = { fast: 50, slow: 200 };
// A cross named without its periods ("an SMA cross") takes the most common pair of periods.
const CROSS_DEFAULT = { fast: 20, slow: 50 };
/** The slow average named before the fast one in one clause: "the slow ema crosses above the fast ema". */
const SLOW_FIRST = /\bslow(?:er)?\s+(?:sma|ema|wma|ma|moving\s+average)s?\b[^.,;]*?\bfast(?:er)?\b/;
/** A third average, between the fast and the slow one. */
const MEDIUM = /\b(?:medium|mid(?:dle)?)\s+(?:sma|ema|wma|ma|moving\s+average)\b/;
/** "the fast ema", "slower sma": one of a pair of averages, named by its speed. */
const FAST_OR_SLOW = /\b(?:fast|slow)(?:er)?\s+(?:sma|ema|wma|ma|moving\s+average)\b(?!\s*\(?\s*\d)/;
const KIND_FIRST = /\b(sma|ema|wma|ma)\s{0,3}\(?\s{0,3}(\d+(?:\.\d+)?)\b\s{0,3}\)?/g;
const NUMBER_FIRST =
  /(?<![@\w])(\d+(?:\.\d+)?)\s{0,3}-?\s{0,3}(?:(?:period|day|bar|candle)s?\s{0,3})?(sma|ema|wma|ma)\b/g;
// A bare "simple" is a kind only before its periods ("simple 20/50"): "simple: eth ema cross" is a word.
const KIND_WORDS =
  /\b(?:(simple|exponential|weighted)\s+)?moving\s+averages?\b|\b(sma|ema|wma|ma|(?:simple|exponential|weighted)(?=\s+\d))\b/g;
const NAMED_CROSS = /\b(golden|death)\s*cross(?:es|ing|over)?\b/g;
const CROSS_DIRECTION = /\bcross(?:es|ed|ing)?\s+(above|over|up|below|under|down)\b/g;
const CROSS_WORDS = /\bcross(?:es|ed|ing|over|overs)?\b/g;
const STATE_WORDS = /(\babove\b|\bover\b|\bbelow\b|\bunder\b|(?<=\s)[<>](?=\s))/g;
// "sell when ...", "exit on the cross down", "close when": the trader named the exit.
const SELL_NAMED =
  /\b(?:sell|exit|close|get\s+out)\w*\s+(?:when|on|if|once|at\s+the|after\s+the)\b[^,.;]*\b(?:cross\w*|above|below|over|under|ma|sma|ema|wma|moving|death|golden)\b|\b(?:death|golden)\s+cross\w*\s+(?:to\s+)?(?:sell|exit|close)/;
const CROSS_EXAMPLE = 'buy on the golden cross, sell on the death cross';
const STATE_EXAMPLE = 'buy when SMA 20 is above SMA 50, sell when below';

function kindOf(word: string | undefined): MaKind {
  if (word === 'wma' || word === 'weighted') return 'wma';
  return word === 'ema' || word === 'exponential' ? 'ema' : 'sma';
}

type MaSeries = Extract<Series, { kind: MaKind }>;

function ma(kind: MaKind, period: number): MaSeries {
  if (!Number.isInteger(period) || period < 2 || period > 500) {
    fail(`Moving-average periods must be whole numbers from 2 to 500, not ${period}.`);
  }
  return { kind, period, source: 'close' };
}

// "EMA 20 SMA 50" and "20 EMA 50 SMA" read the same words in opposite orders; whichever order tags more
// periods is the one the trader used.
function readTagged(scan: Scan): Period[] {
  const tag = (first: RegExp, second: RegExp): { lower: string; tagged: Period[] } => {
    const trial: Scan = { ...scan, lower: scan.lower };
    const tagged = [...takeAll(trial, first), ...takeAll(trial, second)].map((h) => {
      const [a, b] = h.groups;
      const kindFirst = a !== undefined && /^[a-z]/.test(a);
      return { index: h.index, kind: kindOf(kindFirst ? a : b), value: Number(kindFirst ? b : a) };
    });
    return { lower: trial.lower, tagged };
  };
  const kindFirst = tag(KIND_FIRST, NUMBER_FIRST);
  const numberFirst = tag(NUMBER_FIRST, KIND_FIRST);
  const best = numberFirst.tagged.length > kindFirst.tagged.length ? numberFirst : kindFirst;
  scan.lower = best.lower;
  return best.tagged;
}

function readPeriods(scan: Scan): { periods: Period[]; kinds: Set<MaKind> } {
  const tagged = readTagged(scan);
  const words = takeAll(scan, KIND_WORDS).map((h) => kindOf(h.groups[0] ?? h.groups[1]));
  const kinds = new Set([...tagged.map((p) => p.kind ?? 'sma'), ...words]);
  const loose: Period[] = takeNumbers(scan).map((n) => ({ index: n.index, value: n.value }));
  if (kinds.size > 1 && (loose.length > 0 || tagged.length !== 2)) {
    fail('When mixing SMA and EMA, name each period, for example: EMA 20 crosses SMA 50.');
  }
  return { periods: [...tagged, ...loose].sort((a, b) => a.index - b.index), kinds };
}

function cueOf(scan: Scan, hit: Hit, dir: Cue['dir']): Cue {
  return { dir, side: sideAt(scan, hit.index, hit.end), text: scan.original.slice(hit.index, hit.end) };
}

function pointing(word: string | undefined): Cue['dir'] {
  return directionOf(word ?? '') === 'above' ? 'up' : 'down';
}

function pairUp(periods: Period[], series: MaSeries[]): { fast: Series; slow: MaSeries; label: string } {
  const [first, second] = series;
  if (first === undefined) {
    return fail('Which periods should the moving averages use? For example: SMA 20/50 cross.');
  }
  if (series.length > 2) {
    const found = periods.map((p) => p.value).join(', ');
    fail(
      `I found ${series.length} moving-average periods (${found}); a cross uses two, for example SMA 20/50.`,
    );
  }
  if (second === undefined) {
    return {
      fast: { kind: 'price', field: 'close' },
      slow: first,
      label: `price-${first.kind}-${first.period}`,
    };
  }
  if (first.period === second.period) {
    fail(`The fast and slow averages need different periods; you wrote ${first.period} twice.`);
  }
  if (first.period > second.period) {
    fail(
      `The fast average must be shorter than the slow one: you wrote ${first.period} then ${second.period}. ` +
        `Try ${first.kind.toUpperCase()} ${second.period}/${first.period}.`,
    );
  }
  const label =
    first.kind === second.kind
      ? `${first.kind}-${first.period}-${second.period}`
      : `${first.kind}-${first.period}-${second.kind}-${second.period}`;
  return { fast: first, slow: second, label };
}

const STACK = /\b(?:stack(?:ed|ing)?|aligned|in\s+order|fanned)\b/g;

/**
 * "triple ema 5 13 34, all stacked bullish", "20/50/200 sma stack": each average above the slower one;
 * out when the fastest crosses back below the next. Said back.
 */
function stacked(scan: Scan, series: MaSeries[]): Signals | undefined {
  if (series.length < 3 || takeAll(scan, STACK).length === 0) return undefined;
  const sorted = [...series].sort((a, b) => a.period - b.period);
  const [fastest, next] = sorted;
  if (fastest === undefined || next === undefined) return undefined;
  const entry = sorted
    .slice(1)
    .map((slow, i) => ({ op: 'above' as const, left: sorted[i] ?? fastest, right: slow }));
  const name = (s: MaSeries) => `${s.kind.toUpperCase()}(${s.period})`;
  scan.assumed.push(
    `Stacked averages read as: ${sorted.map(name).join(' above ')}; sell when ${name(fastest)} crosses below ${name(next)}.`,
  );
  return {
    entry,
    exit: [{ op: 'crosses_below', left: fastest, right: next }],
    label: `${fastest.kind}-stack-${sorted.map((s) => s.period).join('-')}`,
  };
}

/** Reads a moving-average strategy; the caller has already taken out risk, timeframe and pair phrases. */
export function readMovingAverages(scan: Scan): Signals {
  const named = takeAll(scan, NAMED_CROSS).map((h) =>
    cueOf(scan, h, h.groups[0] === 'golden' ? 'up' : 'down'),
  );
  const directed = takeAll(scan, CROSS_DIRECTION).map((h) => cueOf(scan, h, pointing(h.groups[0])));
  const plain = takeAll(scan, CROSS_WORDS);
  const state = takeAll(scan, STATE_WORDS).map((h) => cueOf(scan, h, pointing(h.groups[0])));
  const { periods, kinds } = readPeriods(scan);
  const only: MaKind = [...kinds][0] ?? 'sma';
  const series = periods.map((p) => ma(p.kind ?? only, p.value));
  // A cross with no periods takes the usual ones; a comparison with none ("close above the sma") asks.
  if (series.length === 0 && named.length + directed.length + plain.length > 0) {
    const { fast, slow } = named.length > 0 ? GOLDEN_DEFAULT : CROSS_DEFAULT;
    series.push(ma(only, fast), ma(only, slow));
    const what = named.length > 0 ? `the ${named[0]?.text.toLowerCase()}` : 'the moving averages';
    scan.assumed.push(`No periods given for ${what}: ${only.toUpperCase()} ${fast}/${slow}.`);
  }
  // "the slow ema crosses above the fast ema" (the pair read fast-first would turn it round), or a
  // "medium" one (a third average): asked.
  const said = scan.original.toLowerCase();
  if (SLOW_FIRST.test(said) || MEDIUM.test(said)) {
    fail(
      'Which average crosses which? Name them fast first with their periods, for example: buy when EMA 20 crosses above EMA 50.',
    );
  }
  // "ema 50 ... the fast ema above the slow ema": two averages meant, one period given.
  const [one] = series;
  if (one && series.length === 1 && FAST_OR_SLOW.test(said)) {
    const name = one.kind.toUpperCase();
    fail(
      `Which periods should the fast and slow averages use? You named one, ${name} ${one.period}; for example: ${name} 20 crosses above ${name} 50.`,
    );
  }
  const stack = stacked(scan, series);
  if (stack !== undefined) return stack;
  const { fast, slow, label } = pairUp(periods, series);
  // Without a cross word, "SMA 20 above SMA 50" means the state, not the moment of crossing.
  const useState = named.length + directed.length + plain.length === 0 && state.length > 0;
  // A plain "SMA 20/50 cross" outside a sell clause names the usual buy on the cross up.
  const hinted =
    namesEntry(scan) || (!useState && plain.some((h) => sideAt(scan, h.index, h.end) !== 'exit'));
  const flip =
    entryDirection(
      useState ? state : [...named, ...directed],
      hinted,
      useState ? STATE_EXAMPLE : CROSS_EXAMPLE,
    ) === 'down';
  const up: Comparison['op'] = useState ? 'above' : 'crosses_above';
  const down: Comparison['op'] = useState ? 'below' : 'crosses_below';
  const [enterOp, exitOp] = flip ? [down, up] : [up, down];
  // The exit is always the opposite; when no sell clause names it, it is said back.
  if (!SELL_NAMED.test(scan.original.toLowerCase())) {
    const name = (s: Series) =>
      s.kind === 'price' ? 'close' : `${s.kind.toUpperCase()}(${'period' in s ? s.period : ''})`;
    const words = {
      crosses_above: 'crosses above',
      crosses_below: 'crosses below',
      above: 'is above',
      below: 'is below',
    };
    scan.assumed.push(`No exit given: sell when ${name(fast)} ${words[exitOp]} ${name(slow)}.`);
  }
  return {
    entry: [{ op: enterOp, left: fast, right: slow }],
    exit: [{ op: exitOp, left: fast, right: slow }],
    label: [label, useState ? 'state' : '', flip ? 'down' : ''].filter((w) => w !== '').join('-'),
  };
}
