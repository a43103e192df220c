// Offline parser, the condition grammar. A phrase whose series are already placeholders ("§A crosses
// above §B", "§A below 30 and above 10", "§A between 40 and 60", "§A rising for 3 candles") becomes
// conditions. A phrase without a subject ("sell above 70", "crosses below") continues the one before it;
// an undirected "crosses" takes its direction from the side of the trade it opens or closes.

import type { Condition, Series } from '../spec.ts';
import { idiomFor, type TradeSide } from './idioms.ts';
import { defaultOscillator, reachCondition, zoneCondition } from './levels.ts';
import { NEGATION, OPERATORS, PAST, TOKEN, UNKNOWN_OSCILLATOR, UNREAD_LINE } from './operators.ts';
import { type Item, itemOf, readable, seriesName } from './terms.ts';
import { fail } from './text.ts';

/** Which way an undirected "cross" points on this side of the trade. */
export type Lean = 'up' | 'down';

// Series that live on the price scale, so "above the ema 200" with no subject means the close.
const PRICE_SCALE = new Set(['sma', 'ema', 'wma', 'vwap', 'donchian']);

function priceScale(series: Series): boolean {
  if (series.kind === 'bollinger') return series.output !== 'percent_b' && series.output !== 'width';
  return PRICE_SCALE.has(series.kind);
}

// "macd crosses" means its signal line, "%k crosses" its %D, "+di crosses" the -DI.
function partnerOf(series: Series): Series | undefined {
  if (series.kind === 'macd' && series.output === 'line') return { ...series, output: 'signal' };
  if (series.kind === 'stochastic' && series.output === 'k') return { ...series, output: 'd' };
  if (series.kind === 'adx' && series.output === 'plus_di') return { ...series, output: 'minus_di' };
  return undefined;
}

/** What the grammar remembers between phrases: the last condition, for "sell above 70". */
export type Memory = {
  last?: Condition;
  /** Every condition read so far, in order ("sell at the sma" looks for the entry's side of that line). */
  seen?: Condition[];
  /** The trade the phrases being read open or close. */
  side?: TradeSide;
  /**
   * Series named in a phrase of their own ("stochastic 14 3 3, buy under 20", "macd + rsi combo"):
   * the subject of the next phrase that has none, or a name for series used elsewhere.
   */
  named?: { series: Series; said: string }[];
  /** Where a default the grammar filled in is said back ("oversold" as RSI below 30). */
  assumed?: string[];
};

type Reader = {
  tokens: string[];
  at: number;
  items: readonly Item[];
  phrase: string;
  /** The line an undirected cross of the current subject means, when its term said ("the emas"). */
  partner?: Series;
  /** The right-hand line was a pair ("above both emas", "below the ema" after two were named). */
  pairOnRight?: boolean;
};

const quote = (r: Reader) => readable(r.phrase, r.items);

function seriesAt(r: Reader, token: string | undefined): Series | undefined {
  const item = token === undefined ? undefined : itemOf(token, r.items);
  return item !== undefined && 'series' in item ? item.series : undefined;
}

function operand(r: Reader): Series | number | undefined {
  const token = r.tokens[r.at];
  const series = seriesAt(r, token);
  if (series !== undefined) {
    const item = token === undefined ? undefined : itemOf(token, r.items);
    r.at += 1;
    if (item !== undefined && 'partner' in item && item.partner !== undefined) r.pairOnRight = true;
    return series;
  }
  if (token !== undefined && /^-?\d/.test(token)) {
    r.at += 1;
    return Number(token);
  }
  return undefined;
}

function numberAt(r: Reader): number | undefined {
  const value = operand(r);
  return typeof value === 'number' ? value : undefined;
}

function subjectFor(
  left: Series | undefined,
  right: Series | number | undefined,
  memory: Memory,
  r: Reader,
): Series {
  if (left !== undefined) return left;
  const named = takeNamed(memory);
  if (named !== undefined) return named;
  const onPrice = right !== undefined && typeof right !== 'number' && priceScale(right);
  // "macd crosses up and above the 200 ema": a line on the price chart compares the close, not the macd.
  // "the 50 ema is rising. exit below the 50 ema": the line itself is never what it is compared with.
  const same = memory.last !== undefined && JSON.stringify(memory.last.left) === JSON.stringify(right);
  // "... a bullish engulfing candle, sell above 70": the last condition's subject is a candle's open or an
  // earlier candle's price, never what a level is said of.
  const last = memory.last?.left;
  const shape = last?.kind === 'price' && (last.field !== 'close' || (last.ago ?? 0) > 0);
  if (shape && typeof right === 'number')
    return fail(`Above or below what, in "${quote(r)}"? Give a level or a line, for example: RSI below 30.`);
  if (memory.last !== undefined && !same && !(onPrice && scaleOf(memory.last.left) !== 'price'))
    return memory.last.left;
  if (onPrice) return { kind: 'price', field: 'close' };
  return fail(`I couldn't tell which indicator "${quote(r)}" is about; name it, for example: RSI below 30.`);
}

// Which scale a series moves on; a comparison between two scales ("macd crosses rsi") is a misreading.
function scaleOf(series: Series): string {
  // An average or channel of OBV (or of volume) lives on that series' scale, not price's.
  if ('source' in series && (series.source === 'obv' || series.source === 'volume')) return series.source;
  if (priceScale(series) || series.kind === 'price') {
    return series.kind === 'price' && series.field === 'volume' ? 'volume' : 'price';
  }
  if (series.kind === 'volume_sma') return 'volume';
  if (series.kind === 'bollinger') return `bollinger-${series.output}`;
  if (series.kind === 'rsi' || series.kind === 'mfi' || series.kind === 'stochastic') return 'percent';
  return series.kind;
}

function sameScale(left: Series, right: Series | number, r: Reader): void {
  if (typeof right === 'number' || scaleOf(left) === scaleOf(right)) return;
  fail(
    `${seriesName(left)} and ${seriesName(right)} move on different scales, so comparing them in "${quote(r)}" would mean nothing; say what each should do, for example: macd crosses above its signal and rsi below 50.`,
  );
}

function compare(r: Reader, op: string, left: Series | undefined, lean: Lean, memory: Memory): Condition {
  let right = operand(r);
  if (op === 'X' || op === 'XA' || op === 'XB') {
    const subject = subjectFor(left, right, memory, r);
    if (right === undefined) {
      const before = memory.last !== undefined && 'right' in memory.last ? memory.last.right : undefined;
      right = partnerOf(subject) ?? r.partner ?? (left === undefined ? before : undefined);
    }
    // "vwap reclaim", "loses the 50 sma": the close crossing that line.
    if (right === undefined && left !== undefined && priceScale(left)) {
      const up = op === 'XA' || (op === 'X' && lean === 'up');
      return {
        op: up ? 'crosses_above' : 'crosses_below',
        left: { kind: 'price', field: 'close' },
        right: left,
      };
    }
    if (right === undefined) {
      return fail(`What should it cross in "${quote(r)}"? For example: macd crosses above its signal.`);
    }
    const up = op === 'XA' || (op === 'X' && lean === 'up');
    sameScale(subject, right, r);
    return { op: up ? 'crosses_above' : 'crosses_below', left: subject, right };
  }
  // "vwap above", "ema 200 below": the line named first, the close compared with it.
  if (right === undefined && left !== undefined && left.kind !== 'price' && priceScale(left)) {
    return { op: op === 'GT' ? 'above' : 'below', left: { kind: 'price', field: 'close' }, right: left };
  }
  // "buy when price closes above the 50 ma, sell when it closes below": the same line.
  const previous = memory.last;
  if (
    right === undefined &&
    previous !== undefined &&
    'right' in previous &&
    typeof previous.right !== 'number' &&
    (left === undefined || JSON.stringify(left) === JSON.stringify(previous.left))
  ) {
    return { op: op === 'GT' ? 'above' : 'below', left: previous.left, right: previous.right };
  }
  if (right === undefined) {
    return fail(`Above or below what, in "${quote(r)}"? Give a level or a line, for example: RSI below 30.`);
  }
  // "price closes below the ema" after "ema 20 ... ema 50": which one is a question, not a pick.
  if (r.partner !== undefined || r.pairOnRight) {
    fail(
      `Which moving average does "${quote(r)}" mean? Name it with its period, for example: close below EMA 50.`,
    );
  }
  const subject = subjectFor(left, right, memory, r);
  sameScale(subject, right, r);
  const held = heldFor(r);
  if (
    held !== undefined &&
    (subject.timeframe !== undefined || (typeof right !== 'number' && right.timeframe !== undefined))
  )
    fail(
      `"${quote(r)}" counts candles of a higher timeframe; say it on the strategy's own candles, or without "in a row".`,
    );
  return {
    op: op === 'GT' ? 'above' : 'below',
    left: subject,
    right,
    ...(held === undefined ? {} : { held }),
  };
}

/** "... for 3 candles in a row" after a comparison: on each of that many candles. */
function heldFor(r: Reader): number | undefined {
  if (r.tokens[r.at] !== 'HELD') return undefined;
  r.at += 1;
  const n = numberAt(r);
  if (n === undefined || !Number.isInteger(n) || n < 2 || n > 10)
    return fail(`I can read a comparison held over 2 to 10 candles in a row, not "${quote(r)}".`);
  return n;
}

function trend(r: Reader, op: string, left: Series | undefined, memory: Memory): Condition {
  const subject = subjectFor(left, undefined, memory, r);
  // "rising for 3 candles"; a number that can't be a count ("turning up from zero") is left to be read.
  if (r.tokens[r.at] === 'HELD') r.at += 1;
  const next = r.tokens[r.at];
  const count = next !== undefined && /^\d+$/.test(next) && Number(next) >= 1 ? numberAt(r) : undefined;
  const candles = count ?? 1;
  if (r.tokens[r.at] === 'CANDLES') r.at += 1;
  return { op: op === 'RISE' ? 'rising' : 'falling', left: subject, candles };
}

function whatShould(series: Series, said: string): never {
  return fail(
    `What should ${seriesName(series)} do in "${said}"? For example: macd crosses above its signal.`,
  );
}

// A phrase with no indicator (§), number, comparison or pronoun that could carry the one before.
const CHATTER =
  /^(?![\s\S]*(?:§|\d|[<>=]|\b(?:above|below|over|under|cross\w*|ris\w+|fall\w*|higher|lower|up|down|it|its|it's|they|them|this|that\s+(?:one|line|level)|price|close[sd]?|closing|candles?|green|red|flat|zero|oversold|overbought|bullish|bearish|positive|negative|trend\w*|touch\w*|break\w*|bounc\w*|long\w*|short\w*|buy\w*|sell\w*|enter\w*|entr\w*|exit\w*)\b))/;

// Chatter is the trader talking about themself ("i have no idea what i'm doing", "without me watching"); a
// bare "not" split off before "when macd is negative" is a rule, and never chatter.
const STORY = /\b(?:i|i'm|im|i'd|i've|ive|me|my|gonna|lol|honestly|imo|idk|ngl|tbh)\b/;

/**
 * The conditions one phrase states, all of which must hold. `lean` is the direction of an undirected
 * cross; `memory` carries the subject of the previous phrase into this one.
 */
export function readConditions(
  phrase: string,
  items: readonly Item[],
  lean: Lean,
  memory: Memory,
): Condition[] {
  if (PAST.test(phrase) && /oversold|overbought/.test(phrase)) {
    fail(
      `I can only read what holds on the candle being traded, not "${readable(phrase, items)}"; say it as now, for example: stoch crosses above 20.`,
    );
  }
  // "macd crosses above signal while both are below zero": the two lines of that cross, each.
  const pair = memory.last;
  if (
    !phrase.includes('§') &&
    /\b(?:both|they)\b/.test(phrase) &&
    pair !== undefined &&
    (pair.op === 'crosses_above' || pair.op === 'crosses_below') &&
    typeof pair.right !== 'number'
  ) {
    const each = (line: Series) =>
      readConditions(phrase.replace(/\b(?:both|they)\b/g, ' '), items, lean, {
        ...memory,
        last: { op: 'above', left: line, right: 0 },
      });
    const read = [...each(pair.left), ...each(pair.right)];
    memory.last = pair;
    return read;
  }
  // "sell when either is overbought", "when both are over 75": name each indicator.
  if (!phrase.includes('§') && /\b(?:either|both|they|them|each)\b/.test(phrase)) {
    fail(
      `Which indicators does "${readable(phrase, items)}" mean? Name each, for example: sell when RSI is above 70 or MFI is above 80.`,
    );
  }
  // "not gonna lie i have no idea what i'm doing", "i don't really trust indicators that much": a negation
  // in chatter that names nothing and compares nothing is no rule to turn round.
  if (
    NEGATION.test(phrase) &&
    !(CHATTER.test(phrase) && STORY.test(phrase) && phrase.trim().split(/\s+/).length >= 4)
  ) {
    fail(
      `I can't read negations like "${readable(phrase, items)}"; say it the positive way, for example: RSI above 30.`,
    );
  }
  let text = phrase;
  for (const [pattern, token] of OPERATORS) text = text.replace(pattern, token);
  const r: Reader = { tokens: [...text.matchAll(TOKEN)].map((m) => m[0]), at: 0, items, phrase };
  const said = readable(phrase, items);
  const found: Condition[] = [];
  let left: Series | undefined;
  while (r.at < r.tokens.length) {
    const token = r.tokens[r.at] ?? '';
    r.at += 1;
    const item = itemOf(token, items);
    if (item !== undefined && 'condition' in item) found.push(item.condition);
    else if (item !== undefined) {
      // "watching macd. macd crosses up": the same series named twice in a row is one.
      if (left !== undefined && JSON.stringify(left) === JSON.stringify(item.series)) continue;
      // "sma20 sma50 cross": two lines and then a cross, the first crossing the second.
      const next = r.tokens[r.at];
      if (left !== undefined && (next === 'X' || next === 'XA' || next === 'XB')) {
        r.at += 1;
        const up = next === 'XA' || (next === 'X' && lean === 'up');
        sameScale(left, item.series, r);
        found.push({ op: up ? 'crosses_above' : 'crosses_below', left, right: item.series });
        memory.last = found.at(-1);
        left = undefined;
        continue;
      }
      // A series nothing was said about, followed by another: never dropped, asked about. Price is the
      // subject anyway ("price bounces off vwap").
      if (left !== undefined && !(left.kind === 'price' && left.field === 'close')) whatShould(left, said);
      left = item.series;
      r.partner = item.partner;
    } else if (token === 'BTW') {
      const low = numberAt(r);
      const high = numberAt(r);
      if (low === undefined || high === undefined) fail(`Between which two levels, in "${said}"?`);
      found.push({ op: 'between', left: subjectFor(left, undefined, memory, r), low, high });
    } else if (token === 'RISE' || token === 'FALL') found.push(trend(r, token, left, memory));
    else if (token === 'OS' || token === 'OB' || token === 'OSX' || token === 'OBX') {
      const subject = left ?? takeNamed(memory) ?? memory.last?.left;
      if (subject === undefined && UNKNOWN_OSCILLATOR.test(phrase))
        fail(
          `I don't know the indicator in "${said}"; use RSI, Stochastic, MFI or CCI, for example: stoch below 20.`,
        );
      const zone = token.startsWith('OS') ? 'oversold' : 'overbought';
      const reading = subject ?? defaultOscillator();
      if (subject === undefined)
        memory.assumed?.push(`No indicator named for ${zone}: ${seriesName(reading)}.`);
      found.push(zoneCondition(reading, zone, token.endsWith('X'), memory.assumed ?? []));
    } else if (token === 'AT') {
      // "sell at rsi 70": the series may come after "at".
      const named = seriesAt(r, r.tokens[r.at]);
      if (named !== undefined) r.at += 1;
      const subject = named ?? left ?? takeNamed(memory) ?? memory.last?.left;
      const level = numberAt(r);
      if (subject === undefined || level === undefined)
        fail(
          `I couldn't tell which indicator "${said}" is about; name it, for example: sell when RSI is above 70.`,
        );
      found.push(reachCondition(subject, level, memory.last, memory.assumed ?? []));
    } else if (['X', 'XA', 'XB', 'GT', 'LT'].includes(token))
      found.push(compare(r, token, left, lean, memory));
    else
      fail(
        `I couldn't read "${token === 'CANDLES' ? 'candles' : token === 'HELD' ? 'in a row' : token}" in "${said}".`,
      );
    const last = found.at(-1);
    if (last !== undefined && last !== memory.last) {
      memory.last = last;
      left = undefined;
    }
  }
  if (left !== undefined && found.length === 0) {
    const side = memory.side ?? (lean === 'up' ? 'entry' : 'exit');
    const idiom = idiomFor(left, phrase, side, memory.assumed ?? [], memory.last, memory.seen);
    if (idiom !== undefined) {
      memory.last = idiom.at(-1);
      return idiom;
    }
    memory.named = [...(memory.named ?? []), { series: left, said }];
    return found;
  }
  if (left !== undefined) whatShould(left, said);
  // "sell at the upper band" with no band the reader knows: asked about, never dropped.
  if (found.length === 0 && UNREAD_LINE.test(phrase.replace(/§[A-Z]/g, ' '))) {
    fail(
      `I couldn't read "${said}"; name the indicator, for example: sell when the close is above the upper Bollinger band.`,
    );
  }
  return found;
}

// A series named on its own leads the next phrase only while nothing else was said in between.
function takeNamed(memory: Memory): Series | undefined {
  if (memory.last !== undefined) return undefined;
  return memory.named?.shift()?.series;
}

/**
 * Series named on their own that no phrase took up: fine when conditions use that indicator ("macd + rsi
 * combo, rsi above 50 and macd above signal"), asked about otherwise: never dropped.
 */
export function settleNamed(memory: Memory, used: readonly Condition[]): void {
  const lines = new Set(
    used
      .flatMap((c) => ('right' in c && typeof c.right !== 'number' ? [c.left, c.right] : [c.left]))
      .map((x) => JSON.stringify(x)),
  );
  for (const { series, said } of memory.named ?? [])
    if (!lines.has(JSON.stringify(series))) whatShould(series, said);
}
