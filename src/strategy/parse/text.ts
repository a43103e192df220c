// Shared reading tools for the offline parser. Each reader takes the phrases it understands out of the
// text (blanking them with spaces so positions stay put), so later readers never mistake "5% stop" or
// "4h" for indicator periods, and whatever is left over can be reported instead of silently ignored.

import { AppError } from '../../errors.ts';
import { NUMBER_ONES, NUMBER_TENS } from '../number-names.ts';
import { averagesNamed, EARLIER_PRICE, NAMED_AVERAGE } from './patterns.ts';
import { correctTypos } from './typos.ts';

/**
 * The text as the readers see it: `lower` loses each phrase a reader takes, `original` keeps the case
 * (both with typos corrected); `assumed` collects, in one
 * line each, every default a reader filled in for something the text left out (said back on the card).
 */
export type Scan = {
  lower: string;
  /** Kept as written, but for a phrase a reader has read whose words would mislead the side readers after it
   * (a trend's definition, "(close > ema 50)": "close" is an exit word), blanked as in `lower`. */
  original: string;
  readonly assumed: string[];
  /** The text asked for leverage: futures, traded without it. */
  leveraged?: boolean;
  /** Candles in one day on the strategy's timeframe, once it is known (a day-long VWAP window). */
  dayCandles?: number;
};

/** One phrase a reader took out of the text. */
export type Hit = { index: number; end: number; groups: (string | undefined)[] };

/** Stops parsing with a sentence for the trader. */
export function fail(reason: string): never {
  throw new AppError('PARSE_FAILED', reason);
}

/**
 * ASCII-folds the text, writes "percent", "per cent" and "pct" as "%" so every percentage reader sees one
 * form, and splits glued indicator periods ("sma20" -> "sma 20"); same length in both cases.
 */
// "keltner isn't supported right? then bollinger ...", "heikin ashi? if not just do an ema cross",
// "stoch rsi? nah just regular stochastic": a question the trader answers themself, then what they want.
// Only a question the trader turns down themself counts ("if not", "nah", "no hma?", "isn't supported
// right? then"): "eth on the 4h? then buy when ..." keeps every word.
const SELF_ANSWERED =
  /^(?:(?:[^.!?]|\.{2,}(?!\.))*\?+\s*(?:(?:if\s+not|nah|nope|no|otherwise|instead)\b[\s,]*)+(?:[^.!?]*\?+\s*(?:then\s+)?)?|(?:[^.!?]|\.{2,}(?!\.))*\b(?:(?:isn'?t|not|aren'?t)\s+supported|ok(?:ay)?\s+no\s+\w+)\b[^.!?]*\?+\s*(?:(?:then|ok(?:ay)?|fine)\b[\s,]*)*)(?:(?:just|i'?ll\s+take|use|do)\s+)*(?:(?:an?|the)\s+)?(?:regular\s+|normal\s+|plain\s+)?/i;

// What a self-answered question may turn down: things the strategy language can't express. A question
// about something it can ("can u use vwap? if not ...") is left whole, and the readers ask.
const UNSUPPORTED_ASKED =
  /\b(?:heikin|hma|hull|dema|tema|vwma|kama|keltner|stoch\s*-?\s*rsi|stochrsi|ichimoku|supertrend|psar|parabolic|renko|grid|martingale|divergence|fib\w*|pivots?|order\s*flow|anchored)\b/i;

/** What the trader settles on after turning down their own question; the text itself otherwise. */
function settled(text: string): string {
  const m = SELF_ANSWERED.exec(text);
  if (!m || m[0].length >= text.length || !UNSUPPORTED_ASKED.test(m[0])) return text;
  return text.slice(m[0].length);
}

// "obv divergence... nah just buy when ...", "the 50 ema... wait no, the 100 ema", "bands are below
// price... wait no, when price is below the lower band": the trader corrects themself mid-message. A bare
// "wait" is no correction ("wait for macd to cross up too").
const CORRECTION =
  /(?:\.{2,}|…|\?|\s[—–]\s?|\s--\s?)\s*(?:(?:nah|nope|no\s+wait|wait\s+no|no\s+sorry|i\s+mean|scratch\s+that|oops|actually\s+no)\b[\s,:;-]*)+|,\s*(?:nah|no\s+wait|wait\s+no|scratch\s+that|i\s+mean|sorry(?![\s,]*(?:[.!?]|$|for|about|if|but|guys|lol|again))|actually|correction)\b[\s,:;-]*|\s(?:nah|nope)\b[\s,:;-]*/i;
const FILLER_WORDS = new Set([
  'a',
  'an',
  'the',
  'just',
  'normal',
  'regular',
  'plain',
  'make',
  'it',
  'do',
  'use',
  'with',
]);
// Words a corrected phrase may start with before the word both share: "the 50 ema" corrected by "the 100 ema".
const PHRASE_LEAD = /^(?:\d+(?:\.\d+)?%?|the|a|an|sma|ema|wma|ma)$/;
// What a correction may not remove: another clause or side. Then it is left for the readers to ask about.
const CLAUSE = /[,;&+]|\b(?:buy|sell|exit|short|cover|long|enter|when|if|and|or|plus|with)\b/i;
// "rsi + macd confluence... nah just rsi": "just" says the joined parts go too.
const CLAUSE_BUT_JOINED = /[,;]|\b(?:buy|sell|exit|short|cover|long|enter|when|if|or)\b/i;
// Pairs and timeframes in what a correction replaces stay: "rsi + macd eth 4h... nah just rsi".
const KEPT =
  /\b(?:\d+\s*(?:m|min|h|hr|d)\b|hourly|daily|btc|eth|sol|bnb|xrp|ada|doge|avax|link|dot|ltc|bitcoin|ether(?:eum)?|solana)\b/gi;

/** Where the corrected phrase starts in `segment`, or undefined when the correction can't be placed. */
function correctedFrom(segment: string, correction: string): number | undefined {
  const words = (correction.toLowerCase().match(/[a-z0-9%.]+/g) ?? []).filter((w) => !FILLER_WORDS.has(w));
  for (const word of words.slice(0, 3)) {
    const tokens = [...segment.toLowerCase().matchAll(/[a-z0-9%.]+/g)];
    const at = tokens.findLastIndex((t) => t[0] === word);
    if (at < 0) continue;
    let first = at;
    while (first > 0 && PHRASE_LEAD.test(tokens[first - 1]?.[0] ?? '')) first -= 1;
    return tokens[first]?.index;
  }
  const comma = segment.lastIndexOf(',');
  return comma >= 0 ? comma + 1 : undefined;
}

/** The text with each correction put in place of what it corrects. */
function selfCorrected(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) {
    const m = CORRECTION.exec(out);
    if (!m) break;
    const before = out.slice(0, m.index);
    const after = out.slice(m.index + m[0].length);
    const start = Math.max(...[...before.matchAll(/[.!?;]/g)].map((b) => b.index + 1), 0);
    const segment = before.slice(start);
    const cut = correctedFrom(segment, after);
    const removed = cut === undefined ? '' : segment.slice(cut);
    // "when price crosses above vwap... wait no, when it closes above": a clause for a clause.
    const lead = /^\s*,?\s*(?:when|if)\b/i.test(after) ? /^\s*,?\s*(?:when|if)\b/i : /^\s*,/;
    // Unplaced, or reaching into another clause: asked about, never guessed.
    const clause = /^\s*(?:just|only)\b/i.test(after) ? CLAUSE_BUT_JOINED : CLAUSE;
    if (cut === undefined || clause.test(removed.replace(lead, ''))) {
      fail(
        `I couldn't tell what "${m[0].replace(/^[\s.…—–,-]+/, '').trim()} ${after.trim().split(/\s+/).slice(0, 6).join(' ')}" corrects; write the strategy again as you want it.`,
      );
    }
    const kept = removed.match(KEPT) ?? [];
    out = `${before.slice(0, start + cut).trimEnd()} ${after}${kept.length ? ` ${kept.join(' ')}` : ''}`;
  }
  return out;
}

// "cover when it drops to 40", "sell when it rises to 70": reaching a level from the side it left. Not an
// average's period ("dips to the 200 sma" is a touch), and not a sequence ("drops to 30 then rises to 35").
const LEVEL_REACHED =
  /\b(drops?|falls?|dips?|sinks?|comes?\s+down|rises?|climbs?|goes\s+up|pushes|pops?)\s+(?:back\s+)?to\s+(?=-?\d+(?:\.\d+)?(?!\s*-?\s*(?:period\s+|day\s+)?(?:sma|ema|wma|ma|vwap)\b|[\d.%])(?:\s|$|[,.;!?]))/gi;

// A clause of settings alone: "14,3,3 settings", "standard 12/26/9", "20 period bands", "stoch period 21",
// "use 12 26 9", "faster settings like 5, 35, 5", "use 5 3 3 settings since i want it faster".
const SETTINGS_APART =
  /(^|[,.;:!?(]\s*)(?:(?:can|could|we|you|i|let'?s|lets|try|go|with|use|using|and|but|so|maybe|just)\s+){0,4}(?:(?:the\s+)?(?:standard|default|usual|classic|faster|slower)\s+)?(?:(rsi|stoch\w*|cci|mfi|macd|bb|bollinger|bands?)\s+)?(?:(?:settings?|params?|parameters?|periods?|length|lookback)\s*(?:of|=|:|,|like)?\s*)?(\d{1,3})(?:(?:\s*[,/]\s*|\s+)(\d{1,3}(?:\.\d+)?)(?:(?:\s*[,/]\s*|\s+)(\d{1,3}))?)?(?:(?:\s*-\s*|\s+)(?:settings?|params?|parameters?|periods?|length)(?:\s+(bands?|stoch\w*|rsi|cci|mfi|macd))?)?(?=\s*(?:$|[,.;!?)])|\s+(?:since|because|as|cause|cuz)\b)/gi;
const TAKES: Record<string, { pattern: RegExp; counts: number[] }> = {
  rsi: { pattern: /\brsi\b/i, counts: [1] },
  stochastic: { pattern: /\bstoch\w*(?!\s*rsi)\b/i, counts: [1, 3] },
  cci: { pattern: /\bcci\b/i, counts: [1] },
  mfi: { pattern: /\bmfi\b/i, counts: [1] },
  macd: { pattern: /\bmacd\b/i, counts: [3] },
  bollinger: { pattern: /\b(?:bollinger(?:\s+bands?)?|bb)\b/i, counts: [1, 2] },
};

// Everything a bare window could belong to, each family once.
const WINDOW_TAKERS = [
  /\b(?:volume|vol)\b/i,
  /\batr\b/i,
  /\badx\b/i,
  /\b(?:sma|ema|wma|ma|moving\s+average|average|avg)\b/i,
  /\b(?:donchian|channel)\b/i,
  /\bvwap\b/i,
  /\b(?:bollinger|bb|bands?)\b/i,
  /\brsi\b/i,
  /\bstoch\w*/i,
  /\bcci\b/i,
  /\bmfi\b/i,
  /\bmacd\b/i,
];

/**
 * Each settings clause moved beside the one indicator named that takes that many numbers ("stoch ... 14,3,3
 * settings" -> "stoch 14,3,3 ..."); a clause no single indicator takes stays as written, for the readers.
 */
function settingsApart(text: string): string {
  let out = text;
  // After each move the text is read again: a move shifts every place after it.
  for (let round = 0; round < 4; round++) {
    const moved = moveOneSetting(out);
    if (moved === out) break;
    out = moved;
  }
  return out;
}

/** The text with the last settings clause that one indicator takes moved beside it, or the text itself. */
function moveOneSetting(out: string): string {
  for (const m of [...out.matchAll(SETTINGS_APART)].reverse()) {
    const [whole, lead = '', before, a, b, c, after] = m;
    const named = before ?? after;
    const numbers = [a, b, c].filter((n): n is string => n !== undefined);
    if (
      !/settings?|params?|parameters?|periods?|length|lookback|standard|default|usual|classic|faster|slower|\buse\b|\busing\b/i.test(
        whole,
      )
    )
      continue;
    // "volume above average, 20 period, rsi under 30": something else named takes a window too.
    const takers = WINDOW_TAKERS.filter((t) =>
      t.test(out.slice(0, m.index) + out.slice(m.index + whole.length)),
    );
    if (named === undefined && takers.length > 1) continue;
    const low = named?.toLowerCase();
    const wanted = low?.startsWith('stoch')
      ? 'stochastic'
      : low && /^(?:bb|bollinger|bands?)$/.test(low)
        ? 'bollinger'
        : low;
    const rest = out.slice(0, m.index) + ' '.repeat(whole.length) + out.slice(m.index + whole.length);
    const fits = Object.entries(TAKES).filter(
      ([kind, t]) =>
        (wanted === undefined || wanted === kind) &&
        t.counts.includes(numbers.length) &&
        (t.pattern.test(rest) ||
          (kind === 'bollinger' && wanted === kind && /\b(?:upper|lower|middle|mid)\s+band/i.test(rest))),
    );
    const [kind, take] = fits.length === 1 ? (fits[0] ?? []) : [];
    // "20 period bands" beside "the upper band" names the bands there.
    const mentions = take ? [...rest.matchAll(new RegExp(take.pattern.source, 'gi'))] : [];
    const bands =
      kind === 'bollinger' && mentions.length === 0
        ? /\b(?:upper|lower|middle|mid)\s+band/i.exec(rest)
        : null;
    // Named twice, whose window it is is asked about ("cci breakout ..., period 30, exit when cci ...").
    const at = mentions.length === 1 ? mentions[0] : undefined;
    const cut = `${out.slice(0, m.index)}${lead}${out.slice(m.index + whole.length)}`;
    const shift = (index: number) => (index > m.index ? index - whole.length + lead.length : index);
    if (bands) {
      const place = shift(bands.index);
      return `${cut.slice(0, place)}bollinger ${numbers.join(' ')} ${cut.slice(place)}`;
    }
    // Already given beside its name: nothing to move.
    if (!at || /^\s*\(?\s*\d/.test(rest.slice(at.index + at[0].length))) continue;
    const end = shift(at.index + at[0].length);
    // In brackets, so nothing after them ("5 3 3 %k") joins the last number.
    return `${cut.slice(0, end)}(${numbers.join(',')})${cut.slice(end)}`;
  }
  return out;
}

// A sentence of background: what the trader did, saw or thinks ("honestly the cci has been more reliable
// than rsi for me", "i read that the macd works better on higher timeframes"), with no action, comparison,
// number, coin or timeframe in it. Left out only beside another sentence that says when to trade.
const BACKGROUND =
  /\b(?:been|was|were|had|noticed|read\s+(?:that|about)|i\s+think|honestly|imo|swears?\s+by|keeps?|kept|used\s+to|lately|yesterday|tried|tested|testing|watching|watched|learn(?:ed|t)|seen|saw|heard|works?\s+better|more\s+reliable)\b/i;
const RULE_WORDS =
  /[<>=%$\d]|\b(?:buy\w*|sell\w*|long\w*|short\w*|enter\w*|entr(?:y|ies)|exit\w*|cover\w*|take\s+profit|tp|stop\w*|sl|trail\w*|above|below|under|over|cross\w*|break\w*|bounc\w*|touch\w*|hourly|daily|weekly|minutes?|hours?|days?|leverage|futures|perps?|spot|pairs?|want\w*|wanna|need\w*|should|must|only|rising|falling|oversold|overbought|filter\w*|confirm\w*|when|if|while)\b/i;
// Coins a background sentence names carry over when the rest names none ("... more reliable for me on bnb.
// 1hr chart, cci below -200 ..."); beside a coin the rest names, they are left out with the story.
const COIN_WORDS = /\b(?:btc|eth|sol|bnb|xrp|doge|avax|link|ada|bitcoin|ether(?:eum)?|solana|ripple)\b/gi;
const ACTION =
  /\b(?:buy\w*|sell\w*|long\w*|short\w*|enter\w*|entr(?:y|ies)|exit\w*|cover\w*|cross\w*|above|below)\b/i;

/** The text without its background sentences, and those sentences (to say back). */
function withoutBackground(text: string): { text: string; left: string[] } {
  const sentences = text.split(/(?<=[.!?])\s+(?=\S)/);
  if (sentences.length < 2) return { text, left: [] };
  const background = (s: string) => BACKGROUND.test(s) && !RULE_WORDS.test(s);
  const kept = sentences.filter((s) => !background(s));
  if (kept.length === sentences.length || !kept.some((s) => ACTION.test(s))) return { text, left: [] };
  // "I've been using RSI a lot. Buy when it's below 30": what "it" means is in the background.
  if (kept.some((s) => /\b(?:it|its|it's|they|them|those|these)\b/i.test(s))) return { text, left: [] };
  const left = sentences.filter(background).map((s) => s.trim());
  const named = kept.some((s) => new RegExp(COIN_WORDS.source, 'i').test(s));
  const coins = named ? [] : [...new Set(left.flatMap((s) => s.match(COIN_WORDS) ?? []))];
  return { text: `${kept.join(' ')}${coins.length > 0 ? ` on ${coins.join(' and ')}` : ''}`, left };
}

const SLOPE = new RegExp(
  String.raw`\b((?:the\s+)?(?:${NAMED_AVERAGE}|\d+))\s+(?:(?:which|that)\s+)?(?:itself\s+)?(?:(?:is|are|has\s+been|has|have)\s+)?(?:(?:clearly|also|still|now)\s+)?(?:flattens?\s+out\s+and\s+)?(?:slop(?:es|ing|ed)?|point(?:s|ing|ed)?|head(?:s|ing|ed)?|curl(?:s|ing|ed)?|trend(?:s|ing|ed)?|turn(?:s|ing|ed)?|angl(?:es|ing|ed)|tick(?:s|ing|ed)?|moving|sloped)\s+(up(?:wards?)?|higher|down(?:wards?)?|lower)\b`,
  'gi',
);
const CHAIN = new RegExp(
  String.raw`(price|close|${NAMED_AVERAGE})\s*(>|<|above|below|over|under)\s*(${NAMED_AVERAGE})\s*\2\s*(${NAMED_AVERAGE})`,
  'i',
);

const BARE_THE =
  /\bthe\s+(\d{1,3})\b(?!\s*(?:-?\s*(?:%|x\b|times|candles?|bars?|periods?|days?|sma|ema|wma|ma\b|moving|minutes?|mins?|m\b|h\b|hours?|hr|d\b|level|line|mark|zone|ones?)|\.\d))/gi;

const COMPARED_AFTER =
  /^\s*(?:is\s+|goes\s+|drops\s+|falls\s+|stays\s+)?(?:above|below|over|under|[<>]|cross\w*)/i;
const COMPARED_BEFORE =
  /(?:above|below|over|under|[<>]|cross\w*(?:\s+(?:above|below|over|under|up|down))?)\s*$/i;

/** "the 9" for the "9 ema" named before, when that period was named with one kind of average only. */
function namedAverages(text: string): string {
  const kinds = new Map<string, Set<string>>();
  for (const { kind, period } of averagesNamed(text)) {
    if (kind === 'ma' || period > 999) continue;
    kinds.set(String(period), (kinds.get(String(period)) ?? new Set()).add(kind));
  }
  // "when the 50 crosses above the 100 ..., ema": no period named with its kind, one kind named alone.
  const lone = new Set(
    [...text.matchAll(/(?<![\d(]\s*)\b(sma|ema|wma)s?\b(?!\s*\(?\s*\d)/gi)].map((m) =>
      (m[1] ?? '').toLowerCase(),
    ),
  );
  if (kinds.size === 0 && lone.size !== 1) return text;
  // With one kind of average in the whole text, a period not named before is of that kind too, where it
  // is compared ("the 13 is above the 21"); "on the 15" is a chart. A compared period no reading can
  // place leaves the text as it was, for the readers to ask about.
  const all = kinds.size > 0 ? new Set([...kinds.values()].flatMap((k) => [...k])) : lone;
  const only = all.size === 1 ? [...all][0] : undefined;
  let unplaced = false;
  const out = text.replace(BARE_THE, (whole, period: string, at: number, full: string) => {
    const before = full.slice(Math.max(0, at - 30), at);
    const after = full.slice(at + whole.length, at + whole.length + 30);
    if (/\b(?:on|in|for)\s*$/i.test(before)) return whole;
    const compared = COMPARED_AFTER.test(after) || COMPARED_BEFORE.test(before);
    // Only beside another average ("the 13 is above the 21" after "the 13 ema"): "rsi crosses above the
    // 50" is a level.
    const near = `${before.split(/[,.;]|\band\b/i).at(-1) ?? ''} ${after.split(/[,.;]|\band\b/i)[0] ?? ''}`;
    const others = [...near.matchAll(/\bthe\s+(\d{1,3})\b/gi)].filter((m) => m[1] !== period);
    const beside =
      /\b(?:sma|ema|wma|ma)\b/i.test(near) ||
      others.some((m) => kinds.has(m[1] ?? '')) ||
      (kinds.size === 0 && others.length > 0);
    const named = kinds.get(period);
    const kind =
      named?.size === 1 ? [...named][0] : named === undefined && compared && beside ? only : undefined;
    if (kind === undefined && compared && beside) unplaced = true;
    return kind === undefined ? whole : `the ${period} ${kind}`;
  });
  return unplaced ? text : out;
}

/** Each link of a chain of averages said on its own (six passes: more links than a trader writes). */
function unchained(text: string): string {
  let out = text;
  for (let link = 0; link < 6; link++) {
    const next = out.replace(
      CHAIN,
      (_whole, a: string, op: string, b: string, c: string) => `${a} ${op} ${b} and ${b} ${op} ${c}`,
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

const TIMEFRAME_TOKEN = /\b\d+\s*(?:m|min|h|hr|d)\b|\b(?:daily|hourly)\b/i;
const CANDLE_OF = /\bthe\s+(\d+\s*(?:m|h|d)|daily|hourly)\s+(candle|bar)(?=\s+(?:is|closes|was)\b)/i;

/** "the 1h candle is up 3%": the candle of the strategy's own timeframe, said apart from it (at the end). */
function candleOfTimeframe(text: string): string {
  const m = CANDLE_OF.exec(text);
  if (m === null) return text;
  const rest = text.slice(0, m.index) + text.slice(m.index + m[0].length);
  if (TIMEFRAME_TOKEN.test(rest)) return text;
  return `${text.slice(0, m.index)}the ${m[2]}${text.slice(m.index + m[0].length)}, ${m[1]}`;
}

const EARLIER_BREAK = new RegExp(
  String.raw`\b((?:it|price|close|closes|the\s+close|the\s+price)\s+)?(breaks?|breaking|breakout|break\s+out|loses?|losing)(?:\s+(above|over|below|under))?\s+(${EARLIER_PRICE})`,
  'gi',
);

/** A number after an oscillator that no usual window takes: a level ("rsi 30", "cci -200"). */
function isLevel(name: string, n: number): boolean {
  return /^cci$/i.test(name) ? n < 0 || n >= 100 : n >= 26 && n <= 100;
}

/** A reason that names an indicator or a comparison may be a rule: kept for the readers. */
const REASON_RULE =
  /\b(?:rsi|macd|ema|sma|wma|ma|stoch\w*|cci|mfi|adx|atr|obv|vwap|bollinger|bb|bands?|donchian|above|below|over|under|cross\w*|buy|sell|short|long|oversold|overbought)\b/i;

/** A clause that closes the trade: where "back under 70" is the way out. */
const CLOSING_WORDS =
  /\b(?:sell\w*|exit\w*|cover\w*|out|take)\b|\bclose\s+(?:it|the\s+(?:trade|position))\b/i;

function inExitClause(all: string, at: number): boolean {
  return CLOSING_WORDS.test(
    all
      .slice(0, at)
      .split(/[,.;!?]/)
      .at(-1) ?? '',
  );
}

const BACK_NOT_A_LINE = /\b(?:buy\w*|sell\w*|short\w*|long|exit\w*|cover\w*|when|if|and|it|on|with|for)\b/i;
const BACK_OVER =
  /\b(?:(?:dips?|drops?|falls?|goes|gets|moves?|trades?|is|closes?|crosses?|breaks?|pokes?|wicks?|pops?|pushes)\s+)?(?<!%\s*)(below|under|above|over)\s+((?:the\s+)?[^,.;]{1,30}?)(?:\s*,?\s*then\s+|\s+and\s+(?:then\s+)?|\s+)(?:(?:closes|crosses?|comes?|gets?|goes|moves?|pops?|is|climbs?|rises?|falls?|drops?|bounces?)\s+)?(?:back\s+(?:up\s+|down\s+)?(above|over|below|under)\b(?:\s+(?:it|that|again|\2))?|(reclaims?|recovers?|regains?)\s+(?:it|that|\2)\b)/gi;

export function prepare(text: string): Scan {
  // "one hundred", "a hundred": the word reader keeps "one" a word, so these first.
  // Runs of spaces as one: no reader needs them, and long runs would make some patterns slow.
  const story = withoutBackground(
    selfCorrected(settled(text.replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n'))),
  );
  const original = spellNumbers(
    candleOfTimeframe(story.text)
      .replace(/\b(?:one|a)\s+hundred(?:\s+and)?\b/gi, 'hundred')
      // "one fifty", "minus one twenty": a hundred and that, as spoken.
      .replace(/\bone\s+(?=(?:ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)/gi, 'hundred '),
  )
    // "exit on the lower band" of a Donchian channel when no Bollinger band is named: the channel's.
    .replace(
      /\b(upper|lower|middle|mid)\s+band\b/gi,
      (whole: string, side: string, _at: number, all: string) =>
        /\bdonchian\b/i.test(all) && !/\b(?:bollinger|bb|bbands?)\b/i.test(all) ? `${side} donchian` : whole,
    )
    // "rsi 7 instead of 14", "over 90 instead of 80": what the trader no longer wants goes.
    .replace(
      /(?<!\b(?:emas?|smas?|wmas?))\s+(?:instead\s+of|rather\s+than)\s+(?:the\s+)?(?:(?:\d+\s*-?\s*(?:period\s+|day\s+)?)?(?:smas?|emas?|wmas?)(?:\s*\(?\s*\d+\s*\)?)?|[\d.]+%?|default)(?:\s+(?:one|default))?(?![\w.%])/gi,
      ' ',
    )
    // "the volume weighted average price": VWAP.
    .replace(/\bvolume[\s-]+weighted(?:\s+average)?(?:\s+price)?\b/gi, 'vwap')
    // "the 50 day simple moving average": its abbreviation, as every reader knows it.
    .replace(/\b(simple|exponential|weighted)[\s-]+moving[\s-]+averages?\b/gi, (_w, kind: string) =>
      kind.toLowerCase() === 'simple' ? 'sma' : kind.toLowerCase() === 'exponential' ? 'ema' : 'wma',
    )
    // "stochastic 5 3 3 %k crosses": its settings in brackets, so "3 %k" is never read as 3%.
    .replace(/\b(stoch\w*)\s+(\d{1,3})[\s,/]+(\d{1,3})[\s,/]+(\d{1,3})\s*(?=%\s*[kd]\b)/gi, '$1($2,$3,$4) ')
    // "mfi 30 70", "cci -100 100": two levels either side of the middle, as "mfi 30/70" reads them (a window
    // and a level, "rsi 14 70", never add up that way).
    .replace(
      /\b(mfi|cci|rsi|stoch\w*)\s+([-+]?\d{1,3})\s+([-+]?\d{1,3})\b(?!\s*[-+]?\d|\s*\/)/gi,
      (whole: string, name: string, a: string, b: string) => {
        const [low, high] = [Number(a), Number(b)];
        const around = /^cci$/i.test(name) ? 0 : 100;
        return low < high && low + high === around ? `${name} ${low}/${high}` : whole;
      },
    )
    // "the 20-period donchian midline", "the middle of the 20 period donchian": the channel's middle line.
    .replace(
      /\b(\d+)\s*-?\s*(?:period|bar|candle)\s+donchian(?:\s+channels?)?(?:\s+(?:mid\s*-?\s*line|middle(?:\s+line)?|mid|basis|center(?:\s*line)?))?\b/gi,
      (whole: string, n: string) =>
        /(?:mid|middle|basis|center)/i.test(whole.slice(whole.toLowerCase().indexOf('donchian')))
          ? `donchian ${n} middle`
          : `donchian ${n}`,
    )
    .replace(
      /\b(?:the\s+)?(?:middle|mid\s*-?\s*point|mid|center)\s+of\s+(?:the\s+)?(\d+)\s*-?\s*(?:period|day|bar|candle)?\s*donchian(?:\s+channels?)?\b/gi,
      'the donchian $1 middle',
    )
    .replace(/\b(donchian(?:\s+\d+)?)\s+mid\s*-?\s*line\b/gi, '$1 middle')
    // "... donchian ... exit below the midline", "above the upper channel line": that channel's lines.
    .replace(
      /\bthe\s+(?:(mid\s*-?\s*line|middle\s+line)|(upper|lower|middle)\s+channel(?:\s+line)?)\b/gi,
      (whole: string, mid: string | undefined, side: string | undefined, _at: number, all: string) =>
        /\bdonchian\b/i.test(all) ? `the donchian ${mid ? 'middle' : side}` : whole,
    )
    // "cci, period 14", "rsi with a period of 9": the window said after the name.
    .replace(
      // ("rsi period 7" as a settings clause of its own is read with the others, in signals.)
      /\b(cci|rsi|mfi|adx|atr)\s*(?:,\s*|\s+(?:with|using)\s+(?:a\s+)?)(?:period|length|window|lookback)\s*(?:of\s+|=\s*|:\s*)?(\d{1,3})\b/gi,
      '$1 $2',
    )
    // "volume above average on that candle", "on the same candle": the candle traded, said again.
    .replace(/\s+(?:on|in)\s+(?:that|this|the\s+same)\s+(?:candle|bar)\b/gi, ' ')
    // "2 std below the 20 sma (basically the lower bollinger)": the Bollinger band of that average and width.
    .replace(
      /\b(\d(?:\.\d)?)\s*(?:std|stdev|sd|sigma|standard\s+dev(?:iation)?s?)\s+(below|under|above|over)\s+(?:the\s+|its\s+)?(\d+)\s*-?\s*(?:period\s+|day\s+)?(?:sma|ma|moving\s+average)\b(?:\s*\((?:basically\s+|aka\s+|i\.e\.\s*|so\s+)?(?:the\s+)?(?:lower|upper)?\s*(?:bollinger|bb)(?:\s+bands?)?\s*(?:lower|upper)?(?:\s+band)?\s*\))?/gi,
      (_w: string, width: string, way: string, period: string) =>
        `${/^(?:below|under)$/i.test(way) ? 'below the lower' : 'above the upper'} bollinger band (${period}, ${width})`,
    )
    // "volume spike + green close": the candle closing green.
    .replace(/\b(green|red)\s+close\b(?!\s+(?:above|below|over|under|in\s+a\s+row))/gi, '$1 candle')
    // "2 green candles above the 20 ema": a run of that many, as "in a row" says it (never an EMA 2).
    .replace(
      /\b([2-9])\s+(green|red|bullish|bearish)\s+(candles|bars)\b(?!\s+(?:in\s+a\s+row|straight|consecutive))(?=\s+(?:above|below|over|under|closing)\b)/gi,
      '$1 $2 $3 in a row',
    )
    // "rsi 40 pullback", "rsi 45 dip": the oscillator dipping to that level (no window is that size and
    // dips), as "rsi below 40".
    .replace(
      /\b(rsi|mfi|stoch\w*)\s+(\d{2})\s+(?:pull\s*-?\s*backs?|dips?)\b(?!\s+(?:below|under|to|above|over|into)\b)/gi,
      (whole: string, name: string, n: string) =>
        Number(n) >= 20 && Number(n) <= 50 ? `${name} below ${n}` : whole,
    )
    // "close>prev high", "close<ema20": the comparison set apart from the words it joins.
    .replace(/(?<=[a-z)])\s*([<>]=?)\s*(?=[a-z(])/gi, ' $1 ')
    // "cover when it drops to 40", "sell when it rises to 70": reaching a level from the side it left.
    .replace(LEVEL_REACHED, (whole, verb: string, _at: number, all: string) =>
      /\bthen\b/i.test(all)
        ? whole
        : `${verb} ${/^(?:drop|fall|dip|sink|come)/i.test(verb) ? 'below' : 'above'} `,
    )
    // "the previous 3 candles' highs", "the highs of the last three bars", "the high of the prior 5 candles":
    // the highest of those candles, as "the 3-candle high" reads it.
    .replace(
      /\bthe\s+(?:previous|prior|last|past)\s+(\d+)\s+(?:candles?|bars?)'?s?\s+(high|low)s?\b/gi,
      'the $1-candle $2',
    )
    .replace(
      /\bthe\s+(?:highest\s+)?(high|low)s?\s+of\s+the\s+(?:previous|prior|last|past)\s+(\d+)\s+(?:candles?|bars?)\b/gi,
      'the $2-candle $1',
    )
    // "closes above the 200 ema for the first time": the cross.
    .replace(
      /\b(?:closes?|closing|closed|breaks?|goes|gets|is|moves?|trades?)\s+(above|over|below|under)\s+([^,.;]{1,40}?)\s+for\s+the\s+first\s+time\b/gi,
      'crosses $1 $2',
    )
    // "3 consecutive red candles", "after 4 straight green bars": a run, as "3 red candles in a row".
    .replace(
      /\b(\d+)\s+(?:consecutive|straight)\s+(red|green|bearish|bullish)\s+(candles?|bars?|days?)\b(?!\s+in\s+a\s+row)/gi,
      '$1 $2 $3 in a row',
    )
    // "buy when the candle is green after 3 red candles", "a green candle after 3 red ones": the same.
    .replace(
      /\b(?:the\s+candle\s+(?:is|closes)\s+|an?\s+|the\s+)?(green|red|bullish|bearish)(?:\s+(?:candle|bar|one))?\s+after\s+(\d+)\s+(?:consecutive\s+|straight\s+)?(red|green|bearish|bullish)\s+(?:ones|candles|bars)(?:\s+in\s+a\s+row)?\b/gi,
      (_w, turn: string, n: string, run: string) => `${n} ${run} candles in a row before a ${turn} candle`,
    )
    // "buy the first green candle after 5 red ones": the run before the candle traded.
    .replace(
      /\b(?:(buy|long|short)\s+)?(?:on\s+)?the\s+(?:first|next)\s+(green|red|bullish|bearish)\s+(?:candle|bar|one|day)\s+after\s+(\d+)\s+(?:consecutive\s+|straight\s+)?(red|green|bearish|bullish)\s+(?:ones|candles|bars|days)(?:\s+in\s+a\s+row)?\b/gi,
      (_w, action: string | undefined, turn: string, n: string, run: string) =>
        `${action ? `${action} when ` : ''}${n} ${run} candles in a row before a ${turn} candle`,
    )
    // "3 red candles in a row, then buy the next green candle": the run before the candle traded, which
    // turns (earlier.ts reads "... in a row before a green candle").
    .replace(
      /\b(\d+)\s+(red|green|bearish|bullish)\s+(candles?|bars?|days?)\s+in\s+a\s+row(?:\s*,?\s*(?:with\s+|and\s+)?each\s+(?:one\s+)?clos(?:ing|es?)\s+(higher|lower)(?:\s+than\s+(?:the\s+)?(?:last|previous|prior|one\s+before)(?:\s+one)?)?)?\s*,?\s*(?:and\s+)?then\s+(?:(buy|long|go\s+long|short|sell\s+short)\s+)?(?:on\s+|at\s+)?(?:the\s+next|a|the\s+first|one)\s+(green|red|bullish|bearish)\s+(?:candle|bar|day|one)(?:\s+(?:closes?|prints?|forms?))?\b/gi,
      (
        _w,
        n: string,
        run: string,
        unit: string,
        closing: string | undefined,
        action: string | undefined,
        turn: string,
      ) =>
        `${action ? `${action} when ` : ''}${n} ${run} ${unit} in a row${closing ? ` each closed ${closing}` : ''} before a ${turn} candle`,
    )
    // "3 green candles in a row, each closing higher than the last": each close over the one before too.
    .replace(
      /\b(\d+)\s+(green|red|bullish|bearish)\s+(candles?|bars?)\s+in\s+a\s+row\s*,?\s*(?:with\s+|and\s+)?each\s+(?:one\s+)?clos(?:ing|es?)\s+(higher|lower)(?:\s+than\s+(?:the\s+)?(?:last|previous|prior|one\s+before)(?:\s+one)?)?\b/gi,
      '$1 $2 $3 in a row and $1 $4 closes in a row',
    )
    // "the 100 ema is pointing up", "50 sma slopes up", "the 20 ema which itself is trending upward": the
    // average rising (falling for down), never the usual close above it.
    .replace(SLOPE, (whole: string, average: string, way: string, at: number, all: string) => {
      const rising = `${/^(?:up|higher)/i.test(way) ? 'rising' : 'falling'}`;
      // "above the 20 ema which itself is trending up": the line compared, and the line rising.
      return /\b(?:which|that|itself)\b/i.test(whole) ||
        COMPARED_BEFORE.test(all.slice(Math.max(0, at - 20), at))
        ? `${average} and ${average.replace(/^the\s+/i, '')} ${rising}`
        : `${average} ${rising}`;
    })
    // "breaks out of the 20-period channel high": the high of those candles.
    .replace(/\b(\d+)\s*-?\s*(?:periods?|bars?|candles?)?\s+channel\s+(high|low)\b/gi, '$1-candle $2')
    // "adx 25+", "the trend strength is above 25 on the adx", "adx says the trend is strong": ADX's level.
    .replace(/\badx\s*\(?\s*(\d+)\s*\)?\s*\+(?!\s*\w)/gi, 'adx above $1')
    .replace(/\badx\s+(\d+)\s*\+\s*(?=trend|filter)/gi, 'adx above $1 ')
    .replace(
      /\b(?:the\s+)?trend\s+strength\s+(?:is\s+)?(above|over|below|under)\s+(\d+)\s+(?:on|of|by)\s+the\s+adx\b/gi,
      'adx $1 $2',
    )
    .replace(
      /\b(?:the\s+)?adx\s+(?:says|shows)\s+(?:that\s+)?(?:the\s+)?trend\s+is\s+strong\b/gi,
      'adx above 25',
    )
    // "the histogram goes from red to green": MACD's histogram crossing zero.
    .replace(
      /\b(?:goes|turns|flips|changes|switches|moves|crosses)\s+from\s+(?:red|negative|below\s+(?:zero|0))\s+to\s+(?:green|positive|above\s+(?:zero|0))\b/gi,
      'crosses above 0',
    )
    .replace(
      /\b(?:goes|turns|flips|changes|switches|moves|crosses)\s+from\s+(?:green|positive|above\s+(?:zero|0))\s+to\s+(?:red|negative|below\s+(?:zero|0))\b/gi,
      'crosses below 0',
    )
    // "dips below the lower band and closes back inside": the bounce off it.
    .replace(
      /\b(?:dips?|drops?|falls?|goes|trades?|pokes?|wicks?|pierces?|breaks?|closes?)(?:\s+(?:below|under|outside|through))?\s+((?:the\s+)?lower\s+(?:(?:bollinger\s+|bb\s+)?band|bb))\s+(?:and|then|and\s+then)\s+(?:(?:(?:closes?|comes?|gets?|moves?)\s+)?back\s+(?:inside|in|above(?:\s+it)?|within)|reclaims?\s+it)\b/gi,
      'bounces off $1',
    )
    // "cci below -100 then back above", "dips below vwap then closes back above it": the cross back over
    // the line, read on the candle it happens.
    .replace(
      BACK_OVER,
      (
        whole,
        side: string,
        line: string,
        over: string | undefined,
        reclaim: string | undefined,
        at: number,
        all: string,
      ) => {
        const down = /^(?:below|under)$/i.test(side);
        // "falls below the 200 sma then reclaims it": back over the line it fell under.
        const back = over ?? (reclaim !== undefined && down ? 'above' : side);
        if (down === /^(?:below|under)$/i.test(back) || BACK_NOT_A_LINE.test(line)) return whole;
        // "... back above the 50 ema": another line than the one left, two steps.
        if (
          /^\s+(?:the\s+)?(?:[-+]?\d|\w*(?:ema|sma|ma|vwap|band|line|level|mid\w*)\b)/i.test(
            all.slice(at + whole.length),
          )
        )
          return whole;
        return `crosses ${down ? 'above' : 'below'} ${line}`;
      },
    )
    // "sell once rsi drops back under 70", "back above 30": the level crossed on the way back.
    .replace(
      /(?<!\bcross(?:es|ed|ing)?\s+)\b(?:(?:drops?|falls?|goes|gets|comes?|moves?|dips?|is|closes?|climbs?|rises?|pops?)\s+)?back\s+(?:down\s+|up\s+)?(below|under|above|over)\s+(-?\d+(?:\.\d+)?)\b(?!\s*%)/gi,
      (whole, way: string, level: string, at: number, all: string) =>
        inExitClause(all, at)
          ? `crosses ${/^(?:below|under)$/i.test(way) ? 'below' : 'above'} ${level}`
          : whole,
    )
    // "gets back above the 20 ema", "falls back below the 20 sma": the cross back over the line (after
    // "then" it is a later step, asked).
    .replace(
      /(?<!\b(?:then|cross(?:es|ed|ing)?)\s+)\b((?:the|a)\s+(?:candle|bar)\s+)?(?:(drops?|falls?|goes|gets|comes?|moves?|dips?|closes?|climbs?|rises?|pops?)\s+)back\s+(?:down\s+|up\s+)?(below|under|above|over)\s+(?=(?:the\s+|its\s+)?(?:vwap|(?:\d+\s*-?\s*)?(?:sma|ema|wma|ma)\b|(?:sma|ema|wma)\s*\d|middle|mid|upper|lower))/gi,
      (whole, candle: string | undefined, verb: string, way: string, at: number, all: string) => {
        // "dips below the 20 ema and closes back above the 50 ema": a move under one line before it, a
        // later step the guards ask about.
        const clause =
          all
            .slice(0, at)
            .split(/[,.;!?]/)
            .at(-1) ?? '';
        if (
          /\b(?:dips?|drops?|falls?|goes|breaks?|moves?|trades?|pokes?|wicks?)\b[\s\S]*\b(?:below|under|above|over)\b/i.test(
            clause,
          )
        )
          return whole;
        const subject = candle !== undefined || /^close/i.test(verb) ? 'close ' : '';
        return `${subject}crosses ${/^(?:below|under)$/i.test(way) ? 'below' : 'above'} `;
      },
    )
    // "sell when price recovers to the ema 50": reaching the line from under it; "drops back to" from over it.
    .replace(
      /\b(?:recovers?|rall(?:y|ies)|climbs?(?:\s+back)?|rises?(?:\s+back)?|gets?\s+back\s+up|comes?\s+back\s+up|bounces?\s+back(?:\s+up)?)\s+to\s+(?=(?:the\s+)?(?:\d+\s*-?\s*)?(?:sma|ema|wma|ma|vwap|middle|mid)\b)/gi,
      (whole: string, at: number, all: string) => (inExitClause(all, at) ? 'crosses above ' : whole),
    )
    .replace(
      /\b(?:drops?|falls?|dips?|comes?\s+back\s+down|gets?\s+back\s+down|sinks?)\s+back\s+to\s+(?=(?:the\s+)?(?:\d+\s*-?\s*)?(?:sma|ema|wma|ma|vwap|middle|mid)\b)/gi,
      (whole: string, at: number, all: string) => (inExitClause(all, at) ? 'crosses below ' : whole),
    )
    // "rsi 30 cross up", "cci -200 extreme buy": a number no window takes is the level ("rsi 14 cross up"
    // keeps its window).
    .replace(
      /\b(rsi|mfi|cci)\s+(-?\d+)\s+cross(?:es|ing)?\s*-?\s*(up|over|above|down|under|below)\b(?!\s*[+-]?\d)/gi,
      (whole, name: string, n: string, way: string) =>
        isLevel(name, Number(n))
          ? `${name} crosses ${/^(?:up|over|above)$/i.test(way) ? 'above' : 'below'} ${n}`
          : whole,
    )
    .replace(
      /(?<!\b(?:buy|sell|long|short|cover|exit|when|at|on)\s+)\b(rsi|mfi|cci)\s+(-?\d+)\s+(?:extreme\s+|level\s+)?(buy|long|sell|short|cover|exit)\b(?!\s*(?:at\s+|@\s*|[/,]\s*)?[+-]?\d)/gi,
      (whole, name: string, n: string, action: string) =>
        isLevel(name, Number(n)) ? `${action} at ${name} ${n}` : whole,
    )
    // "stop 2%, trailing": a trailing stop of 2%.
    .replace(
      /\b(?:stop(?:\s*-?\s*loss)?|stoploss|sl)\s*(?:of\s+|at\s+|=\s*|:\s*)?(\d+(?:\.\d+)?)\s*%\s*,?\s*(?:and\s+|but\s+)?(?:make\s+it\s+)?trail(?:ing|ed)?\b(?!\s*(?:stop|sl|by|at|of|after|once|when|from|starting|\d))/gi,
      '$1% trailing stop',
    )
    // "ema 20 > ema 50 > ema 100", "price > ema 20 > ema 50": each above the next.
    .replace(/^[\s\S]*$/, (all) => unchained(all))
    // "when the bands are tight and price closes above the upper band": the squeeze and its breakout.
    .replace(
      /\b(?:the\s+)?(?:bollinger\s+|bb\s+)?bands?\s+(?:are|get|is)\s+(?:really\s+|very\s+|super\s+)?(?:tight|narrow|squeezed)\s*(?:,\s*|and\s+|then\s+|and\s+then\s+)?(?:when\s+)?(?:the\s+)?(?:price\s+|it\s+|candle\s+)?(?:closes?|breaks?(?:\s+out)?|crosses?)\s+(above|over|below|under)\s+(?:the\s+)?(upper|lower)(?:\s+band)?/gi,
      'squeeze then breakout $1 the $2 band',
    )
    // "drops below vwap by 1%": the distance written before the line, as the distance reader takes it.
    .replace(
      new RegExp(
        String.raw`\b(drops?|dips?|falls?|is|trades?|goes|gets|rises?|climbs?)\s+(below|under|above|over)\s+((?:the\s+)?(?:vwap|${NAMED_AVERAGE}))\s+by\s+(\d+(?:\.\d+)?)\s*%`,
        'gi',
      ),
      '$1 $4% $2 $3',
    )
    // "exit after 2 red ones": the candles in a row that close the trade.
    .replace(
      /\b(exit|sell|close|out|cover)\s+(?:after|on)\s+(\d)\s+(red|green)\s+(?:ones|candles?|bars?)\b(?!\s+(?:in\s+a\s+row|straight|consecutive))/gi,
      '$1 on $2 $3 candles in a row',
    )
    // "the 20 day high, donchian style": the channel named as a style beside it.
    .replace(/,?\s*\b(?:donchian|turtle)(?:\s+channel)?\s+(?:style|way)\b/gi, '')
    // "on high volume": the volume over its average, as the volume reader takes it.
    .replace(
      /\b(?:on|with)\s+(?:high|big|strong|heavy|huge|rising|above[\s-]average)\s+volume\b/gi,
      'with volume above average',
    )
    // "breaks yesterday's high", "loses the previous candle's low": the close crossing an earlier candle's price.
    .replace(
      EARLIER_BREAK,
      (
        _whole,
        subject: string | undefined,
        verb: string,
        way: string | undefined,
        line: string,
        _word: string,
        _unit: string | undefined,
        field: string,
      ) => {
        // "breaks the previous close" (or open): up or down is not said; left for the readers to ask.
        if (!way && /^(?:close|open)$/i.test(field) && !/^los/i.test(verb)) return _whole;
        const up = way ? /^(?:above|over)$/i.test(way) : !/^los/i.test(verb) && /^high$/i.test(field);
        const who = subject === undefined || /^it\s/i.test(subject) ? 'price ' : subject;
        return `${who}crosses ${up ? 'above' : 'below'} ${line}`;
      },
    )
    // "2:1", "1:3 rr": a reward-to-risk ratio, kept as a token the parser reads beside the stop.
    .replace(
      /(?<![\d:.])(?:(\d+(?:\.\d+)?)\s*:\s*1|1\s*:\s*(\d+(?:\.\d+)?))(?![\d:])(?:\s*(?:r\s*:?\s*r|rr|risk[\s/-]*(?:to[\s-]*)?reward|reward[\s/-]*(?:to[\s-]*)?risk|reward))?/gi,
      (_w, a?: string, b?: string) => ` reward ${a ?? b}x `,
    )
    // "volume above the average of the last 50 candles": its 50-candle average.
    .replace(
      /\bthe\s+average\s+(?:volume\s+)?(?:of|over)\s+the\s+(?:last|past|previous)\s+(\d+)\s+(?:candles?|bars?)\b/gi,
      'its $1-candle average',
    )
    // "the 9 ema crosses the 21 ema; exit when the 9 drops back under the 21": a period named with its
    // average before stands for that average.
    .replace(/^[\s\S]*$/, (all) => namedAverages(all))
    // "trail 2% behind price": a 2% trailing stop.
    .replace(
      /\btrail(?:ing)?\s+(?:it\s+|the\s+stop\s+|a\s+stop\s+)?(\d+(?:\.\d+)?)\s*%\s*(?:behind|below|under)(?:\s+(?:the\s+)?(?:price|high|highest\s+(?:close|high)))?/gi,
      '$1% trailing stop',
    )
    // "the lowest low of the last 15": candles, when no unit is said.
    .replace(
      /\b((?:highest\s+)?high|(?:lowest\s+)?low)\s+of\s+the\s+(last|past|previous)\s+(\d+)\b(?!\s*(?:candles?|bars?|days?|hours?|hrs?|h\b|minutes?|mins?|m\b|periods?|sessions?|weeks?))/gi,
      '$1 of the $2 $3 candles',
    )
    // "bollinger 20 and 2.5 standard deviations": the bands' settings.
    .replace(
      /\b(bollinger(?:\s+bands?)?|bb|bands?)\s*\(?\s*(\d+)\s*(?:,|and|with|x)?\s*(\d+(?:\.\d+)?)\s*(?:standard\s+deviations?|std\.?\s*devs?|stdevs?|sd|deviations?|devs?)\b\)?/gi,
      '$1 ($2, $3)',
    )
    // "..., because that's a real breakout, not a fake one": the trader's reason, no rule.
    .replace(
      /\s*,?\s*\b(?:because|cause|'cause|cuz|coz|bc)\b[^.;!?\d%]*?(?=[.;!?]|,(?!\s*not\b)|\s+(?:and|but|then|so)\b|$)/gi,
      (reason) => (REASON_RULE.test(reason) ? reason : ''),
    )
    // "stop half a percent"
    .replace(/(?<!\band\s+(?:a\s+)?)\bhalf\s+(?:a\s+)?(?:percent|per\s*cent|%)/gi, '0.5%')
    // "macd zero cross": its zero line crossed.
    .replace(/\b(macd(?:\s+line)?\s+)(?:zero|0)\s+cross/gi, '$1zero line cross')
    // "stoch xover": a crossover; "sell signal when ...": the signal to sell, not MACD's signal line.
    .replace(/\bx-?over(s?)\b/gi, 'crossover$1')
    .replace(/\b(buy|sell|long|short|entry|exit)\s+signals?\b(?!\s+line)/gi, '$1')
    // "when rsi is low", "sell when rsi high": the oscillator's oversold and overbought zones.
    .replace(
      /\b(rsi|stoch(?:astic)?|mfi|cci)\s+(?:is\s+|gets\s+|goes\s+|turns\s+)?(?:really\s+|very\s+|too\s+)?(low|high)\b(?!\s*(?:of|than|\d))/gi,
      (_whole, name: string, word: string) =>
        `${name} ${word.toLowerCase() === 'low' ? 'oversold' : 'overbought'}`,
    )
    // "stoch xover below 20": %K crossing %D down in the zone; "macd cross under zero": the line crossing
    // its signal below the zero line. Up out of the low zone, down out of the high one.
    .replace(
      /\b(stoch(?:astic)?(?:\s*\(?\s*\d+(?:\s*[,/ ]\s*\d+){0,2}\s*\)?)?)\s+crossover\s+(below|under|above|over)\s+(\d+)\b/gi,
      (_w, stoch: string, where: string, level: string) =>
        /^(?:below|under)$/i.test(where)
          ? `${stoch} %k crosses above %d and %k below ${level}`
          : `${stoch} %k crosses below %d and %k above ${level}`,
    )
    // Without "signal", the side says which: "buy on macd cross above zero" is the line crossing zero up,
    // "short on macd cross below zero" down; the other way round ("buy macd cross under zero") it is the
    // signal cross that turns the trade, in that zone.
    .replace(
      /\bmacd(\s+signal)?\s+(?:cross(?:over)?|signal\s+cross(?:over)?)\s+(below|under|above|over)\s+(?:the\s+)?(?:zero|0)(?:\s+line)?\b/gi,
      (whole: string, signal: string | undefined, where: string, at: number, all: string) => {
        const below = /^(?:below|under)$/i.test(where);
        const zone = below
          ? 'macd crosses above macd signal and macd below 0'
          : 'macd crosses below macd signal and macd above 0';
        if (signal !== undefined || /\bsignal\b/i.test(whole)) return zone;
        // "bearish macd cross under zero": the signal cross that way, in the zone said.
        const mood = /\b(bullish|bearish)\s+$/i.exec(all.slice(Math.max(0, at - 12), at))?.[1];
        if (mood !== undefined)
          return `macd crosses ${/^bull/i.test(mood) ? 'above' : 'below'} macd signal and macd ${below ? 'below' : 'above'} 0`;
        const action =
          /\b(buy|long|cover|short|sell|exit)\w*\b(?!.*\b(?:buy|long|cover|short|sell|exit)\w*\b)/i.exec(
            all.slice(Math.max(0, at - 40), at),
          )?.[1];
        if (action === undefined) return zone;
        const up = /^(?:buy|long|cover)$/i.test(action);
        if (up === !below) return below ? 'macd crosses below 0' : 'macd crosses above 0';
        return zone;
      },
    )
    // "rsi dip buys": buying RSI's oversold zone.
    .replace(/\brsi\s+dips?(?=\s+(?:buys?|entries|entry|strat\w*|bot|setup)\b)/gi, 'rsi oversold')
    // "price pulls back to the middle band": the candle reaching it.
    .replace(
      /\bpull(?:s|ing)?\s*-?\s*back\s+(?:in)?to\s+(?=(?:the\s+)?(?:middle|mid|lower|upper|bollinger|bb|vwap|(?:\d+\s*-?\s*)?(?:sma|ema|wma|ma)\b|(?:sma|ema|wma)\s*\d))/gi,
      'bounces off ',
    )
    // "the histogram goes from red to green on macd": the MACD histogram.
    .replace(/\bthe\s+histogram\b([^,.;]*?)\s+on\s+(?:the\s+)?macd\b/gi, 'the macd histogram$1')
    // "they claimed it beat buy and hold in 2023", "profitable 3 years running", "60% winrate": figures of a
    // story, not of the strategy.
    .replace(/\b(?:in|since|from|during|back\s+in)\s+(?:19|20)\d\d\b/gi, ' ')
    .replace(/\b\d+\s+(?:years?|months?|weeks?)\s+(?:running|straight|in\s+a\s+row|now|ago)\b/gi, ' ')
    .replace(
      /(?:like\s+|about\s+|a\s+)?\b\d+(?:\.\d+)?\s*%\s*(?:win\s*-?\s*rate|winrate|win\s+ratio|accuracy|hit\s+rate|drawdown)\b/gi,
      ' ',
    )
    .replace(/\bmore\s+than\s+anything\b/gi, ' ')
    // "went 10x in 2021", "2x my money", "3x'd my account", "i made 5x with this": a story's gains, no leverage.
    .replace(
      /\b(?:(?:went|made|did|got|gained|returned|it\s+did|i\s+made|i'?ve\s+made)\s+(?:like\s+|about\s+)?\d+(?:\.\d+)?\s*x\b(?:'?d)?|\d+(?:\.\d+)?\s*x(?:'?d)?\s+(?:my|our|the)\s+(?:money|account|portfolio|stack|bags?|capital|port))/gi,
      ' ',
    )
    .replace(/\b\d+(?:\.\d+)?\s*x'd\b/gi, ' ')
    // "move my macd strat from the 15m to the 6h": the timeframe it goes to.
    .replace(
      /\bfrom\s+(?:the\s+)?\d+\s*-?\s*(?:m|min|minutes?|h|hr|hours?|d|days?)\s+(?:chart\s+)?to\s+(?:the\s+)?(?=\d+\s*-?\s*(?:m|min|minutes?|h|hr|hours?|d|days?)\b)/gi,
      'on the ',
    )
    // "closes stay above the upper band", "price holds above the vwap": the close above it.
    .replace(
      /\b(?:the\s+)?(?:closes|candles|closing\s+prices?)\s+(?:stay|remain|hold|are|keep)(?:\s+(?:being|closing))?\s+(above|over|below|under)\b/gi,
      'close is $1',
    )
    .replace(
      /\b(close|price)\s+(?:stays|remains|keeps)(?:\s+(?:being|closing))?\s+(above|over|below|under)\b/gi,
      '$1 is $2',
    )
    // "the middle of the channel", "the top of the channel": the Donchian lines.
    .replace(
      /\b(?:the\s+)?(middle|mid|upper|lower|top|bottom)\s+of\s+the\s+(?:donchian\s+)?channel\b/gi,
      (_w, line: string) => {
        const side = line.toLowerCase();
        return `the ${side === 'top' ? 'upper' : side === 'bottom' ? 'lower' : side === 'mid' ? 'middle' : side} donchian`;
      },
    )
    // "ema 21 reclaim after losing it": the reclaim says the losing came first.
    .replace(/\s+after\s+(?:losing|breaking\s+below|dropping\s+below|falling\s+below)\s+it\b/gi, '')
    // "sell on the first green close", "buy the next red candle": that candle's close against its open.
    .replace(
      /\b(sell|exit|buy|long|cover|short)\s+(?:on|at)?\s*(?:the\s+)?(?:first|next)\s+(green|red)\s+(?:close|candle|bar|one|day)\b/gi,
      (_w, action: string, colour: string) =>
        `${action} when close ${colour.toLowerCase() === 'green' ? 'above' : 'below'} open`,
    )
    // "sl .25%": a decimal written without its leading zero.
    .replace(/(?<![\w.])\.(\d)/g, '0.$1')
    // "the bottom bollinger band", "top band": the lower and upper bands.
    .replace(
      /\b(bottom|top)(\s+(?:bollinger\s+|bb\s+)?bands?)\b/gi,
      (_w, side: string, rest: string) => `${side.toLowerCase() === 'top' ? 'upper' : 'lower'}${rest}`,
    )
    // "volume doubles", "buy at 2x volume": volume at that many times its average.
    .replace(/\bvolume\s+(?:doubles|doubled|doubling)\b/gi, 'volume is twice its average')
    .replace(
      /\b(?:at\s+|on\s+)?(\d+(?:\.\d+)?)\s*x\s+(?:the\s+)?volume\b(?!\s*(?:average|avg))/gi,
      'volume $1x average',
    )
    // "exit below middle" with Bollinger bands named: the middle band, not the band named last.
    .replace(
      /\b(above|below|over|under)\s+(?:the\s+)?(?:middle|mid)\b(?!\s*(?:band|line|bollinger|bb|donchian|channel))/gi,
      (whole: string, side: string, _at: number, all: string) =>
        /\b(?:bollinger|bb|bbands?)\b/i.test(all) && !/\bdonchian\b/i.test(all)
          ? `${side} the middle band`
          : whole,
    )
    // "three and a half percent": 3.5.
    .replace(/\b(\d+)\s+and\s+a\s+half\b/gi, '$1.5')
    // "i'm short on time", "in short:", "the short squeeze": no short side.
    .replace(/\b(?:i'?m\s+|am\s+)?short\s+on\s+time\b|\bin\s+short\b|\bshort\s+squeeze\b/gi, ' ')
    // "ema 9 x 21", "sma 50 x 200": the cross of two averages of one kind, never leverage.
    .replace(/\b(sma|ema|wma)\s*(\d+)\s+x\s+(\d+)\b(?!\s*(?:x\b|%|lev))/gi, '$1 $2 cross $1 $3')
    // "ema 50 above 200": the other average, not the price 200.
    .replace(
      /\b(sma|ema|wma)\s*(\d+)\s+(?:is\s+)?(above|below|over|under)\s+(?:the\s+)?(\d{2,3})\b(?!\s*(?:%|[.\d]|sma|ema|wma|ma\b))/gi,
      '$1 $2 $3 $1 $4',
    )
    // "close higher ema 200", "price lower than the vwap": above and below a line ("the lower bollinger
    // band" is a band: without "than", only right after the close or the price).
    .replace(
      /(?:\b(?:higher|greater|bigger)\s+than|(?<=\b(?:close[sd]?|price|it|is|are)\s+)higher)\s+(?=(?:the\s+)?(?:ema|sma|wma|ma|vwap|upper|lower|middle|mid|bb|bollinger|donchian)\b)/gi,
      'above ',
    )
    .replace(
      /(?:\b(?:lower|smaller)\s+than|(?<=\b(?:close[sd]?|price|it|is|are)\s+)lower)\s+(?=(?:the\s+)?(?:ema|sma|wma|ma|vwap|upper|middle|mid|bb|bollinger|donchian)\b)/gi,
      'below ',
    )
    // "short when rsi over 70 cover under 40": the next action opens its own clause.
    .replace(
      /(?<=\b(?:when|if)\b[^,.;]*?(?:over|above|under|below|[<>])\s*-?\d+(?:\.\d+)?)\s+(cover|sell|exit)\s+(?=(?:under|below|over|above|at|[<>])\s*-?\d)/gi,
      ', $1 ',
    )
    // "mfi < 20 buy mfi > 80 sell": the action closing each clause.
    .replace(
      /(?<=(?:[<>]|below|under|above|over)\s*-?\d+(?:\.\d+)?\s+)(buy|long)\s+(?=(?:rsi|mfi|cci|stoch\w*|%\s*[kd]|macd|price|close|bb|bollinger|obv|adx)\b[^,.;]*?\s(?:sell|exit)\b)/gi,
      '$1, ',
    )
    // "rsi under 25 to buy and over 75 to sell": each condition with its action.
    .replace(
      /\b(rsi|mfi|cci|stoch\w*)\s+((?:below|under|above|over|<|>)\s*-?\d+)\s+to\s+buy\s+and\s+((?:below|under|above|over|<|>)\s*-?\d+)\s+to\s+sell\b/gi,
      'buy when $1 $2, sell when $1 $3',
    )
    // "one fifty", "minus one twenty": a hundred and that, as spoken.
    .replace(/\bone\s+(?=(?:ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)/gi, 'hundred ')
    // "one percent", "one hundred", "minus two hundred": numbers the word reader leaves as words.
    .replace(/\bone\s+(?=(?:percent|per\s*cent|pct|%))/gi, '1 ')
    .replace(/\bminus\s+(?=\d)/gi, '-')
    .replace(/\bplus\s+(?=\d)/gi, '+')
    // "for like 3 weeks", "since 2021", "two years ago": how long the trader has watched, no candle size.
    .replace(
      /(?<=\b(?:\w+ing|been|it|this|that|them)\b[^.;,!?]{0,60}?)\s+for\s+(?:like\s+|about\s+|around\s+|almost\s+|nearly\s+|the\s+(?:last|past)\s+)?(?:a\s+few\s+|a\s+couple\s+(?:of\s+)?|\d+\s+)(?:weeks|months|years)\b|(?<=\b(?:crypto|trading|manually|been|it|this)\b[^.;,!?]{0,30}?)\s+since\s+(?:19|20)\d\d\b|\b\d+\s+(?:weeks|months|years)\s+ago\b/gi,
      ' ',
    )
    // "vol spike", "vol confirm": volume.
    .replace(
      /(?<!\b(?:low|high)\s+)\bvol\b(?=\s*(?:spikes?|confirm\w*|surges?|filter|>|above|over|\d+(?:\.\d+)?\s*x))/gi,
      'volume',
    )
    // "rsi more 70", "mfi less 20", "adx more than 25", "cci lower -100": the level compared (not "no
    // more than 2 trades", "the lower band", "higher highs").
    .replace(
      /(?<!\b(?:no|not|never|any)\s+)\b(?:(?:is|are|goes?|gets?)\s+)?(?:more|greater|bigger|higher)(?:\s+than)?\s+(?=[-+]?\d+(?:\.\d+)?(?![\d.])(?!\s*(?:%|x\b|times|trades?|positions?|open|candles?|bars?|days?|hours?|points?|above|below|over|under|from)))/gi,
      'above ',
    )
    .replace(
      /(?<!\b(?:no|not|never|any)\s+)\b(?:(?:is|are|goes?|gets?)\s+)?(?:less|smaller|lower)(?:\s+than)?\s+(?=[-+]?\d+(?:\.\d+)?(?![\d.])(?!\s*(?:%|x\b|times|trades?|positions?|open|candles?|bars?|days?|hours?|points?|above|below|over|under|from)))/gi,
      'below ',
    )
    // "above the 20 and 50 ema": above each of them.
    .replace(
      /\b(above|below|over|under)\s+(?:both\s+)?the\s+(\d+)\s+and\s+(?:the\s+)?(\d+)\s+(ema|sma|wma)s?\b/gi,
      '$1 the $4 $2 and $1 the $4 $3',
    )
    // "8/21 ema crossover", "the 20 and 50 ema": the kind after its periods.
    .replace(/\b(\d+)\s*\/\s*(\d+)\s+(ema|sma|wma)s?\b/gi, '$3 $1/$2')
    .replace(/\b(\d+)\s+and\s+(\d+)\s+(ema|sma|wma)s?\b(?=[\s\S]*\bcross)/gi, '$3 $1/$2')
    // "ema 13/34 x", "macd 12/26/9 x": x for a cross.
    .replace(
      /\b((?:sma|ema|wma|ma)\s*\d+\s*\/\s*\d+|macd(?:\s*\d+\s*\/\s*\d+\s*\/\s*\d+)?)\s+x\b(?!\s*\d)/gi,
      '$1 cross',
    )
    // "donchian 20/10 turtle": in on the first channel's high, out on the second's low.
    .replace(
      /\bdonchian\s*(\d+)\s*\/\s*(\d+)\b(?:\s+turtle\b)?/gi,
      (_m, enter: string, leave: string) =>
        `buy when close breaks above the ${enter} candle high, sell when close breaks below the ${leave} candle low`,
    )
    // "bb(20) lower tag", "exit bb mid", "mid exit": the bands' touch and middle in chat words.
    .replace(/\b(upper|lower)\s+(?:band\s+)?(?:tag|touch)\b/gi, 'touches the $1 band')
    // "bands expand", "the bands widen": the band width rising.
    .replace(
      /\b(?:the\s+)?(?:bollinger\s+)?(?:bands?|bb)\s+(?:expand|widen)s?\b(?!\s*(?:on|at|in)\b)/gi,
      'bollinger width rising',
    )
    // "obv making higher highs", "obv grows", "obv turns up", "obv rolls over".
    .replace(
      /\bobv\s+(?:is\s+)?(?:making\s+higher\s+highs|grows?|growing|turns?\s+up|turning\s+up|trending\s+up|trends?\s+up|picks?\s+up|going\s+up|increasing)\b/gi,
      'obv rising',
    )
    .replace(
      /\bobv\s+(?:is\s+)?(?:rolls?\s+over|rolling\s+over|turns?\s+down|trending\s+down|going\s+down|decreasing)\b/gi,
      'obv falling',
    )
    // "volume 2 times bigger than normal", "volume at least twice the average": N times its average.
    .replace(
      /\b(\d+(?:\.\d+)?)\s*(?:times|x)\s+(?:bigger|larger|higher|greater|more)\s+than\s+(?:the\s+)?(?:normal|usual|average|avg)\b/gi,
      '$1x average',
    )
    .replace(/\b(?:at\s+least\s+)?twice\s+(?:the\s+)?(?:average|avg|normal|usual)\b/gi, '2x average')
    // "sell on the reverse cross": the usual exit of a cross, said back by the reader.
    .replace(/[,.;]?\s*\b(?:sell|exit|close)\s+(?:on|at)\s+the\s+(?:reverse|opposite)\s+cross\b/gi, '')
    // "rsi, period 14", "donchian channel ... 1 day, period 30", "donchian breakout ..., 20 period": the
    // window said apart from its indicator, in the same sentence.
    .replace(
      /\b(rsi|cci|mfi|adx|donchian(?:\s+channels?)?)\b([^.;!?]{0,50}?),\s*(?:with\s+)?(?:an?\s+)?(?:(?:period|length|lookback|window)\s*(?:of\s+|=\s*|:\s*)?(\d+)|(\d+)\s*-?\s*(?:periods?|length|bars?|candles?))\b(?!\s*(?:sma|ema|wma|ma\b|rsi|cci|mfi|adx|atr|high|low))/gi,
      (whole: string, name: string, between: string, a?: string, b?: string, _at?: number, all?: string) => {
        // Only an indicator named once: with two mentions, which one the window is for is asked.
        const named = (all ?? '').match(new RegExp(String.raw`\b${name.split(/\s/)[0]}\b`, 'gi'));
        return (named?.length ?? 0) > 1 ? whole : `${name} ${a ?? b}${between}`;
      },
    )
    // "buy on the cross up sell on the cross down", "sell on the cross back": a cross and its usual exit.
    .replace(
      /[,.;]?\s*\b(?:sell|exit|close)\s+on\s+the\s+(?:cross|crossover)\s+(?:down|under|below|back)\b/gi,
      '',
    )
    .replace(/\bon\s+the\s+(cross|crossover)\s+(?:up|over|above)\b/gi, 'on the $1')
    // "stop below 55 ema", "inval below 50ema": closing under that line ends the trade.
    .replace(
      /\b(?:stop|sl|inval\w*)\s+(?:is\s+)?(?:below|under)\s+(?:the\s+)?(?:(sma|ema|wma)\s*(\d+)|(\d+)\s*(sma|ema|wma))\b/gi,
      (_m, k1?: string, n1?: string, n2?: string, k2?: string) =>
        `, sell when close below ${k1 ?? k2} ${n1 ?? n2}`,
    )
    // "Not sure if this is possible, but": a preamble.
    .replace(/^\s*(?:i'?m\s+)?not\s+sure\s+(?:if|whether)\s+[^,.]*[,.]\s*(?:but\s+)?/i, '')
    // "mean rev": mean reversion.
    .replace(/\bmean[\s-]*rev\b/gi, 'mean reversion')
    // "short-term mean reversion", "a long term trend": a horizon, never a side.
    .replace(/\b(?:short|long|mid|medium)[\s-]*term\b/gi, ' ')
    // "a simple ema 50 cross": plain, not a simple moving average.
    .replace(/\bsimple\s+(?=(?:ema|wma)\b)/gi, '')
    // "ema 50 / ema 200 death cross": one kind, two periods.
    .replace(/\b(sma|ema|wma)\s*(\d+)\s*\/\s*\1\s*(\d+)\b/gi, '$1 $2/$3')
    // "the 50 day moving average crosses above the 200 day": the second is the same kind of average.
    .replace(
      /\b(\d+)[\s-]*day\s+(moving\s+average|sma|ema|wma|ma)\b([^.;]*?\bcross\w*\s+(?:above|over|below|under)\s+)(?:the\s+)?(\d+)[\s-]*day\b(?!\s*(?:moving|sma|ema|wma|ma\b|highs?|lows?))/gi,
      '$1 day $2$3the $4 day $2',
    )
    // "ema 50/200 death cross": the cross of those two, down (golden: up).
    .replace(
      /\b(sma|ema|wma)\s*(\d+)\s*\/\s*(\d+)\s+(golden|death)\s*cross\b/gi,
      (_m, kind: string, fast: string, slow: string, which: string) =>
        `${kind} ${fast} crosses ${/^death$/i.test(which) ? 'below' : 'above'} ${kind} ${slow}`,
    )
    // "golden cross ... but with ema instead of sma": the golden cross's periods on the other average.
    .replace(
      /\b(golden|death)\s*cross\b([^.;]*?)[,\s]*(?:but\s+)?(?:with|using|on)\s+(?:the\s+)?(emas?|wmas?)\s+(?:instead\s+of|not|rather\s+than)\s+(?:the\s+)?smas?\b/gi,
      (_m, which: string, between: string, kind: string) =>
        `${kind.replace(/s$/i, '')} 50/200 ${which} cross${between}`,
    )
    // "mean reversion but short the upper band too": both sides.
    .replace(
      /\b(?:but\s+|and\s+)?(?:also\s+)?short\s+the\s+(?:upper|top)(?:\s+band)?\s+(?:too|as\s+well|also)\b/gi,
      'long and short',
    )
    // "bollinger extreme fade": fading the bands is reverting to the mean.
    .replace(
      /\b(?:extreme\s+)?fade\b(?=[^.]*\b(?:bollinger|bb|bands?)\b)|(?<=\b(?:bollinger|bb|bands?)\b[^.]*)\b(?:extreme\s+)?fade\b/gi,
      'mean reversion',
    )
    // "macd 12,26,9": its settings, not three clauses.
    .replace(/\bmacd\s*\(?\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)(?:\s*\))?/gi, 'macd $1/$2/$3')
    // "cci -150 buy / +150 sell": each level with its action.
    .replace(
      /\b(rsi|cci|mfi)((?:\s*\(?\s*\d+\s*\)?)?)\s+([-+]?\d+)\s+(?:buy|long)\s*(?:\/|,|and)\s*([-+]?\d+)\s+(?:sell|exit)\b/gi,
      (_m, osc: string, period: string, low: string, high: string) =>
        `buy when ${osc}${period} below ${low.replace('+', '')}, sell when ${osc}${period} above ${high.replace('+', '')}`,
    )
    // "cci 100 breakout", "the rsi 50 cross": the level crossed upward.
    .replace(/\b(cci)\s+([-+]?\d{3})\s+break\s*out\b/gi, '$1 crosses above $2')
    .replace(
      /\b(rsi)\s+(50)\s+cross(?:over)?\b(?!\s*(?:above|over|below|under|up|down))/gi,
      // Upward only on a long: "short on the rsi 50 cross" is asked about.
      (whole: string, name: string, level: string, _at: number, all: string) =>
        /\bshort/i.test(all) ? whole : `${name} crosses above ${level}`,
    )
    // "when a candle closes back above vwap": the close.
    .replace(
      /\b(?:a|the)\s+(?:candle|bar)\s+(closes?|closed)\b(?!\s+(?:green|red|bullish|bearish))/gi,
      'it $1',
    )
    // "atr is expanding": rising (and contracting: falling). Averages sloping are read with SLOPE.
    .replace(/\b(atr(?:\s*\(?\s*\d+\s*\)?)?\s+(?:is\s+)?)expanding\b/gi, '$1rising')
    .replace(/\b(atr(?:\s*\(?\s*\d+\s*\)?)?\s+(?:is\s+)?)contracting\b/gi, '$1falling')
    // "20/80 levels", "30 / 70 zones": the pair of levels itself.
    .replace(/\b(\d+)\s*\/\s*(\d+)\s+(?:levels?|zones?|bands?|thresholds?)\b/gi, '$1/$2')
    // "an rsi pullback to 45", "rsi dips to 30", "rsi pops up to 60": the level reached from above or below.
    .replace(
      /\b(rsi|mfi|cci|stoch\w*|%\s*[kd])((?:\s*\(?\s*\d+\s*\)?)?)\s+(?:(pull\s*back|pullback|pulls\s+back|dips?|drops?|falls?|retraces?)|(pops?|rises?|pushes|spikes?|climbs?|gets|goes|bounces?))\s+(?:back\s+)?(?:up\s+|down\s+)?(?:to|into|towards?)\s+(-?\d+)\b(?!\s*%)/gi,
      (_m, osc: string, period: string, down?: string, _up?: string, level?: string) =>
        `${osc}${period} ${down ? 'below' : 'above'} ${level}`,
    )
    // "ema 12 26 cross": two periods of one average, written with a space.
    .replace(/\b(sma|ema|wma|ma)\s*(\d+)\s+(\d+)\s+(?=cross|crossover\b)/gi, '$1 $2/$3 ')
    // "mfi strategy, 14 period, 20/80 levels": the window said apart from its indicator.
    .replace(
      /\b(rsi|mfi|cci|adx|atr)(\s+(?:strategy|strat|system|setup|bot))?\s*,?\s*(\d+)[\s-]*(?:periods?|length|len|lookback)\b/gi,
      '$1 $3$2',
    )
    // "EMA 12 x EMA 26": x between two averages is a cross, not a multiple.
    .replace(/\b(sma|ema|wma|ma)\s*(\d+)\s+x\s+(?=(?:sma|ema|wma|ma)\s*\d)/gi, '$1 $2 cross ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, ' ')
    // "flips green -> buy": an arrow means "then", not "greater than".
    // ("=>" stays: traders type it for ">=").
    .replace(/-+>/g, (arrow) => `,${' '.repeat(arrow.length - 1)}`)
    .replace(/(?<![a-z])(?:per\s*-?\s*cents?|pct)(?![a-z])/gi, '%')
    .replace(/\b(sma|ema|wma|ma|rsi|cci|mfi|atr|adx|vwap)(?=\d)/gi, '$1 ')
    // "20 day donchian in, 10 day out": the turtle rule, a breakout of one channel and an exit at another.
    .replace(
      /\b(\d+)\s*-?\s*(day|candle|bar|week)s?\s+(?:donchian\s+)?(?:channel\s+)?(?:breakout\s+)?(?:in|entry)\s*[,;/]?\s*(?:and\s+)?(\d+)\s*-?\s*(?:day|candle|bar|week)s?\s+(?:donchian\s+)?(?:low\s+)?(?:out|exit)\b/gi,
      (_m, enter: string, unit: string, leave: string) =>
        `buy when close breaks above the ${enter} ${unit} high, sell when close breaks below the ${leave} ${unit} low`,
    )
    // "10 period breakout, 5 period exit", "turtle 20/10": the turtle rule in other words.
    .replace(
      /\b(\d+)\s*-?\s*(day|candle|bar|week|period)s?\s+(?:high\s+)?breakout\s*[,;/]?\s*(?:and\s+)?(\d+)\s*-?\s*(?:day|candle|bar|week|period)s?\s+(?:low\s+)?(?:exit|out)\b/gi,
      (_m, enter: string, unit: string, leave: string) =>
        `buy when close breaks above the ${enter} ${unit} high, sell when close breaks below the ${leave} ${unit} low`,
    )
    .replace(
      /\bturtle\b([^.;]*?)\b(\d+)\s*\/\s*(\d+)\b(?!\s*(?:%|ema|sma|wma|ma\b))/gi,
      (_m, between: string, enter: string, leave: string) =>
        `turtle${between} buy when close breaks above the ${enter} candle high, sell when close breaks below the ${leave} candle low`,
    )
    // "20 day high breakout to enter", "enter on a 40 bar high", "out on the 10 day low": a channel's
    // breakout as the entry, its other side as the exit.
    .replace(
      /\b(?:(?:enter|entry|buy|long|go\s+long)\s+(?:on|at)\s+(?:a\s+|the\s+)?(\d+)\s*-?\s*(day|candle|bar|week|period)s?\s+high(?:\s+break\s*out)?|(\d+)\s*-?\s*(day|candle|bar|week|period)s?\s+high\s+break\s*out\s+(?:to\s+)?(?:enter|entry|buy|go\s+long))\b/gi,
      (_m, n1?: string, u1?: string, n2?: string, u2?: string) =>
        `buy when close breaks above the ${n1 ?? n2} ${u1 ?? u2} high`,
    )
    .replace(
      /\b(?:out\s+(?:on|at)\s+(?:a\s+|the\s+)?(\d+)\s*-?\s*(day|candle|bar|week|period)?s?\s*|(?:exit|sell|close)\s+(?:on|at)\s+(?:a\s+|the\s+)?(\d+)\s+)low\b/gi,
      (_m, n?: string, u?: string, bare?: string) =>
        `sell when close breaks below the ${n ?? bare} ${u ?? 'candle'} low`,
    )
    // "stop 2N (2 atr)": the turtles' N is the ATR.
    .replace(/\b(\d+(?:\.\d+)?)\s*n\s*\(\s*\1\s*x?\s*atr\s*\)/gi, '$1 atr')
    .replace(/\b(stop|sl)\s+(?:at\s+)?(\d+(?:\.\d+)?)\s*n\b/gi, '$1 $2 atr')
    // "breakout of the 55 donchian": the window before the name.
    .replace(
      /\b(\d+)\s+donchian\b(?!\s+(?:channels?\s+)?(?:upper|lower|middle|mid|high|low|top|bottom)\b)/gi,
      'donchian $1',
    )
    // "the candle closes red", "a green candle": the close against the open of the same candle (a move of
    // a given size, "a 2% green candle", is read with the distances).
    .replace(
      /\b(?:the\s+|a\s+)?(?:candle|bar)\s+(?:is|closes?|closing|closed|prints?|turns?)\s+(green|red|bullish|bearish)\b|(?<!%\s*|\bin\s+a\s+row(?:\s+each\s+closed\s+(?:higher|lower))?\s+before\s+(?:an?\s+)?)\b(?:an?\s+|the\s+)?(green|red|bullish|bearish)\s+(?:candle|bar)\b(?!\s+(?:in\s+a\s+row|after|streak))/gi,
      (_m, a?: string, b?: string) =>
        /^(?:green|bullish)$/i.test(a ?? b ?? '') ? 'close above its open' : 'close below its open',
    )
    // "w/ macd confirm": chat shorthand for "with".
    .replace(/\bw\/(?=\s|[a-z])/gi, 'with ')
    // "ema cross (20/50)": the periods after the cross, as "ema 20/50 cross".
    .replace(/\b(sma|ema|wma|ma)\s+(cross(?:over)?)\s*\(\s*(\d+)\s*[/,]\s*(\d+)\s*\)/gi, '$1 $3/$4 $2')
    // "mfi below 20 = buy, above 80 = sell", "flip red = flat": a condition then its action, written as the
    // action first.
    .replace(
      /(^|[,;.:]\s*|\band\s+)([^,;.:=<>!]*?[a-z0-9%)]\s*)(?<![<>!=])=(?![=>])\s*(buy|sell|long|short|cover|exit|flat|get\s+out|out)\b(?=\s*(?:[,;.]|$|and\b))/gi,
      (_m, lead: string, condition: string, action: string) =>
        `${lead}${/^(?:flat|out|get\s+out)$/i.test(action) ? 'exit' : action} when ${condition.trim()}`,
    );
  // The stochastic's "both lines under 20": %K and %D, each.
  const withSettings = settingsApart(original);
  const lines = /\bstoch/i.test(withSettings)
    ? withSettings.replace(
        /\bboth\s+(?:lines|%\s*k\s+and\s+%\s*d|k\s+and\s+d)\s+(?:are\s+)?(below|under|above|over|<|>)\s*(\d+)|(?<=%\s*[kd]\b[^,;.]{0,20}\band\s+)both\s+(?:are\s+)?(below|under|above|over|<|>)\s*(\d+)/gi,
        (_m, op1?: string, n1?: string, op2?: string, n2?: string) =>
          `%d ${op1 ?? op2} ${n1 ?? n2} and %k ${op1 ?? op2} ${n1 ?? n2}`,
      )
    : withSettings;
  // "buy when rsi under 35 sell 65", "rsi below 30 long, 70 exit": with RSI the only oscillator named, a
  // bare level after a sell (or before an exit) is RSI's.
  const onlyRsi = /\brsi\b/i.test(lines) && !/\b(?:mfi|cci|stoch\w*|williams|macd|adx)\b/i.test(lines);
  const sold = onlyRsi
    ? lines.replace(
        /\b(sell|exit|close)\s+(?:at\s+|@\s*|on\s+)?([5-9]\d)\b(?!\s*(?:%|\.\d|x\b|times|candles?|bars?|trades?|days?|hours?|min\w*|period|ema|sma|wma|ma\b))|(?<=[,;]\s*)([5-9]\d)\s+(sell|exit)\b|\b(buy|long)\s+(?:at\s+|@\s*)?([1-4]\d)\b(?!\s*(?:%|\.\d|x\b|times|candles?|bars?|trades?|days?|hours?|min\w*|period|ema|sma|wma|ma\b))/gi,
        (
          _m,
          action?: string,
          level?: string,
          level2?: string,
          action2?: string,
          buy?: string,
          low?: string,
        ) =>
          buy ? `${buy} when rsi below ${low},` : `, ${action ?? action2} when rsi above ${level ?? level2}`,
      )
    : lines;
  // "sell rsi 65", "sell on rsi 70", "buy mfi 20": an action then an oscillator and a level (never its
  // usual window, 14) is the level reached, not a window of 65.
  const leveled = sold.replace(
    /\b(sell|exit|close|buy|long|cover|short)\s+(?:(?:on|at|@|when)\s+)?(?:the\s+)?(rsi|mfi)\s*(?:14\s+)?(?:hits\s+|reaches\s+)?([1-9]\d)\b(?!\s*(?:[<>=/%.,]\s*\d|below|above|under|over|cross|period|length|candle|bar|day|ema|sma))/gi,
    (whole, action: string, oscillator: string, level: string) =>
      level === '14' ? whole : `${action} when ${oscillator} reaches ${level}`,
  );
  // "cci +100/-100", "stochastic cross, 80/20": an oscillator's levels written high then low, as low/high.
  const turned: string[] = [];
  const ordered = leveled.replace(
    /(?<![\w.])(\+?)(\d{1,3})\s*\/\s*(-?)(\d{1,3})(?![\w.%/])/g,
    (whole, plus: string, a: string, minus: string, b: string, at: number, all: string) => {
      const [high, low] = [Number(a), Number(minus ? -b : b)];
      const oscillator = /\b(?:rsi|stoch\w*|mfi|cci|money\s+flow|commodity)\b[^.;!?]*$/i.test(
        all.slice(Math.max(0, at - 60), at),
      );
      const symmetric = plus === '+' && minus === '-' && Number(a) === Number(b);
      if (!(high > low) || !(symmetric || (oscillator && high + low === 100 && low < 50))) return whole;
      // A short side or a momentum reading may mean the levels as written.
      if (/\b(?:short\w*|cover\w*|momentum|trend\w*|breakout)\b/i.test(all)) return whole;
      if (/\b(?:sma|ema|wma|ma|macd|bb|bollinger)\b[^.;!?]*$/i.test(all.slice(Math.max(0, at - 25), at)))
        return whole;
      turned.push(`Levels "${whole.trim()}" read low then high: ${low}/${high}.`);
      return `${low}/${high}`;
    },
  );
  // "stochastic cross on bnb, 20/80": the lines' cross inside each zone, as the stochastic is read.
  const zoned = /\b(?:buy|sell|when|if)\b/i.test(ordered)
    ? ordered
    : ordered.replace(
        /\b(stoch(?:astic)?(?:\s*\(?\s*\d+(?:\s*[,/]\s*|\s+)\d+(?:\s*[,/]\s*|\s+)\d+\s*\)?)?)\s+cross(?:es|ing|overs?)?((?:\s+(?:on|for)\s+(?:the\s+)?[a-z]+(?:\/[a-z]+)?)?\s*,?)\s*(?:(?:with|at)\s+)?(?:levels?\s+)?(\d{1,2})\s*\/\s*(\d{2})(?![\w.%/])/gi,
        (whole, stoch: string, between: string, low: string, high: string) =>
          Number(low) < 50 && Number(high) > 50
            ? `${between} buy when the ${stoch} crosses up below ${low}, sell when it crosses down above ${high}`
            : whole,
      );
  // "ema 50 cross 200": the second number is the same kind of average, not a price level.
  const spelled = zoned.replace(
    /\b(sma|ema|wma|ma)\s*(\d+)\s+(cross(?:es|ed|ing)?(?:\s+(?:above|over|up|below|under|down))?)\s+(\d+)\b(?!\s*[%.\d])/gi,
    '$1 $2 $3 $1 $4',
  );
  // "the 50-day SMA is above the 200-day", "ema 20 stays over 50": the second number is the same kind of
  // average, not a price.
  const stood = spelled.replace(
    STANDS_OVER_BARE,
    (
      whole,
      first: string,
      p1?: string,
      k1?: string,
      k2?: string,
      p2?: string,
      verb = '',
      dir = '',
      b = '',
    ) => {
      if (Number(b) < 2 || Number(b) === Number(p1 ?? p2)) return whole;
      return `${first} ${verb}${dir} ${k1 ?? k2} ${b}`;
    },
  );
  const named: string[] = [];
  const averages = nameBareAverages(stood, named);
  const { text: fixed, corrected } = correctTypos(averages);
  const background = story.left.map((b) => `Read as background, not a rule: "${b}"`);
  return {
    lower: fixed.toLowerCase(),
    original: fixed,
    assumed: [...background, ...corrected, ...turned, ...named],
  };
}

const STANDS_OVER_BARE =
  /\b((?:(\d+)\s*-?\s*(?:days?|periods?)?\s*(sma|ema|wma)|(sma|ema|wma)\s*\(?\s*(\d+)\s*\)?))\s+((?:is|are|stays?|holds?|remains?|still)\s+(?:still\s+)?)(above|over|below|under)\s+(?:the\s+)?(\d{1,3})(?:\s*-?\s*(?:days?|periods?|candles?|bars?))?(?![\w%.]|\s*(?:[%\d]|sma|ema|wma|ma\b|moving|k\b|level|mark))/gi;

// "the 50 crosses above the 200", "the 20 crosses back under the 50": numbers standing for averages.
const BARE_CROSS =
  /\bthe\s+(\d{1,3})\s+(cross(?:es|ed|ing)?(?:\s+back)?(?:\s+(?:above|over|up|below|under|down))?)\s+the\s+(\d{1,3})\b(?!\s*(?:[%.\d]|sma|ema|wma|ma\b))/gi;

/**
 * Writes "the 50 crosses the 200" as averages: the kind the text named with those periods elsewhere ("the
 * 20 ema"), else simple ones, said back in `named`.
 */
function nameBareAverages(text: string, named: string[]): string {
  const kindOf = (period: string): string | undefined =>
    new RegExp(
      String.raw`\b(sma|ema|wma)\s*\(?\s*${period}\b|\b${period}\s*-?\s*(?:period\s+|day\s+)?(sma|ema|wma)\b`,
      'i',
    )
      .exec(text)
      ?.slice(1)
      .find((k) => k !== undefined)
      ?.toLowerCase();
  const crossed = text.replace(BARE_CROSS, (_whole, a: string, cross: string, b: string) => {
    const kind = kindOf(a) ?? kindOf(b);
    if (kind === undefined) named.push(`"The ${a} ... the ${b}" read as SMA ${a} and SMA ${b}.`);
    const k = kind ?? 'sma';
    return `${k} ${a} ${cross} ${k} ${b}`;
  });
  // "triple ema 5/10/20 ... enter when 5>10>20, exit when 5 crosses below 10": numbers standing for the
  // averages a list named, only when each of them is one.
  const listed = (period: string): string | undefined =>
    new RegExp(String.raw`\b(sma|ema|wma)\s*\d+(?:(?:\s*[/,]\s*|\s+)\d+)*(?:\s*[/,]\s*|\s+)${period}\b`, 'i')
      .exec(crossed)?.[1]
      ?.toLowerCase() ?? kindOf(period);
  const stacked = crossed.replace(
    /(?<![\w.])(\d{1,3})\s*>\s*(\d{1,3})(?:\s*>\s*(\d{1,3}))?(?![\w.%])/g,
    (whole, a: string, b: string, c?: string) => {
      const kinds = [a, b, ...(c ? [c] : [])].map(listed);
      if (kinds.some((k) => k === undefined)) return whole;
      const [ka, kb, kc] = kinds;
      return `${ka} ${a} above ${kb} ${b}${c ? ` and ${kb} ${b} above ${kc} ${c}` : ''}`;
    },
  );
  const bare = stacked.replace(BARE_NUMBER_CROSS, (whole, a: string, verb: string, b: string) => {
    const [ka, kb] = [listed(a), listed(b)];
    if (ka === undefined || kb === undefined) return whole;
    const down = /below|under|down|drops?|falls?/.test(verb);
    // "the 50 is below the 200" is where they stand; the other verbs say they cross.
    if (/^(?:is|are|stays?)\b/i.test(verb)) return `${ka} ${a} ${down ? 'below' : 'above'} ${kb} ${b}`;
    return `${ka} ${a} crosses ${down ? 'below' : 'above'} ${kb} ${b}`;
  });
  // The list itself is then only the heading of the conditions that use it.
  return bare === crossed
    ? crossed
    : bare.replace(
        /\b(?:triple\s+|double\s+)?(?:sma|ema|wma)\s*\d+(?:(?:\s*[/,]\s*|\s+)\d+){2,}\b(?:\s+stack(?:ed)?)?/gi,
        ' ',
      );
}

// "exit when 5 crosses below 10", "8 drops under 21": bare numbers that stand for averages named before.
const BARE_NUMBER_CROSS =
  /(?<![\w.])(\d{1,3})\s+(cross(?:es|ed|ing)?(?:\s+back)?\s+(?:above|over|up|below|under|down)|(?:drops?|falls?|dips?)\s+(?:below|under)|(?:goes|gets|moves?|rises?|is|are|stays?)\s+(?:above|over|below|under))\s+(?:the\s+)?(\d{1,3})\b(?!\s*(?:[%\d]|\.\d|sma|ema|wma|ma\b))/gi;

// "one" stays a word ("one trade at a time"), and "zero" and "dozen" name no indicator setting.
const SMALL: Record<string, number> = Object.fromEntries(
  Object.entries({ ...NUMBER_ONES, ...NUMBER_TENS }).filter(([w]) => !['zero', 'one', 'dozen'].includes(w)),
);
const NUMBER_WORD = `(?:${Object.keys(SMALL).join('|')}|hundred)`;
const NUMBER_RUN = new RegExp(String.raw`\b${NUMBER_WORD}(?:[\s-]+(?:one\b|${NUMBER_WORD}))*\b`, 'gi');

/**
 * "sma fifty and two hundred", "the fifteen minute", "ema nine twenty-one": numbers written as words, as
 * digits. Words make one number only as numbers are spoken ("twenty-one", "twenty five", "two hundred", "two hundred
 * fifty"); "twenty fifty" stays two numbers, 20 and 50. "one" stays a word ("one trade at a time").
 */
function spellNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) => runNumbers(run).join(' '));
}

/**
 * The numbers the text wrote as words, by the digits the readers see ("12" -> "twelve", "0" -> "zero"),
 * so a sentence quoting one quotes what the trader wrote.
 */
export function numbersWritten(text: string): Map<string, string> {
  const written = new Map<string, string>();
  for (const m of text.matchAll(/\bzero\b/gi)) written.set('0', m[0]);
  for (const m of text.matchAll(NUMBER_RUN)) {
    const numbers = runNumbers(m[0]);
    if (numbers.length === 1) written.set(String(numbers[0]), m[0]);
  }
  return written;
}

/** The numbers one run of number words says ("two hundred fifty" -> [250], "twenty fifty" -> [20, 50]). */
function runNumbers(run: string): number[] {
  const numbers: number[] = [];
  let current: number | undefined;
  const parts = run
    .toLowerCase()
    .split(/(\s+|-)/)
    .filter((p) => p.trim() !== '' && p !== '-');
  for (const [i, part] of parts.entries()) {
    const value = part === 'one' ? 1 : part === 'hundred' ? 100 : (SMALL[part] ?? 0);
    const tens = current !== undefined && current % 100 >= 20 && current % 10 === 0;
    // "fifty two hundred" is 50 and 200: a unit before "hundred" starts the next number.
    const startsHundreds = parts[i + 1] === 'hundred';
    if (value === 100 && current !== undefined && current < 10) current *= 100;
    else if (current !== undefined && current % 100 === 0 && current >= 100 && value < 100) current += value;
    else if (current !== undefined && tens && value > 0 && value < 10 && !startsHundreds) current += value;
    else {
      if (current !== undefined) numbers.push(current);
      current = value;
    }
  }
  if (current !== undefined) numbers.push(current);
  return numbers;
}

/** Every match of a global pattern in what is left of the text, blanked out so nothing reads it twice. */
export function takeAll(scan: Scan, pattern: RegExp): Hit[] {
  const hits: Hit[] = [];
  for (const match of scan.lower.matchAll(pattern)) {
    hits.push({ index: match.index, end: match.index + match[0].length, groups: match.slice(1) });
    takeSpan(scan, match.index, match[0].length);
  }
  return hits;
}

/** Takes the span out of what is left of the text (blanked, so positions stay put). */
export function takeSpan(scan: Scan, index: number, length: number): void {
  scan.lower = scan.lower.slice(0, index) + ' '.repeat(length) + scan.lower.slice(index + length);
}

/** Whether what is left of the text contains the pattern (not consumed). */
export function mentions(scan: Scan, pattern: RegExp): boolean {
  return pattern.test(scan.lower);
}

/** The first match of `pattern` in what is left of the text, as the trader wrote it (for quoting back). */
export function leftover(scan: Scan, pattern: RegExp): string | undefined {
  const match = pattern.exec(scan.lower);
  if (match === null) return undefined;
  return scan.original.slice(match.index, match.index + match[0].length).trim();
}

/** Numbers still left in the text, in reading order, taken out of it. */
export function takeNumbers(scan: Scan): { index: number; value: number; text: string }[] {
  return takeAll(scan, /(?<![\w.])(\d+(?:\.\d+)?)(?!\w|\.\d)/g).map((hit) => {
    const text = hit.groups[0] ?? '';
    return { index: hit.index, value: Number(text), text };
  });
}

/** A ratio from a percentage without floating-point noise: 2.5 -> 0.025, 1.1 -> 0.011. */
export function percentToRatio(percent: number): number {
  return Number((percent / 100).toFixed(6));
}

const ENTRY_WORDS = /\b(?:buy|buys|buying|bought|enter|enters|entering|entry|long|open)\b/g;
const EXIT_WORDS = /\b(?:sell|sells|selling|sold|exit|exits|exiting|close|closes|closing)\b/g;

// A decimal point ("2.5%") does not end a clause.
const CLAUSE_END = /[,;!?]|\.(?!\d)/g;

function lastAction(text: string): { index: number; side: 'entry' | 'exit' } | undefined {
  const entry = Math.max(-1, ...[...text.matchAll(ENTRY_WORDS)].map((m) => m.index));
  const exit = Math.max(-1, ...[...text.matchAll(EXIT_WORDS)].map((m) => m.index));
  if (entry === -1 && exit === -1) return undefined;
  return entry > exit ? { index: entry, side: 'entry' } : { index: exit, side: 'exit' };
}

function firstAction(text: string): 'entry' | 'exit' | undefined {
  const entry = text.search(new RegExp(ENTRY_WORDS.source));
  const exit = text.search(new RegExp(EXIT_WORDS.source));
  if (entry === -1 && exit === -1) return undefined;
  if (entry === -1) return 'exit';
  if (exit === -1) return 'entry';
  return entry < exit ? 'entry' : 'exit';
}

/** Whether the trader used a buy word ("buy", "enter", "long") anywhere, even in a phrase a reader took. */
export function namesEntry(scan: Scan): boolean {
  return new RegExp(ENTRY_WORDS.source).test(scan.original.toLowerCase());
}

const ACTION_NEXT = new RegExp(String.raw`^\s*(?:${ENTRY_WORDS.source}|${EXIT_WORDS.source})`);
const ACTION_ANY = new RegExp(`${ENTRY_WORDS.source}|${EXIT_WORDS.source}`);
// Anything a signal phrase is made of; a clause with none of it before its first action word leads with
// the action ("buy on the golden cross sell on the death cross") rather than following it ("RSI < 30 buy").
const SIGNAL_PART = /\d|[<>]|\b(?:cross\w*|rsi|sma|ema|wma|ma|moving|above|over|below|under)\b/;

function leadsWithAction(clause: string): boolean {
  const first = clause.search(ACTION_ANY);
  return first !== -1 && !SIGNAL_PART.test(clause.slice(0, first));
}

/**
 * Which side of the trade the phrase at `index`..`end` belongs to, judged within its clause (text between
 * commas, semicolons and full stops). In a clause that leads with its action words ("buy when RSI < 30 sell
 * above 70") the nearest "buy"/"sell" before the phrase decides; otherwise an action word right after it
 * ("RSI < 30 buy"), else the nearest one before it, else the first one after it. Reads the untouched text,
 * so phrases other readers took still count.
 */
export function sideAt(scan: Scan, index: number, end = index): 'entry' | 'exit' | undefined {
  const text = scan.original.toLowerCase();
  const stops = [...text.matchAll(CLAUSE_END)].map((m) => m.index);
  const start = Math.max(-1, ...stops.filter((i) => i < index)) + 1;
  const stop = Math.min(text.length, ...stops.filter((i) => i >= index));
  const before = lastAction(text.slice(start, index))?.side;
  if (before !== undefined && leadsWithAction(text.slice(start, stop))) return before;
  const next = ACTION_NEXT.exec(text.slice(end));
  if (next) return firstAction(next[0]);
  return before ?? firstAction(text.slice(index, stop));
}

/** The clause (between commas, semicolons and full stops) around `index`, as the trader wrote it. */
export function clauseAt(scan: Scan, index: number): string {
  const text = scan.original.toLowerCase();
  const stops = [...text.matchAll(CLAUSE_END)].map((m) => m.index);
  const start = Math.max(-1, ...stops.filter((i) => i < index)) + 1;
  const stop = Math.min(text.length, ...stops.filter((i) => i >= index));
  return text.slice(start, stop);
}

/** "a, b and c" for sentences. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
