// Offline parser, sides and groups: cuts the text at its action words ("buy when", "sell when", "short
// when", "cover when") and each side at "and" / "or", then hands every phrase to the condition grammar.
// "a and b" is an all-group, "a or b" an any-group, "a and (b or c)" nests one level; "a and b or c"
// without brackets is refused as ambiguous. Text before any action word opens a long trade.

import type { InnerGroup, SignalGroup, SignalItem } from '../spec.ts';
import { type Lean, type Memory, readConditions } from './conditions.ts';
import type { TradeSide } from './idioms.ts';
import { type Item, readable } from './terms.ts';
import { fail } from './text.ts';

export type Side = TradeSide;

// Most specific first: "sell short" is a short entry, "close shorts" a short exit.
const ACTIONS: [Side, RegExp][] = [
  [
    'shortExit',
    /\b(?:cover(?:s|ing)?(?:\s+(?:the\s+)?shorts?)?|buy\s+back|(?:close|exit)\s+(?:the\s+)?shorts?)\b/g,
  ],
  ['shortEntry', /\b(?:sell\s+short|go\s+short|(?:open|enter)\s+(?:a\s+)?short|short(?:s|ing)?)\b/g],
  [
    'exit',
    /\b(?:(?:close|exit)\s+(?:the\s+)?longs?|sell(?:s|ing)?|exit(?:s|ing)?|(?:get|gets|getting)\s+out|(?<=(?:=|,|;|\/)\s*)flat\b|go(?:es)?\s+flat|(?<!\b(?:stay|stays|staying|be|remain)\s+)flat(?=\s+(?:at|below|above|under|over|when|if|on)\b)|(?<=(?:,|;)\s*)out(?=\s+(?:below|under|above|over|when|if|on|at)\b)|(?<=\d\s*)out(?=\s*(?:[,.;!]|$))|(?<!\b(?:prev|previous|prior|last|candle'?s?|bar'?s?|day'?s?|green|red|bullish|bearish|higher|lower)\s+|\b\d+\s+(?:consecutive|straight)\s+)close(?:s|ing)?(?!\s+(?:(?:back|firmly|strongly|decisively)\s+)?(?:is|above|over|below|under|inside|within|cross\w*|break\w*|higher|lower|green|red|in\s+a\s+row|>|<|§)|(?<=\bcloses|\bclosing)\s+(?:(?:more\s+than|at\s+least)\s+)?\d+(?:\.\d+)?\s*%\s+(?:or\s+more\s+)?(?:above|over|below|under)\b))\b/g,
  ],
  ['entry', /\b(?:go\s+long|(?:open|enter)\s+(?:a\s+)?long|buy(?:s|ing)?|enter(?:s|ing)?|entry|longs?)\b/g],
];
const MARK: Record<Side, string> = { entry: '@1', exit: '@2', shortEntry: '@3', shortExit: '@4' };
const SIDE_OF: Record<string, Side> = { '1': 'entry', '2': 'exit', '3': 'shortEntry', '4': 'shortExit' };
const LEAN: Record<Side, Lean> = { entry: 'up', exit: 'down', shortEntry: 'down', shortExit: 'up' };

/** Replaces action words with side marks ("@1" buy, "@2" sell, "@3" short, "@4" cover). */
export function markActions(text: string): string {
  let marked = text;
  for (const [side, pattern] of ACTIONS) marked = marked.replace(pattern, ` ${MARK[side]} `);
  return marked;
}

/**
 * The marked text cut into sides, in reading order. Usually the action leads ("buy when A, sell when B")
 * and text before the first action opens a long; when conditions lead and each action closes its clause
 * ("A buy, B sell"), each side takes the text before its action word.
 */
export function splitSides(marked: string): { side: Side; text: string }[] {
  const parts = marked.split(/@([1-4])/);
  const prefix = parts[0] ?? '';
  const trailing = /^[^,;.§]*[,;.]|^[^§]*$/;
  // "rsi < 30 buy, > 70 sell" trails, as does "stoch under 20, long; stoch over 80, close"; but
  // "rsi under 30, sell at 60" ends its clause before an action that leads the next one.
  const after = parts[2] ?? '';
  const clauseEnded = /[,;.]\s*$/.test(prefix);
  // "rsi 21 buy <30 sell >65": a comparison right after the action belongs to it.
  const leadsComparison = /^\s*(?:[<>]=?|(?:is\s+)?(?:below|under|above|over)\b|when\b|if\b)/.test(after);
  // "rsi <30 buy >70 sell": a comparison before the first action and nothing after the last one trail too.
  const endsWithAction =
    parts.length > 3 &&
    /^[\s.!,;]*$/.test(parts.at(-1) ?? '') &&
    /(?:[<>]=?|\b(?:below|under|above|over)\b)\s*-?\d/.test(prefix);
  // "rsi<30 and price > ema 200 buy >70 sell": whose is the 70? Asked, never given to the last one named.
  const lastClause = prefix.split(/[.;,]/).at(-1) ?? '';
  if (endsWithAction && !after.includes('§') && new Set(lastClause.match(/§[A-Z]/g) ?? []).size > 1)
    fail(
      'Say which indicator each level after an action is for, for example: buy when RSI is below 30 and price is above EMA 200, sell when RSI is above 70.',
    );
  const actionsTrail =
    prefix.includes('§') &&
    parts.length > 2 &&
    (endsWithAction ||
      (!leadsComparison && (clauseEnded ? /^\s*(?:[,;.]|$)/.test(after) : trailing.test(after))));
  // "under the 200 sma = short when rsi hits 65": conditions before "=" belong to the action after it.
  const leads = !actionsTrail && prefix.includes('§') && LEADS_TO.test(prefix);
  const sides: { side: Side; text: string }[] =
    actionsTrail || leads ? [] : [{ side: 'entry', text: prefix }];
  for (let i = 1; i < parts.length; i += 2) {
    const side = SIDE_OF[parts[i] ?? '1'] ?? 'entry';
    const text = actionsTrail ? (parts[i - 1] ?? '') : (parts[i + 1] ?? '');
    sides.push({ side, text: leads && i === 1 ? `${prefix.replace(LEADS_TO, ' and ')} ${text}` : text });
  }
  const last = sides.at(-1);
  if (actionsTrail && last !== undefined) last.text += ` ${parts.at(-1) ?? ''}`;
  return sides;
}

const LEADS_TO = /\s*=>?\s*$/;

type Joined = { joiner: 'and' | 'or'; parts: string[]; afterAnd: boolean[] };

// Splits at top-level "and", "or", "&", "|" and commas; brackets stay whole.
function splitJoined(text: string, items: readonly Item[]): Joined {
  const parts: string[] = [];
  // Whether each part came after an "and" the trader wrote (not a comma, "with", "if" or "when").
  const afterAnd: boolean[] = [false];
  const joiners = new Set<'and' | 'or'>();
  let depth = 0;
  let current = '';
  // "macd cross up but only if rsi is under 50": "but", "if", "when", "while" join conditions too.
  if (/\beither\s+(?:is|are|one|of|gets?|goes?|cross\w*|hits?)\b/.test(text)) {
    fail(
      `Which indicator does "${readable(text, items).trim()}" mean? Name each, for example: sell when RSI is above 70 or MFI is above 80.`,
    );
  }
  const words = text
    .replace(/\beither\b/g, ' ')
    .replace(/\b(?:but|only\s+if|if|when|whenever|while|provided(?:\s+that)?|as\s+long\s+as)\b/g, ' and_ ')
    .split(/(\(|\)|\band_|\band\b|\bor\b|&|\||,|\bplus\b|\+|\bwith\b)/);
  for (const word of words) {
    if (word === '(') depth += 1;
    if (word === ')') depth -= 1;
    const joiner =
      word === 'or' || word === '|'
        ? 'or'
        : word === 'and' ||
            word === 'and_' ||
            word === '&' ||
            word === 'plus' ||
            word === '+' ||
            word === 'with'
          ? 'and'
          : undefined;
    if (depth === 0 && (joiner !== undefined || word === ',')) {
      if (joiner !== undefined && current.trim() !== '') joiners.add(joiner);
      parts.push(current);
      afterAnd.push(word === 'and' || word === '&' || word === 'plus' || word === '+');
      current = '';
    } else current += word;
  }
  parts.push(current);
  if (joiners.size > 1) {
    fail(
      `"${readable(text, items).replace(/^[,;\s]+|[,;\s]+$/g, '')}" mixes "and" with "or"; put the "or" part in brackets, for example: rsi below 30 and (macd above 0 or cci below -100).`,
    );
  }
  const kept = parts.flatMap((p, i) => (p.trim() === '' ? [] : [{ p, and: afterAnd[i] === true }]));
  return {
    joiner: joiners.has('or') ? 'or' : 'and',
    parts: kept.map((k) => k.p),
    afterAnd: kept.map((k) => k.and),
  };
}

const BRACKETED = /^\s*\((.*)\)\s*$/s;

function innerGroup(text: string, items: readonly Item[], lean: Lean, memory: Memory): InnerGroup {
  const { joiner, parts } = splitJoined(text, items);
  const conditions = parts.flatMap((p) => {
    const read = readConditions(p, items, lean, memory);
    memory.seen = [...(memory.seen ?? []), ...read];
    return read;
  });
  if (conditions.length === 0) fail(`I couldn't read a condition in "(${text.trim()})".`);
  const [first, ...rest] = conditions;
  if (first === undefined) return fail('empty group');
  return joiner === 'or' ? { any: [first, ...rest] } : { all: [first, ...rest] };
}

function readItem(
  part: string,
  items: readonly Item[],
  lean: Lean,
  memory: Memory,
  joiner: 'and' | 'or',
): SignalItem[] {
  const bracketed = BRACKETED.exec(part);
  if (bracketed !== null && /\b(?:and|or)\b|&|\|/.test(bracketed[1] ?? '')) {
    return [innerGroup(bracketed[1] ?? '', items, lean, memory)];
  }
  const conditions = readConditions(part.replace(/[()]/g, ' '), items, lean, memory);
  memory.seen = [...(memory.seen ?? []), ...conditions];
  // "stoch k crosses above d below 20" inside an or-list is one alternative: both must hold.
  if (joiner === 'or' && conditions.length > 1) {
    const [first, ...rest] = conditions;
    return first === undefined ? [] : [{ all: [first, ...rest] }];
  }
  return conditions;
}

/** One side's phrases as a signal group. */
export function readGroup(text: string, items: readonly Item[], side: Side, memory: Memory): SignalGroup {
  const { joiner, parts, afterAnd } = splitJoined(text, items);
  memory.side = side;
  const read = parts.flatMap((p, i) => {
    const got = readItem(p, items, LEAN[side], memory, joiner);
    // "rsi below 30 and the candle does something": a condition joined with "and" that reads as nothing
    // is asked about, never dropped.
    if (
      got.length === 0 &&
      afterAnd[i] &&
      !p.includes('§') &&
      SAYS_A_CONDITION.test(p) &&
      contentWords(p).length > 0
    )
      fail(
        `I couldn't read "${readable(p, items).trim()}"; say it with an indicator, for example: rsi below 30 and macd above its signal.`,
      );
    return got;
  });
  return joiner === 'or' ? { any: read } : { all: read };
}

// Words that make a part a condition on the market, not talk ("it bounces hard, can we build that").
const SAYS_A_CONDITION =
  /\b(?:above|below|over|under|cross\w*|rising|falling|breaks?|breaking|green|red|higher|lower|bullish|bearish|candles?|price|volume|trend\w*|flips?|turns?)\b/;

const FILLER =
  /\b(?:then|also|only|just|it|its|the|a|an|is|are|be|to|on|at|of|in|for|so|too|again|now|please|pls|plz|ok|okay|maybe|also|both|that|this|all|more|some|other|trade|trades|trading|go|do)\b/g;

/** The words of a part that could say something, fillers and side marks left out. */
function contentWords(part: string): string[] {
  return part
    .replace(/@[1-4]/g, ' ')
    .replace(FILLER, ' ')
    .split(/[^a-z]+/)
    .filter((w) => w.length > 2);
}
