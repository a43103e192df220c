// Offline parser, several indicators named together with no rule for any of them: "bb + rsi mean
// reversion", "stoch 14,3,3 + macd confirm", "obv + rsi + ema 200", "rsi and macd and bollinger all agree".
// Each gets its usual reading and the entry needs all of them, said back on the card: oscillators buy in
// their oversold zone and sell in their overbought one, Bollinger buys a close under the lower band and sells
// one over the upper, MACD buys its cross up and sells its cross down; a single moving average, VWAP, OBV,
// volume and ADX are filters on the entry only. The trade closes when any of the selling readings holds.
// Anything besides the names, their settings and a few linking words ("+", "and", "confirm", "mean
// reversion", "default settings") leaves the text to the other readers, which ask rather than guess.

import { describeGroup } from '../describe.ts';
import type { Condition, Series, SignalGroup } from '../spec.ts';
import type { GeneralSignals } from './general.ts';
import { ZONES } from './levels.ts';
import type { Scan } from './text.ts';

type Reading = { kind: string; entry: Condition; exit?: Condition; note?: string; breakout?: true };

const BREAKOUT = /\bbreak\s*-?\s*outs?\b/;

const close = { kind: 'price', field: 'close' } as const;
const num = (s: string | undefined, fallback: number) => (s === undefined ? fallback : Number(s));

/** A zone oscillator's reading: buy below the low level, sell above the high one. */
function zone(series: Series, low?: string, high?: string): Reading | undefined {
  const usual = ZONES[series.kind];
  if (usual === undefined) return undefined;
  // "macd + rsi 50 filter": a number that could be a level is no window to guess ("rsi 14" is).
  const window = 'period' in series ? series.period : 'k' in series ? series.k : undefined;
  if (low === undefined && window !== undefined && window > 25 && series.kind !== 'cci') return undefined;
  const [lo, hi] = [num(low, usual.low), num(high, usual.high)];
  if (!(lo < hi)) return undefined;
  return {
    kind: series.kind,
    entry: { op: 'below', left: series, right: lo },
    exit: { op: 'above', left: series, right: hi },
  };
}

// Period, then optionally "low/high" levels: "rsi 14", "rsi(14)", "rsi 30/70", "rsi 14 30/70".
const OSC_TAIL = String.raw`(?:\s*\(?\s*(\d+)\s*\)?(?!\s*[/\d]))?(?:\s+(-?\d+)\s*\/\s*(-?\d+))?`;

const READERS: { pattern: RegExp; read: (g: (string | undefined)[], scan: Scan) => Reading | undefined }[] = [
  {
    pattern: new RegExp(String.raw`\b(?:rsi|relative\s+strength(?:\s+index)?)${OSC_TAIL}`, 'g'),
    read: (g) => zone({ kind: 'rsi', period: num(g[0], 14) }, g[1], g[2]),
  },
  {
    pattern: new RegExp(String.raw`\b(?:mfi|money\s+flow(?:\s+index)?)${OSC_TAIL}`, 'g'),
    read: (g) => zone({ kind: 'mfi', period: num(g[0], 14) }, g[1], g[2]),
  },
  {
    pattern: new RegExp(String.raw`\b(?:cci|commodity\s+channel\s+index)${OSC_TAIL}`, 'g'),
    read: (g) => zone({ kind: 'cci', period: num(g[0], 20) }, g[1], g[2]),
  },
  {
    pattern:
      /\bstoch(?:astics?)?(?!\s*rsi)(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?|\s*\(?\s*(\d+)\s*\)?(?![\d/]|\s*,\s*\d))?/g,
    read: (g) =>
      zone({
        kind: 'stochastic',
        k: num(g[0] ?? g[3], 14),
        smooth: num(g[1], 3),
        d: num(g[2], 3),
        output: 'k',
      }),
  },
  {
    pattern:
      /\b(?:bollinger(?:\s+bands?)?|bbands?|bb)(?:\s*\(?\s*(\d+)\s*(?:[,/ ]\s*(\d+(?:\.\d+)?)\s*)?\)?)?(?![\d/.])/g,
    read: (g, scan) => {
      const band = (output: 'lower' | 'upper' | 'middle') =>
        ({ kind: 'bollinger', period: num(g[0], 20), stddev: num(g[1], 2), output }) as const;
      // "adx trend + bb breakout": a close over the upper band, out under the middle one.
      if (BREAKOUT.test(scan.lower))
        return {
          kind: 'bollinger',
          entry: { op: 'above', left: close, right: band('upper') },
          exit: { op: 'below', left: close, right: band('middle') },
          breakout: true,
        };
      return {
        kind: 'bollinger',
        entry: { op: 'below', left: close, right: band('lower') },
        exit: { op: 'above', left: close, right: band('upper') },
      };
    },
  },
  {
    pattern: /\bmacd(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?)?(?![\d/]|\s*,\s*\d)/g,
    read: (g) => {
      const params = { fast: num(g[0], 12), slow: num(g[1], 26), signal: num(g[2], 9) };
      const line = { kind: 'macd', ...params, output: 'line' } as const;
      const signal = { kind: 'macd', ...params, output: 'signal' } as const;
      return {
        kind: 'macd',
        entry: { op: 'crosses_above', left: line, right: signal },
        exit: { op: 'crosses_below', left: line, right: signal },
      };
    },
  },
  {
    // One average, with its period: "ema 200", "the 200 ema", "sma(50)". A trend filter.
    pattern:
      /\b(?:(sma|ema|wma)\s*\(?\s*(\d+)\s*\)?(?![\d/]|\s*,\s*\d|\s+(?:and\s+)?\d)|(\d+)\s*(sma|ema|wma)\b)/g,
    read: (g) => {
      const kind = (g[0] ?? g[3]) as 'sma' | 'ema' | 'wma';
      const period = Number(g[1] ?? g[2]);
      return { kind, entry: { op: 'above', left: close, right: { kind, period, source: 'close' } } };
    },
  },
  {
    // Crypto has no session: a day of candles, as the other readers take it.
    pattern: /\bvwap\b/g,
    read: (_g, scan) => {
      if (scan.dayCandles === undefined) return undefined;
      const period = Math.min(500, Math.max(2, scan.dayCandles));
      return {
        kind: 'vwap',
        entry: { op: 'above', left: close, right: { kind: 'vwap', period } },
        note: `No VWAP window given: ${period} candles${period === scan.dayCandles ? ' (one day)' : ''}.`,
      };
    },
  },
  {
    pattern: /\bobv\b/g,
    // As OBV confirming is read elsewhere: rising over the last 5 candles.
    read: () => ({ kind: 'obv', entry: { op: 'rising', left: { kind: 'obv' }, candles: 5 } }),
  },
  {
    pattern: /\bvolume\b/g,
    read: () => ({
      kind: 'volume',
      entry: {
        op: 'above',
        left: { kind: 'price', field: 'volume' },
        right: { kind: 'volume_sma', period: 20 },
      },
    }),
  },
  {
    // "adx 25 filter" names the level (a window of 25 is rare); "adx 14" the window, above 25.
    pattern: /\badx(?:\s*\(?\s*(\d+)\s*\)?(?![\d/]))?/g,
    read: (g) => {
      const n = g[0] === undefined ? undefined : Number(g[0]);
      const level = n !== undefined && n >= 18 && n <= 60 ? n : 25;
      const period = n !== undefined && n < 18 ? n : 14;
      return {
        kind: 'adx',
        entry: { op: 'above', left: { kind: 'adx', period, output: 'adx' }, right: level },
      };
    },
  },
  {
    // The turtle breakout, as a Donchian channel named alone is read.
    pattern:
      /\b(?:(\d+)\s*-?\s*(?:period\s+|bar\s+|candle\s+)?)?donchian(?:\s+channels?)?(?:\s*\(?\s*(\d+)\s*\)?(?![\d/]))?/g,
    read: (g) => {
      const period = num(g[0] ?? g[1], 20);
      const out = Math.max(2, Math.round(period / 2));
      return {
        kind: 'donchian',
        entry: { op: 'above', left: close, right: { kind: 'donchian', period, output: 'upper' } },
        exit: { op: 'below', left: close, right: { kind: 'donchian', period: out, output: 'lower' } },
      };
    },
  },
];

// What may stand between the names: linking words, the kind of strategy, politeness. Anything else
// (a comparison, a number, a side, a story) is a rule this reader would drop, so it stays out. Phrases are
// matched longest first, word by word, so no input can make the check backtrack.
const FILLER_PHRASES = [
  'and',
  'plus',
  'with',
  'w/',
  'using',
  'use',
  'on',
  'for',
  'a',
  'an',
  'the',
  'of',
  'my',
  'me',
  'to',
  'together',
  'combo',
  'combined',
  'combination',
  'confluence',
  'triple',
  'oversold',
  'double',
  'dual',
  'mix',
  'confirm(?:s|ed|ing|ation|ations)?',
  'agree(?:s|ing)?',
  'align(?:s|ed)?',
  'all(?:\\s+(?:3|three|of\\s+them|together))?',
  'both(?:\\s+of\\s+them)?',
  'hey',
  'yo',
  'hi',
  'ok',
  'okay',
  'do',
  'u',
  'you',
  'bro',
  'have\\s+to',
  'has\\s+to',
  'must',
  'need\\s+to',
  'should',
  'buy',
  'buys',
  'long',
  'longs',
  'long\\s+only',
  'when',
  'strat(?:egy|egies)?',
  'setups?',
  'systems?',
  'bots?',
  'signals?',
  'indicators?',
  'mean\\s+reversion',
  'reversion',
  'scalp(?:ing|er)?',
  'swing(?:\\s+trad(?:e|ing))?',
  'trad(?:e|ing)',
  'filters?',
  'trend',
  'break\\s*-?\\s*outs?',
  '(?:default|standard|usual|normal|classic)\\s+(?:settings?|params?|parameters?|values?)',
  'please',
  'pls',
  'plz',
  'help',
  'make',
  'create',
  'build',
  'write',
  'code',
  'could\\s+you',
  'can\\s+you',
  'can\\s+u',
  'i\\s+want',
  'i\\s+need',
  "i'?d\\s+like",
  'give\\s+me',
  'thank\\s+you',
  'thanks',
  'thx',
  'just',
].map((p) => new RegExp(`^(?:${p})(?![a-z'])`));
const PUNCTUATION = /^[+&,.;:!?=()-]+/;

/** Whether `rest` is only linking words and punctuation. */
function onlyFiller(rest: string): boolean {
  let at = rest.trimStart();
  while (at.length > 0) {
    const punctuation = PUNCTUATION.exec(at)?.[0];
    const phrase = punctuation ?? longest(at);
    if (phrase === undefined) return false;
    at = at.slice(phrase.length).trimStart();
  }
  return true;
}

function longest(text: string): string | undefined {
  let best: string | undefined;
  for (const pattern of FILLER_PHRASES) {
    const found = pattern.exec(text)?.[0];
    if (found !== undefined && found.length > (best?.length ?? 0)) best = found;
  }
  return best;
}

/**
 * The usual readings of several indicators named together with nothing said about any of them, entry
 * needing all of them, or undefined when the text says anything more.
 */
export function comboSignals(scan: Scan): GeneralSignals | undefined {
  let rest = scan.lower;
  const found: { index: number; reading: Reading }[] = [];
  for (const reader of READERS) {
    for (const m of scan.lower.matchAll(reader.pattern)) {
      const reading = reader.read(m.slice(1), scan);
      if (reading === undefined) return undefined;
      found.push({ index: m.index, reading });
      rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
    }
  }
  const kinds = new Set(found.map((f) => f.reading.kind));
  // Two or more indicators, each named once.
  if (kinds.size < 2 || kinds.size !== found.length) return undefined;
  // A breakout beside a reversion ("bollinger + donchian") never holds at once: asked, never built.
  const reverting = found.filter(
    (f) => ['bollinger', 'rsi', 'mfi', 'cci', 'stochastic'].includes(f.reading.kind) && !f.reading.breakout,
  );
  const breaking = found.some((f) => f.reading.kind === 'donchian' || f.reading.breakout);
  if (breaking && reverting.length > 0) return undefined;
  const timed = found.filter((f) => f.reading.exit !== undefined);
  // Everything left is linking words.
  if (!onlyFiller(rest)) return undefined;
  found.sort((a, b) => a.index - b.index);
  const entry: SignalGroup = { all: found.map((f) => f.reading.entry) };
  const exitItems = timed
    .sort((a, b) => a.index - b.index)
    .flatMap((f) => (f.reading.exit ? [f.reading.exit] : []));
  // Filters alone ("vwap + obv long setup") say when to buy, not when to sell: ROI and the stop close.
  const exit: SignalGroup =
    exitItems.length === 1 ? { all: exitItems } : exitItems.length > 1 ? { any: exitItems } : { all: [] };
  scan.lower = ' '.repeat(scan.lower.length);
  for (const f of found) if (f.reading.note) scan.assumed.push(f.reading.note);
  const sell = exitItems.length > 0 ? `; sell when ${describeGroup(exit)}` : '';
  scan.assumed.push(
    `Named together with no rule for each, read the usual way: buy when ${describeGroup(entry)}${sell}.`,
  );
  return { entry, exit, label: found.map((f) => f.reading.kind).join('-') };
}
