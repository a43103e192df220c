// Offline parser, the trader's story around the rules: "it did alright, like +11% over 6 weeks", "(down
// like 40% lol)", "my last bot lost 9% in two weeks", "I've been running a grid bot for 3 months". A
// clause that tells what happened (a past verb, a date, "lol"), sets no rule (no buy, sell, stop, target,
// hold, stake, when, ...) and names no indicator or price is background: its figures (percentages, spans
// of time, sums of money, counts of times, years) and the kinds of bot it names are blanked before any
// reader sees them, and said back, so none is taken for a stop, a timeframe or a request, nor asked
// about. A clause right after such a clause counts as its continuation ("it did alright, like +11%").
// Kept always: a clause that sets a rule or names a line ("last time I used a 5% stop", "price dumped 5%
// below the ema"), a figure that opens its clause ("2% stop, 4% like last time": a setting), and one
// followed by a direction or a risk word ("5% below", "3% profit").
import { coinSpans } from './market.ts';
import { type Scan, takeSpan } from './text.ts';

/** Words that set a rule: a figure beside them is the trader's instruction. */
const RULE =
  /\b(?:buy\w*|sell\w*|enter\w*|entry|exit\w*|cover\w*|close|stop\w*|sl|tp|tsl|roi|take|target\w*|trail\w*|profit\w*|gain\w*|risk\w*|stake\w*|drawdown|max(?:imum)?|min(?:imum)?|hold(?:s|ing)?\s+(?:it\s+)?(?:for|till|until|to|max|at\s+most)|leverage|when|whenever|if|once|unless|until|till|want|wants|need|put|set|use|make|give)\b/;
/** "buy and hold", the benchmark a story beats, sets no rule. */
const NOT_A_RULE = /\bbuy[\s-]+(?:and|&|n)[\s-]+hold\b/g;
/** Words that name a line or the price: a figure beside them may be a condition. */
const LINE =
  /\b(?:rsi|macd|ema|sma|wma|ma|moving|bollinger|bb|bands?|stoch\w*|atr|adx|cci|mfi|obv|vwap|donchian|volume|price|close[sd]?|closing|open|high|low|candles?|bars?|cross\w*|above|below|under|golden|death|trend\w*|uptrend|downtrend|oversold|overbought|green|red|dip\w*|breakout|break\w*|support|resistance|squeeze|divergence|momentum|volatil\w*|reversion|scalp\w*|swing)\b/;
/** What a story clause keeps besides its coins: a candle size ("on the 4 hour", "hourly", "15m"). */
const TIMEFRAME_WORD =
  /\b(?:\d+\s*(?:m|h|d|w|min|mins|minutes?|hours?|hr|hrs|days?)|hourly|daily|weekly|minute|hour|day)\b/g;
/** Words that may set up the strategy even in a story ("it was on futures", "usdc pairs", "long and short",
 * "1 trade at a time", "the bear market"): a clause with any keeps all its words (its figures still go). */
const SETUP =
  /\b(?:futures|perps?|perpetuals?|spot|margin|leverage\w*|usdt|usdc|busd|fdusd|tusd|dai|usd|eur|long\w*|short\w*|both|sides?|only|max\w*|trades?|positions?|bull\w*|bear\w*|market|hours?|utc|am|pm|skip|avoid|never|no|not|don'?t|isn'?t|paired|pairs?)\b/;
/** A word of a story clause: blanked once its figures are, unless it names a coin or a candle size. */
const WORD = /[a-z'$&]+|\d+(?:[.,]\d+)*/g;
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|in\\s+may)';
/** A year said as a date ("in 2022", "since 2019", "jan 2023"), never a bare number (a stake of 2000). */
const YEAR = String.raw`(?:(?:in|since|of|from|during|back\s+in|may|${MONTH})\s+(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?)`;
/** Words that tell what happened: past verbs, dates, the way people sign off a story. */
const STORY = new RegExp(
  String.raw`\b(?:was|were|did|went|got|made|lost|won|returned|ran|ripped|bounced|dumped|pumped|beat|ended|been|had|seen|saw|claims?|historically|yesterday|ago|lol|ugh|ouch|fwiw|lesson|on\s+paper|of\s+the\s+time|(?:it'?s|i'?m|we'?re|was|were)\s+(?:up|down)|last\s+(?:time|year|month|week|cycle|attempt|run)|this\s+(?:month|year|week)|${YEAR}|${MONTH})\b`,
);
/** The figures of a story: "+11%", "50%+", "over 6 weeks", "in like 20 min", "$1,200", "4 times", "in 2022". */
const FIGURE = new RegExp(
  [
    String.raw`[-+]?\d+(?:\.\d+)?\s*%\+?`,
    String.raw`\b(?:in|over|for|within|after)\s+(?:like\s+|about\s+|maybe\s+|roughly\s+|around\s+|the\s+(?:last|past)\s+)?(?:\d+|a|an|one|two|three|four|five|six|a\s+couple(?:\s+of)?)\s+(?:min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\b`,
    String.raw`-?\$\s?\d[\d,.]*k?\b|\b\d[\d,.]*k?\s*(?:usd|usdt|dollars|bucks)\b`,
    String.raw`\b\d+\s+times\b`,
    String.raw`\b${YEAR}\b`,
    // The kinds of bot the parser refuses (guards.ts), named as what the trader ran before.
    String.raw`\b(?:grid|dca|martingale)\b`,
  ].join('|'),
  'g',
);
/** "a $500 account", "my account is small (like 1.5k)", "40 hours a week", "tried 14 different bots". */
const ABOUT_THE_TRADER = new RegExp(
  [
    String.raw`\b(?:a|my|an|the)\s+(?:small\s+|tiny\s+|little\s+)?(?:~\s*|about\s+|like\s+|around\s+|only\s+)?\$?\s?\d[\d,.]*\s*k?\s*(?:usdt|usd|dollars?|bucks|eur)?\s+(?:account|balance|portfolio|stack|bankroll)\b`,
    String.raw`\b(?:account|balance|portfolio|bankroll)\s+(?:is\s+|of\s+)(?:small\s+|tiny\s+)?\(?\s*(?:~\s*|about\s+|like\s+|around\s+|only\s+)?\$?\s?\d[\d,.]*\s*k?\s*(?:usdt|usd|dollars?|bucks|eur)?\s*\)?`,
    String.raw`\b\d+\s+hours?\s+(?:a|per)\s+(?:week|day|month)\b`,
    String.raw`\b\d+\s+(?:kids|children|jobs|dogs|cats)\b`,
    String.raw`\b\d+\+?\s+(?:different\s+)?(?:bots|strats|strategies|indicators|settings|setups|courses|books|years?\s+(?:of\s+)?(?:trading|experience))\b`,
  ].join('|'),
  'g',
);
/** After a figure: what makes it a setting or a condition ("5% below", "3% profit", "2% or more above"). */
const SETTING_AFTER =
  /^\s*(?:or\s+more\s+)?(?:above|below|under|from|off|pullback|drop|dip|higher|lower|gain|profit|target|stop|tp|sl|trail\w*|take|tsl|roi)\b/;
/** Where a sentence ends. */
const SENTENCE = /[.!?\n]+(?=\s|$)/g;
/** Where a clause ends inside a sentence (not inside brackets: an aside is one clause with its host). */
const CLAUSE = /[,;:]|\s(?:and|but|so|because|while|though|although|then)\s/g;

/** The [start, end) spans of `text` cut at `cut`'s matches. */
function spans(text: string, cut: RegExp, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  for (const m of text.slice(from, to).matchAll(cut)) {
    const at = from + (m.index ?? 0);
    out.push([start, at]);
    start = at + m[0].length;
  }
  out.push([start, to]);
  return out;
}

/** `text` with the clause cuts inside brackets hidden, the same length. */
function bracketsWhole(text: string): string {
  let depth = 0;
  return [...text]
    .map((c) => {
      if (c === '(') depth += 1;
      if (c === ')') depth = Math.max(0, depth - 1);
      return depth > 0 && /[,;:]/.test(c) ? '_' : c;
    })
    .join('');
}

const spanOf = (m: RegExpMatchArray): [number, number] => [m.index ?? 0, (m.index ?? 0) + m[0].length];

/** Blanks [from, to) of the text in both forms, keeping its length. */
function blankOut(scan: Scan, from: number, to: number): void {
  takeSpan(scan, from, to - from);
  // The side readers that read the text as written (a coin in capitals) must not find the story there.
  scan.original = scan.original.slice(0, from) + ' '.repeat(to - from) + scan.original.slice(to);
}

/** Whether a clause tells what happened and nothing else. */
const tells = (clause: string) =>
  STORY.test(clause) && !RULE.test(clause.replace(NOT_A_RULE, ' ')) && !LINE.test(clause);

/** Blanks the story's figures in `scan` and says them back in one line; the text keeps its length. */
export function setStoryAside(scan: Scan): void {
  const text = scan.lower;
  const cuttable = bracketsWhole(text);
  const told: string[] = [];
  // Figures about the trader, never the strategy, wherever they are said: the account's size, the hours
  // they work, how many bots they tried. (The backtest's own starting balance is GenTrade's.)
  for (const m of text.matchAll(ABOUT_THE_TRADER)) {
    const at = m.index ?? 0;
    told.push(scan.original.slice(at, at + m[0].length).trim());
    blankOut(scan, at, at + m[0].length);
  }
  for (const sentence of spans(text, SENTENCE, 0, text.length)) {
    let previousTells = false;
    for (const [from, to] of spans(cuttable, CLAUSE, ...sentence)) {
      const clause = text.slice(from, to);
      const free = !RULE.test(clause.replace(NOT_A_RULE, ' ')) && !LINE.test(clause);
      const own = free && STORY.test(clause);
      // A clause after a story clause loses only its figures ("it did alright, like +11%"), never its words.
      const story = own || (free && previousTells);
      previousTells = tells(clause);
      if (!story) continue;
      let setting = false;
      for (const m of clause.matchAll(FIGURE)) {
        const at = from + (m.index ?? 0);
        // A figure opening its clause is a setting ("4% like last time"); one before a direction or a
        // risk word is a condition or a setting ("5% below", "3% profit").
        const opens = /^[\s(]*$/.test(clause.slice(0, m.index ?? 0)) && !clause.trimStart().startsWith('(');
        if (opens || SETTING_AFTER.test(text.slice(at + m[0].length))) {
          setting = true;
          continue;
        }
        told.push(scan.original.slice(at, at + m[0].length).trim());
        blankOut(scan, at, at + m[0].length);
      }
      if (setting || !own || SETUP.test(clause)) continue;
      // The rest of its words are the story too ("so be careful", "this lost me"): no reader's business,
      // but its coins and candle sizes ("been holding eth", "on the 4 hour") may be the strategy's.
      const kept = [...coinSpans(clause), ...[...clause.matchAll(TIMEFRAME_WORD)].map((m) => spanOf(m))];
      for (const m of clause.matchAll(WORD)) {
        const [s0, e0] = spanOf(m);
        if (kept.some(([ks, ke]) => s0 < ke && e0 > ks)) continue;
        blankOut(scan, from + s0, from + e0);
      }
    }
  }
  if (told.length > 0)
    scan.assumed.push(`Read as background, not as rules: ${told.map((t) => `"${t}"`).join(', ')}.`);
}
