// A model's draft held against the trader's own words, so the model path says back what the offline parser
// says back: every value in the spec the text doesn't state is a default, and gets one "assumed" line on the
// card whether or not the model listed it. Pairs follow the parser's rule: only markets the exchange lists,
// and only coins the text names (BTC/USDT alone when it names none); anything else is a question, never a
// strategy.
import { describeGroup, describeItem, describeSeries } from '../src/strategy/describe.ts';
import { findTimeframes, readPairs } from '../src/strategy/parse/market.ts';
import { prepare } from '../src/strategy/parse/text.ts';
import { ROI_OFF_RATIO, type Series, type StrategySpec } from '../src/strategy/spec.ts';
import { allConditions, conditionsIn, seriesIn } from '../src/strategy/spec-walk.ts';

/** The draft's said-back lines, or the question to ask instead of saving it. */
export type SaidBack = { ok: true; assumptions: string[] } | { ok: false; question: string };

/** At most this many lines go on the card, as the drafting tool allows. */
const MAX_LINES = 8;

const STOP_WORDS = /\bstop|\bsl\b|stop-?loss|\bstops?\b/;
const PROFIT_WORDS = /take[\s-]*profit|\btp\b|\btarget|\broi\b|\bprofit/;
const EXIT_WORDS =
  /\b(?:sell|exit|cover|close\s+(?:the\s+)?(?:trade|position|long|short)|take[\s-]*profit|tp|get\s+out|dump)/;

/**
 * The coins the text names: the parser's reading of pairs, plus a ticker in capitals or as $TICKER when it
 * is a base of `bases` (so "RSI" or "SMA" in capitals names no coin).
 */
function namedBases(text: string, bases: ReadonlySet<string>): Set<string> {
  const scan = prepare(text);
  const named = new Set<string>();
  try {
    for (const pair of readPairs(scan) ?? []) named.add(pair.split('/')[0] ?? '');
  } catch {
    // Too many quotes or pairs: the capitals below still name what the text names.
  }
  for (const m of scan.original.matchAll(/(?:\$|\b)([A-Z][A-Z0-9]{1,11})\b/g)) {
    const ticker = m[1] ?? '';
    if (bases.has(ticker)) named.add(ticker);
  }
  return named;
}

/** Every number the text states ("20/50" gives 20 and 50; "twenty" is spelled out first). */
function statedNumbers(text: string): Set<number> {
  const original = prepare(text).original;
  return new Set([...original.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0])));
}

/** The numeric settings of a series (periods, deviations), none for a price. */
function settingsOf(series: Series): number[] {
  switch (series.kind) {
    case 'price':
    case 'obv':
      return [];
    case 'macd':
      return [series.fast, series.slow, series.signal];
    case 'bollinger':
      return [series.period, series.stddev];
    case 'stochastic':
      return [series.k, series.d, series.smooth];
    default:
      return [series.period];
  }
}

const percent = (ratio: number): string => `${Number((ratio * 100).toFixed(4))}%`;

const KIND_NAMES: Partial<Record<Series['kind'], string>> = {
  bollinger: 'Bollinger',
  stochastic: 'Stochastic',
  donchian: 'Donchian',
  volume_sma: 'volume average',
};
const kindName = (kind: Series['kind']): string => KIND_NAMES[kind] ?? kind.toUpperCase();

/** A filled-in value in the parser's words, with the topic a model's own line about it would name. */
type Filled = { line: string; topic: RegExp };

const TOPICS = {
  exit: /\b(?:exit|sell|cover)/i,
  pair: /\bpair|\/usdt|\bcoin/i,
  timeframe: /timeframe|\b\d+[mhd]\s+candles|\bcandles?\b(?!\s+(?:before|ago))/i,
  stop: /\bstop/i,
  profit: /take[\s-]*profit|\broi\b/i,
  earlier: /\bcandles?\s+(?:before|ago|back)\b/i,
} as const;

/** Words that name the candle just before (one candle back, though no number is said). */
const PREVIOUS_WORDS =
  /\b(?:previous|prev|prior|last|yesterday'?s?|one)\s+(?:candle|bar|close|high|low|open|day)'?s?\b/;

/** One line per value the spec holds that the text doesn't state, in the parser's words where it has some. */
function defaultsFilled(text: string, spec: StrategySpec, pairNamed: boolean): Filled[] {
  const lower = prepare(text).lower;
  const numbers = statedNumbers(text);
  const stated = (n: number) => numbers.has(n) || numbers.has(Math.abs(n));
  const filled: Filled[] = [];
  // Series of one kind share a line: "No SMA settings given: SMA(50), SMA(200)."
  const unstated = new Map<Series['kind'], string[]>();
  const levels: string[] = [];
  // A price some candles before ("close 3 candles ago") whose count the text doesn't give; "the
  // previous candle" gives one.
  const earlier: string[] = [];
  const previous = PREVIOUS_WORDS.test(lower);
  // A count of candles is stated beside its unit ("3 candles ago", "20 bars back"), not anywhere ("1h"),
  // in the text as written (the parser's reading moves a bare "24 candles" to an indicator).
  const raw = text.toLowerCase();
  const countStated = (n: number) =>
    new RegExp(`\\b${n}\\s*(?:candles?|bars?|periods?|sessions?|days?|hours?|weeks?)\\b`).test(raw);
  for (const condition of allConditions(spec)) {
    for (const series of seriesIn(condition)) {
      if (
        series.kind === 'price' &&
        series.ago &&
        !countStated(series.ago) &&
        !(series.ago === 1 && previous)
      ) {
        const words = describeSeries(series);
        if (!earlier.includes(words)) earlier.push(words);
      }
      const settings = settingsOf(series);
      if (settings.length === 0 || settings.every(stated)) continue;
      const words = describeSeries(series);
      const same = unstated.get(series.kind) ?? [];
      if (!same.includes(words)) unstated.set(series.kind, [...same, words]);
    }
    const values =
      condition.op === 'between'
        ? [condition.low, condition.high]
        : 'right' in condition && typeof condition.right === 'number'
          ? [condition.right]
          : [];
    // Zero is the line itself ("crosses above zero"), never a filled-in level.
    if (values.some((level) => level !== 0 && !stated(level))) levels.push(describeItem(condition));
  }
  for (const [kind, words] of unstated) {
    const name = kindName(kind);
    // A model's line about the same settings, not one saying how a phrase was read with them.
    const topic = new RegExp(`\\b${name}\\b.*\\b(?:period|settings|length|window|candles)\\b`, 'i');
    filled.push({ line: `No ${name} settings given: ${words.join(', ')}.`, topic });
  }
  if (levels.length > 0) {
    filled.push({ line: `No levels given: ${levels.join('; ')}.`, topic: /\blevels?\b/i });
  }
  if (!EXIT_WORDS.test(lower)) {
    if (conditionsIn(spec.exit).length > 0) {
      filled.push({ line: `No exit given: sell when ${describeGroup(spec.exit)}.`, topic: TOPICS.exit });
    }
    if (spec.short && conditionsIn(spec.short.exit).length > 0) {
      filled.push({
        line: `No exit given: cover when ${describeGroup(spec.short.exit)}.`,
        topic: TOPICS.exit,
      });
    }
  }
  if (!pairNamed) filled.push({ line: `No pair named: ${spec.pairs.join(', ')}.`, topic: TOPICS.pair });
  if (findTimeframes(prepare(text)).length === 0) {
    filled.push({ line: `No timeframe named: ${spec.timeframe} candles.`, topic: TOPICS.timeframe });
  }
  if (!STOP_WORDS.test(lower)) {
    filled.push({ line: `No stop-loss named: ${percent(-spec.stoploss)}.`, topic: TOPICS.stop });
  }
  const targets = Object.values(spec.minimalRoi).filter((ratio) => ratio < ROI_OFF_RATIO);
  if (targets.length > 0 && !PROFIT_WORDS.test(lower)) {
    filled.push({
      line: `No take-profit named: ${targets.map(percent).join(', ')} (minimal ROI).`,
      topic: TOPICS.profit,
    });
  }
  if (spec.atrStop && !stated(spec.atrStop.period)) {
    filled.push({ line: `ATR stop over ${spec.atrStop.period} candles.`, topic: /\batr\b/i });
  }
  if (earlier.length > 0) {
    filled.push({ line: `No number of candles back given: ${earlier.join(', ')}.`, topic: TOPICS.earlier });
  }
  return filled;
}

/** A model's line is kept only when every number in it is one the spec or the text holds. */
function grounded(line: string, spec: StrategySpec, text: string): boolean {
  const known = new Set([
    ...statedNumbers(JSON.stringify(spec)),
    ...statedNumbers(text),
    ...[spec.stoploss, ...Object.values(spec.minimalRoi)].map((r) => Number((Math.abs(r) * 100).toFixed(4))),
  ]);
  return [...line.matchAll(/\d+(?:\.\d+)?/g)].every((m) => known.has(Number(m[0])));
}

/**
 * Checks a valid model draft against the trader's text. `knownPairs` is the exchange's market list (the
 * markets snapshot); without it only the text is checked.
 */
export function sayBack(input: {
  text: string;
  spec: StrategySpec;
  modelLines: readonly string[];
  knownPairs?: readonly string[];
}): SaidBack {
  const { text, spec } = input;
  const known = input.knownPairs;
  const unknown = known ? spec.pairs.filter((p) => !known.includes(p)) : [];
  if (unknown.length > 0) {
    return {
      ok: false,
      question: `I don't know the pair ${unknown.join(', ')}. Which pair should the strategy trade? Available pairs: ${known?.join(', ')}.`,
    };
  }
  const baseOf = (pair: string) => pair.split('/')[0] ?? '';
  const named = namedBases(text, new Set([...(known ?? []), ...spec.pairs].map(baseOf)));
  const unnamed = spec.pairs.filter((p) => !named.has(baseOf(p)));
  // A coin the text doesn't name is a default only when the text names no coin at all.
  if (unnamed.length > 0 && (named.size > 0 || spec.pairs.length > 1)) {
    const said =
      named.size > 0 ? `Your message names ${[...named].join(', ')}, not` : "Your message doesn't name";
    const available = known ? ` Available pairs: ${known.join(', ')}.` : '';
    return {
      ok: false,
      question: `${said} ${unnamed.join(', ')}. Which pair should the strategy trade?${available}`,
    };
  }
  const filled = defaultsFilled(text, spec, unnamed.length === 0);
  // The model's own lines say what the check can't see (how a phrase was read): kept when no line above
  // says the same thing and every number in them is one the spec or the text holds.
  const own = input.modelLines.filter(
    (line) => !filled.some((f) => f.topic.test(line)) && grounded(line, spec, text),
  );
  const lines = [...filled.map((f) => f.line), ...own];
  return { ok: true, assumptions: [...new Set(lines)].slice(0, MAX_LINES) };
}
