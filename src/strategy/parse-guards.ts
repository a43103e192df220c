// Offline parser, refusals: what the spec can't express (shorts, leverage, indicators it lacks) is refused
// before reading, and whatever no reader understood is refused after, so a strategy is never built from
// part of what the trader asked for.
import type { Signals } from './parse-signals.ts';
import { fail, leftover, type Scan } from './parse-text.ts';

/** The example every refusal offers. */
export const EXAMPLE = 'BTC SMA 20/50 cross on 1h with a 5% stop';
const RSI_EXAMPLE = 'buy when RSI is below 30 and sell above 70';

const RSI_WORDS = /\brsi\b|relative\s+strength/;
// "shorter"/"short-term" are not trade directions; "short", "shorting", "go short", "short-sell" are.
const SHORT = /\bshort(?:s|ed|ing)?\b(?![\s-]*term)|\bshortsell/;
const SHORT_AVERAGE = /\bshort\s+(?:sma|ema|ma|moving|average|period)\b/;

/** Refuses short strategies: the spec trades long only, and reading a short as a long would invert it. */
export function refuseShort(scan: Scan): void {
  if (!SHORT.test(scan.lower)) return;
  const example = RSI_WORDS.test(scan.lower) ? RSI_EXAMPLE : EXAMPLE;
  const average = SHORT_AVERAGE.test(scan.lower)
    ? ' If "short" meant the faster average, call it fast instead: fast EMA 9 crosses slow EMA 21.'
    : '';
  fail(`Short strategies aren't supported yet; describe a long strategy, for example: ${example}.${average}`);
}

const UNSUPPORTED: [RegExp, string][] = [
  [/\bmacd\b/, 'MACD'],
  [/\bbollinger|\bbbands?\b|\bbb\b/, 'Bollinger Bands'],
  [/\bstoch(?:astic)?\b|\bstochrsi\b/, 'Stochastic'],
  [/\batr\b|average\s+true\s+range/, 'ATR'],
  [/\badx\b/, 'ADX'],
  [/\bcci\b/, 'CCI'],
  [/\bmfi\b|money\s+flow/, 'MFI'],
  [/\bobv\b|on[\s-]balance\s+volume/, 'OBV'],
  [/\bvwap\b/, 'VWAP'],
  [/\bdonchian\b/, 'Donchian channels'],
  [/\bwma\b|weighted\s+moving\s+average/, 'WMA'],
  [/\b(?:hma|dema|tema|vwma|kama|hull)\b/, 'HMA, DEMA, TEMA, VWMA or KAMA'],
  [/\bichimoku\b/, 'Ichimoku'],
  [/\bsupertrend\b/, 'Supertrend'],
  [/\bpsar\b|parabolic\s+sar/, 'Parabolic SAR'],
  [/\bkeltner\b/, 'Keltner channels'],
  [/\bvolume\b/, 'volume-based'],
  [/\bdca\b|dollar[\s-]cost/, 'DCA'],
  [/\bgrid\b/, 'grid'],
];
const LEVERAGE = /\b(?:leverage[ds]?|futures|perps?|perpetuals?|margin)\b|\b\d+(?:\.\d+)?x\b/;

/** Refuses indicators and trading modes the spec has no words for. */
export function refuseUnsupported(scan: Scan): void {
  if (LEVERAGE.test(scan.lower)) {
    fail(
      `Leverage, margin and futures aren't supported; strategies trade spot, long only. Describe it without them, for example: ${EXAMPLE}.`,
    );
  }
  for (const [pattern, label] of UNSUPPORTED) {
    if (pattern.test(scan.lower)) {
      fail(
        `I can't build ${label} strategies yet. I can read SMA or EMA crosses and RSI levels, for example: ${EXAMPLE}.`,
      );
    }
  }
}

// Capitalised words a trader writes that are not coins (abbreviations, and words typed in capitals).
const NOT_COINS = new Set(
  (
    'OK TF TA UTC AM PM PLS PLZ THX FYI ASAP IMO NFA AND OR THE ON IN AT OF TO FOR WITH WHEN IF IS IT ' +
    'BUY SELL ENTER EXIT LONG ONLY THEN USE CHART CANDLES STRATEGY PLEASE'
  ).split(' '),
);
const CAPS = /(?<![\w$/])[A-Z][A-Z0-9]{1,9}(?![\w/])/g;

// A coin the pair reader didn't know would otherwise be replaced by the default pair.
function refuseUnknownCoin(scan: Scan): void {
  if (!/[a-z]/.test(scan.original)) return;
  for (const match of scan.original.matchAll(CAPS)) {
    const word = match[0];
    const unread = scan.lower.slice(match.index, match.index + word.length) === word.toLowerCase();
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
  const combined = signals.entry.length > 1 || signals.exit.length > 1;
  if (combined && /\b(?:or|either)\b/.test(scan.lower)) {
    fail(
      'I can only combine conditions with "and" (all must hold); describe one buy rule and one sell rule, or conditions that must all be true.',
    );
  }
}
