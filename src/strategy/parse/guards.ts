// Offline parser, refusals: what the spec can't express (shorts on spot, leverage, indicators it lacks) is refused
// before reading, and whatever no reader understood is refused after, so a strategy is never built from
// part of what the trader asked for.
import type { Signals } from './signals.ts';
import { fail, leftover, type Scan, takeAll } from './text.ts';

/** The example every refusal offers. */
export const EXAMPLE = 'BTC SMA 20/50 cross on 1h with a 5% stop';
const RSI_EXAMPLE = 'buy when RSI is below 30 and sell above 70';

const RSI_WORDS = /\brsi\b|relative\s+strength/;
// "shorter"/"short-term" are not trade directions; "short", "shorting", "go short", "short-sell" are.
const SHORT = /\bshort(?:s|ed|ing)?\b(?![\s-]*term)|\bshortsell/;
const SHORT_AVERAGE = /\bshort\s+(?:sma|ema|ma|moving|average|period)\b/;
const FUTURES = /\b(?:on\s+|in\s+)?(?:the\s+)?(?:futures|perps?|perpetuals?)(?:\s+(?:market|contracts?))?\b/g;

/** Shorts need futures (spot markets can't short): a short on spot is refused, never read as a long. */
export function refuseShort(scan: Scan): void {
  if (!SHORT.test(scan.lower) || new RegExp(FUTURES.source).test(scan.lower)) return;
  if (SHORT_AVERAGE.test(scan.lower)) {
    // "short ema crosses long ema" may mean the faster average, not a short trade: ask.
    const example = RSI_WORDS.test(scan.lower) ? RSI_EXAMPLE : EXAMPLE;
    fail(
      `Shorts trade on futures only; add "on futures" (for example: short ETH when RSI is above 70 on futures, cover below 30), or describe a long strategy, for example: ${example}. If "short" meant the faster average, call it fast instead: fast EMA 9 crosses slow EMA 21.`,
    );
  }
  // A short can only be traded on futures: the usual reading, said back.
  scan.assumed.push('Shorting needs futures: the strategy trades the USDT perpetual, without leverage.');
}

/** Whether the strategy trades futures ("on futures", "perps"); the phrase is taken out. */
export function readFutures(scan: Scan): boolean {
  return takeAll(scan, FUTURES).length > 0;
}

const UNSUPPORTED: [RegExp, string][] = [
  [/\bstoch(?:astic)?\s*-?\s*rsi\b|\bstochrsi\b/, 'StochRSI'],
  [/\b(?:hma|dema|tema|vwma|kama|hull)\b/, 'HMA, DEMA, TEMA, VWMA or KAMA'],
  [/\bichimoku\b/, 'Ichimoku'],
  [/\bsupertrend\b/, 'Supertrend'],
  [/\bpsar\b|parabolic\s+sar/, 'Parabolic SAR'],
  [/\bkeltner\b/, 'Keltner channels'],
  [/\bheik[ei]n[\s-]*ashi\b/, 'Heikin Ashi'],
  [/\bdca\b|dollar[\s-]cost/, 'DCA'],
  [/\bgrid\b/, 'grid'],
];
const LEVERAGE = /\b(?:leverage[ds]?|margin)\b|\b\d+(?:\.\d+)?x\b/;
// "with 5x leverage", "3x lev", "10x", "isolated margin": said back as left out, the strategy kept.
const LEVERAGE_PHRASE =
  /\b(?:(?:with|at|on|using)\s+)?(?:\d+(?:\.\d+)?\s*x\s*(?:leverage[ds]?|lev)?|(?:leverage[ds]?|lev)\s*(?:of\s+)?\d+(?:\.\d+)?\s*x?|(?:isolated|cross)\s+margin|leverage[ds]?|margin)\b/g;
// "volume above 2x its average": the spec compares series as they are, never scaled.
const MULTIPLE =
  /\b\d+(?:\.\d+)?\s*(?:x|times)\s+(?:(?:its|the)\s+)?(?:\d+\S*\s+)?(?:average|avg|ma|sma|ema|mean)/;
// "volume above 1000": raw volume means different things on every pair and candle size.
const RAW_VOLUME = /\bvolume\s+(?:is\s+)?(?:above|over|below|under|greater\s+than|less\s+than|[<>])\s*\d/;

// A later step of the entry, which conditions on one candle can't hold apart from the first. An event
// (a cross, a dip, a break) and "then" another condition: "the fast ema crosses above the slow ema, then
// price pulls back to it" (not "then sell ..."; after a state, "then" joins: "above the 200 ema, then rsi
// under 40"). Or a condition "after" another: "crosses above 30 after it dips under 25". Read together
// they were one candle, or the later step was dropped. A move to a distance from a line has its own
// words of a next step ("dips 2% below the ema and bounces", distance.ts).
const EVENT_THEN =
  /\b(?:cross(?:es|ed|ing|over)?|dips?|drops?|falls?|dumps?|breaks?|spikes?|touch(?:es)?|tags?|taps?|(?:re)?tests?|pulls?\s+back)\b[^.;]*?(\bthen\b(?!\s+(?:sell|exit|cover|close\s+(?:the\s+)?(?:trade|position)|take|tp|sl|stop|short|buy|long|go)\b)[^.;]*?\b(?:price|close[sd]?|rsi|macd|ema|sma|wma|ma|volume|candle|bounc\w*|pull\w*|retest\w*|retrac\w*|dips?|drops?)\b[^.;,]*)/;
// "dips below the 20 ema and closes back above the 50 ema": back over another line, a later step (back over
// the same line is read as its cross, text.ts).
const EVENT_BACK =
  /\b(?:dips?|drops?|falls?|dumps?|breaks?|spikes?|pokes?|wicks?|goes|moves?|trades?)\b(?:(?!\b(?:sell\w*|exit\w*|cover\w*|take|tp|buy\w*|short\w*|long|when|if)\b)[^.;])*?(\b(?:closes?|comes?|gets?|goes|moves?|crosses?|pops?|climbs?|rises?|then)\s+back\s+(?:up\s+|down\s+)?(?:above|over|below|under|inside|into|in)\b[^.;,]*)/;
const AFTER_CONDITION =
  /\b(?:cross(?:es|ing)?(?:\s+(?:above|below|over|under|up|down))?|above|below|over|under|[<>])[^.;,]*?\bafter\s+(?:the\s+|it\s+|its\s+)?(?:rsi|macd|ema|sma|wma|ma|price|close|stoch\w*|cci|mfi|adx|obv|volume|bollinger|bb|vwap|it)\b[^.;,]*/;

const VAGUE_TREND =
  /\b(?:(?:the\s+)?(?:higher\s+timeframe\s+)?trend\s+(?:is\s+|has\s+to\s+be\s+|must\s+be\s+)?(?:up|down|bullish|bearish|positive|negative)|(?:in\s+)?(?:an?\s+)?(?:up|down)\s*trend|trending\s+(?:up|down)|(?:bull|bear)(?:ish)?\s+market)\b/;

/**
 * "rsi under 30 when the trend is up", "only long in a bull market": a trend filter with no line or
 * timeframe to read it from (a higher timeframe's is read before this), asked about rather than dropped.
 */
function refuseVagueTrend(scan: Scan): void {
  const trend = leftover(scan, VAGUE_TREND);
  if (trend !== undefined)
    fail(
      `Which trend do you mean by "${trend}"? Say it with a line, for example: and the close above EMA 200, or: and the 4h trend is up.`,
    );
}

/** Refuses indicators, scaled series and leverage the spec has no words for. */
export function refuseUnsupported(scan: Scan): void {
  const multiple = leftover(scan, MULTIPLE);
  if (multiple !== undefined) {
    fail(
      `I can't compare with a multiple of a line ("${multiple}"); compare with the line itself, for example: volume above its 20-candle average.`,
    );
  }
  if (RAW_VOLUME.test(scan.lower)) {
    fail(
      'Raw volume means something different on every pair and candle size; compare it with its average instead, for example: volume above its 20-candle average.',
    );
  }
  const leverage = takeAll(scan, LEVERAGE_PHRASE);
  if (leverage.length > 0) {
    scan.assumed.push(
      `Leverage ("${scan.original.slice(leverage[0]?.index, leverage[0]?.end).trim()}") is left out: the strategy trades the USDT perpetual without it.`,
    );
    scan.leveraged = true;
  }
  if (LEVERAGE.test(scan.lower)) {
    fail(
      `Leverage and margin aren't supported; strategies trade without leverage. Describe it without them, for example: ${EXAMPLE}.`,
    );
  }
  // "buy when price drops back to the 50 ema": reaching a line to open a trade; which candle, the touch
  // or the turn, is asked (on a closing side the text was read as the cross, text.ts).
  const reach =
    /\b(?:(?:drops?|falls?|dips?|sinks?|climbs?|rises?)\s+back\s+(?:up\s+|down\s+)?to|comes?\s+back\s+down\s+to|rall(?:y|ies)\s+(?:back\s+)?(?:up\s+)?to)\s+(?:the\s+)?(?:\d+\s*-?\s*)?(?:sma|ema|wma|ma|vwap)\b/.exec(
      scan.lower,
    );
  if (reach)
    fail(
      `Which candle opens the trade in "${reach[0]}": the touch, or the close turning away from the line? Say for example: buy when the low is below the EMA 50 and the close is above it.`,
    );
  // "breaks last week's high": a week's candles have no column here; a channel says it.
  const week = /\b(?:last|previous|prior|this)\s+week'?s?\s+(high|low|close)\b/.exec(scan.lower);
  if (week)
    fail(
      `I can't read "${week[0]}" on these candles; say it as a channel over the week's candles, for example: close above the ${week[1] === 'low' ? '42-candle low' : '42-candle high'} on 4h candles.`,
    );
  const later =
    AFTER_CONDITION.exec(scan.lower) ?? EVENT_THEN.exec(scan.lower) ?? EVENT_BACK.exec(scan.lower);
  if (later) {
    fail(
      `I can't read "${(later[1] ?? later[0]).trim()}" as one candle: the spec tests what holds on the candle traded. Say what holds then, for example: buy when RSI crosses above 30 and EMA 9 is above EMA 21.`,
    );
  }
  for (const [pattern, label] of UNSUPPORTED) {
    if (pattern.test(scan.lower)) {
      fail(
        `I can't build ${label} strategies. I can read moving averages, RSI, MACD, Bollinger Bands, Stochastic, ATR, ADX, CCI, MFI, OBV, VWAP, Donchian channels and volume, for example: ${EXAMPLE}.`,
      );
    }
  }
}

// Capitalised words a trader writes that are not coins (abbreviations, and words typed in capitals).
const NOT_COINS = new Set(
  (
    'OK TF TA UTC AM PM PLS PLZ THX FYI ASAP IMO NFA AND OR THE ON IN AT OF TO FOR WITH WHEN IF IS IT ' +
    'BUY SELL ENTER EXIT LONG ONLY THEN USE CHART CANDLES STRATEGY PLEASE SHORT COVER ' +
    'SMA EMA WMA MA RSI MACD BB ATR ADX DI CCI MFI OBV VWAP TP SL ROI USDT USDC ' +
    // English words typed in capitals for emphasis ("NOT on weekends", "ALL of them", "GET in").
    'ALL NOW MOST GET GO BE DO BOT ME MY YOUR YOU WE US UP DOWN JUST ANY EVERY EACH HODL ' +
    'TREND ABOVE BELOW OVER UNDER CROSS CROSSES BREAK BREAKS HIGH LOW OPEN CLOSE AFTER BEFORE VERY REALLY ' +
    'MUST ALWAYS DAILY HOURLY WEEKLY SPOT FUTURES PERPS STOP LOSS TAKE PROFIT MAX MIN NEW BIG SMALL ' +
    'TOP BEST NEED WANT THIS THAT AGAIN ' +
    // Trader shorthand: all-time high and low, fear of missing out, dollar-cost averaging.
    'ATH ATL FOMO FUD DCA PNL'
  ).split(' '),
);
// Negations in capitals state a rule the spec can't hold ("NOT on weekends"): asked about, never dropped.
const NEGATIONS = new Set(['NOT', 'NO', 'NEVER', 'DONT', 'EXCEPT']);
const CAPS = /(?<![\w$/])[A-Z][A-Z0-9]{1,9}(?![\w/])/g;

// A coin the pair reader didn't know would otherwise be replaced by the default pair.
export function refuseUnknownCoin(scan: Scan): void {
  if (!/[a-z]/.test(scan.original)) return;
  for (const match of scan.original.matchAll(CAPS)) {
    const word = match[0];
    const unread = scan.lower.slice(match.index, match.index + word.length) === word.toLowerCase();
    if (unread && NEGATIONS.has(word)) {
      fail(
        `I can't read "${word}" rules (a time or condition to avoid); describe when to trade instead, for example: ${EXAMPLE}.`,
      );
    }
    if (unread && !NOT_COINS.has(word)) {
      fail(`I don't know the coin "${word}"; write the pair in full, for example: ${word}/USDT.`);
    }
  }
}

/**
 * Refuses what the readers left unread: numbers, capitalised tickers it doesn't know, and "or" between
 * conditions (the spec joins conditions with "and").
 */
export function refuseLeftovers(scan: Scan, signals: Signals): void {
  const number = leftover(scan, /[^\s,;()]*\d[^\s,;()]*/);
  if (number !== undefined) {
    fail(`I couldn't read "${number}" in that; describe the strategy like: ${EXAMPLE}.`);
  }
  refuseUnknownCoin(scan);
  // "rsi below 30 and the trend is strong up": a condition joined with "and" that the reader left is
  // asked about, never dropped.
  const dropped =
    /\b(?:and|&|plus)\s+((?:[a-z']+\s+){0,6}?(?:above|below|over|under|cross\w*|rising|falling|breaks?|green|red|higher|lower|bullish|bearish|candles?|price|volume|trend\w*)\b[^,;.]*)/.exec(
      scan.lower,
    );
  if (dropped?.[1])
    fail(
      `I couldn't read "${dropped[1].trim()}"; say it with an indicator, for example: rsi below 30 and macd above its signal.`,
    );
  // "rsi under 30 when the trend is up", "only long in a bull market": a trend filter with no line or
  // timeframe to read it from, asked about rather than dropped.
  refuseVagueTrend(scan);
  const combined = signals.entry.length > 1 || signals.exit.length > 1;
  if (combined && /\b(?:or|either)\b/.test(scan.lower)) {
    fail(
      'I can only combine conditions with "and" (all must hold); describe one buy rule and one sell rule, or conditions that must all be true.',
    );
  }
}
