// Offline parser, the words for series: each indicator family (averages.ts, macd.ts, bands.ts,
// oscillators.ts) lists term rules, and this file runs them over one condition phrase, replacing each
// series it names ("the 200 ema", "macd signal", "lower bollinger band") with a placeholder such as "§A".
// The condition grammar then reads "§A crosses above §B" without knowing any indicator. A rule can also
// stand for a whole condition ("donchian 20 breakout").
import type { Condition, Series, Timeframe } from '../spec.ts';
import { TIMEFRAMES } from '../spec.ts';
import type { Scan } from './text.ts';

/** What a placeholder stands for. */
export type Item =
  | {
      series: Series;
      /** The line an undirected cross of this one means ("the emas cross back": the other average). */
      partner?: Series;
    }
  | { condition: Condition };

/**
 * What the rules remember while reading the text, so "its signal", "%d" or "the lower band" reuse the
 * parameters the trader gave a moment before ("macd 8/21/5 crosses its signal").
 */
export type TermContext = {
  last: Map<string, Series>;
  families: Set<string>;
  /** Where a rule says back a default it filled in, and the candles in a day for windows that span one. */
  scan?: Scan;
  /** Moving averages named so far, for "the emas" and a bare "ema" after "ema 12 ... ema 26". */
  averages?: Series[];
  /** The whole text the rules run over. */
  text?: string;
  /** The text before the phrase a rule is building, with its side marks ("@3" opens a short). */
  before?: string;
  /** The phrase the rule matched. */
  matched?: string;
  /** The text after the phrase a rule is building. */
  after?: string;
  /** A series a rule built for a pair of lines, and the other line of the pair. */
  partners?: WeakMap<Series, Series>;
  /** What the placeholders in `before` stand for, while rules run. */
  items?: readonly Item[];
};

/**
 * One phrase shape: a global pattern, and what a match means (a series or a whole condition). `family`
 * limits a rule to texts that name that indicator ("d" is Stochastic %D only when Stochastic is named).
 */
export type TermRule = {
  pattern: RegExp;
  family?: string;
  /** A series, a condition, or several conditions that all must hold ("a squeeze breakout"). */
  build: (groups: (string | undefined)[], ctx: TermContext) => Series | Condition | Condition[];
};

export const NUM = String.raw`(\d+(?:\.\d+)?)`;
/** "20-period", "20 day", "20 candle": the unit words a trader puts after a period. */
export const UNIT = String.raw`(?:\s*-?\s*(?:period|day|bar|candle|length)s?)?`;

const PLACEHOLDER = '§';
const INFORMATIVE_MARK = /\^([A-J])[\s]*(?:the\s+)?$/;

/** Placeholder "§A" for item `i`; capitals never match a rule, the text is lower case. */
function placeholder(i: number): string {
  return `${PLACEHOLDER}${String.fromCharCode(65 + i)}`;
}

/** The informative marker informative.ts writes over "4h" in "the 4h ema 50": "^" and a letter. */
export function informativeMark(timeframe: Timeframe): string {
  return `^${String.fromCharCode(65 + TIMEFRAMES.indexOf(timeframe))}`;
}

function markedTimeframe(before: string): Timeframe | undefined {
  const letter = INFORMATIVE_MARK.exec(before)?.[1];
  return letter === undefined ? undefined : TIMEFRAMES[letter.charCodeAt(0) - 65];
}

function withTimeframe(found: Series | Condition, timeframe: Timeframe | undefined): Series | Condition {
  if (timeframe === undefined || 'op' in found) return found;
  return { ...found, timeframe };
}

/**
 * Replaces every phrase a rule knows with a placeholder, rules in the order given (most specific first).
 * A series right after an informative marker reads that timeframe ("the 4h ema 50").
 */
export function substitute(
  phrase: string,
  rules: readonly TermRule[],
  ctx: TermContext,
  items: Item[],
): string {
  let text = phrase;
  const outer = ctx.items;
  ctx.items = items;
  for (const rule of rules) {
    if (rule.family !== undefined && !ctx.families.has(rule.family)) continue;
    text = text.replace(rule.pattern, (...args: unknown[]) => {
      const offset = args.find((a, i) => i > 0 && typeof a === 'number');
      const groups = args
        .slice(1, typeof offset === 'number' ? args.indexOf(offset) : 1)
        .map((g) => (typeof g === 'string' ? g : undefined));
      const before = text.slice(0, typeof offset === 'number' ? offset : 0);
      ctx.before = before;
      ctx.matched = typeof args[0] === 'string' ? args[0] : '';
      ctx.after = text.slice(before.length + ctx.matched.length);
      const raw = rule.build(groups, ctx);
      if (Array.isArray(raw)) {
        return raw
          .map((condition) => {
            items.push({ condition });
            return ` ${placeholder(items.length - 1)} `;
          })
          .join('');
      }
      const built = withTimeframe(raw, markedTimeframe(before));
      if (!('op' in built)) ctx.last.set(built.kind, built);
      if (!('op' in built) && (built.kind === 'sma' || built.kind === 'ema' || built.kind === 'wma'))
        ctx.averages = [...(ctx.averages ?? []), built];
      const partner = 'op' in raw ? undefined : ctx.partners?.get(raw);
      items.push('op' in built ? { condition: built } : { series: built, ...(partner ? { partner } : {}) });
      // Leading space keeps "§A" apart from the word before it; the mark it used is dropped.
      return ` ${placeholder(items.length - 1)} `;
    });
    text = text.replace(/\^[A-J](\s*(?:the\s+)?)§/g, '$1§');
  }
  ctx.items = outer;
  return text;
}

/** The series of a kind nearest before the phrase a rule is building ("signal" after "the 4h macd"). */
export function nearestBefore(ctx: TermContext, kind: Series['kind']): Series | undefined {
  const tokens = [...(ctx.before ?? '').matchAll(new RegExp(`${PLACEHOLDER}[A-Z]`, 'g'))].reverse();
  for (const [token] of tokens) {
    const item = itemOf(token, ctx.items ?? []);
    if (item !== undefined && 'series' in item && item.series?.kind === kind) return item.series;
  }
  return undefined;
}

/** The item a placeholder token stands for. */
export function itemOf(token: string, items: readonly Item[]): Item | undefined {
  if (!token.startsWith(PLACEHOLDER)) return undefined;
  return items[token.charCodeAt(1) - 65];
}

/** A series in the trader's words, for refusal sentences: "EMA 200", "MACD signal", "lower Bollinger band". */
export function seriesName(series: Series): string {
  switch (series.kind) {
    case 'price':
      return series.field === 'close' ? 'price' : series.field;
    case 'macd':
      return series.output === 'line' ? 'MACD' : `MACD ${series.output}`;
    case 'bollinger':
      return `Bollinger ${series.output.replace('_', ' ')}`;
    case 'stochastic':
      return `Stochastic %${series.output.toUpperCase()}`;
    case 'adx':
      return { adx: 'ADX', plus_di: '+DI', minus_di: '-DI' }[series.output];
    case 'obv':
      return 'OBV';
    case 'donchian':
      return `Donchian ${series.output} ${series.period}`;
    case 'volume_sma':
      return `volume average ${series.period}`;
    default:
      return `${series.kind.toUpperCase()} ${series.period}`;
  }
}

/** A phrase with its placeholders written back as words, for quoting it to the trader. */
export function readable(phrase: string, items: readonly Item[]): string {
  return phrase
    .replace(/§[A-Z]/g, (token) => {
      const item = itemOf(token, items);
      if (item === undefined) return token;
      return 'series' in item ? seriesName(item.series) : 'that condition';
    })
    .replace(/\s+/g, ' ')
    .trim();
}
