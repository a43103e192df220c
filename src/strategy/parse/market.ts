// Offline parser, market part: which candles (timeframe) and which pairs. Timeframes accept the ways
// traders write them ("4h", "4 hour", "4hrs", "4-hour", "H4", "hourly", "daily candles"); pairs accept
// "BTC/USDT", "btc-usdt", "btcusdt", "$BTC", bare coin tickers and a few coin names, with USDT as the
// default quote.

import { TIMEFRAMES } from '../spec.ts';
import { fail, leftover, listWords, type Scan, takeAll } from './text.ts';

type Timeframe = (typeof TIMEFRAMES)[number];

const SUPPORTED = TIMEFRAMES.join(', ');

function isTimeframe(value: string): value is Timeframe {
  return TIMEFRAMES.some((tf) => tf === value);
}

// A number is not a candle size when an indicator word follows it ("20 day SMA", "14-period RSI").
const NOT_A_CANDLE = String.raw`(?!\s*-?\s*(?:sma|ema|wma|ma\b|moving|rsi|period|length|simple|exponential|highs?\b|lows?\b|break\s*(?:out|down)|golden|death|donchian|channel|range|atr|adx|cci|mfi|obv|vwap|bollinger|bb\b|stoch|macd|volume|avg|average|\/))`;
// "the 50-day SMA is above the 200-day": several days are a period, not a candle size, unless candles or a
// chart are named ("3 day candles", asked about as unsupported).
const SEVERAL_DAYS = String.raw`(?:(?<!(?<![\w.])(?:[2-9]|\d{2,})\s{0,3}-?\s{0,3}(?:days?|d))|(?=\s+(?:candles?|candlesticks?|charts?|bars?|timeframe|tf)\b))`;
// Minutes and hours are candle sizes even before an indicator ("the 4h ema 50"); days are not ("20 day sma").
// "6 hour candles", "15 min chart": the word after the size belongs to it.
const CANDLE_WORD = String.raw`(?:\s+(?:candles?|candlesticks?|charts?|bars?|timeframe|tf))?`;
// "drops 3% in 1 hour", "up 10% over the last 7 days": the span of a move (earlier.ts), not a candle size.
// After a comparison ("rsi > 30") a number is a level, unless a series follows its unit ("close > 4h ema 50").
const NUMBER_UNIT = new RegExp(
  String.raw`(?<![\w.])(?:(?<![<>=]\s{0,3})|(?=\d+\s{0,3}-?\s{0,3}(?:hours?|hrs?|hr|h|minutes?|mins?|m|d)\s+(?:sma|ema|wma|ma|rsi|macd|close|open|high|low|vwap|bb|bollinger)\b))(?<!%\s{1,3}(?:in|over|within)\s{1,3}(?:the\s{1,3}(?:last|past)\s{1,3})?)(\d+)\s{0,3}-?\s{0,3}(?:(minutes?|mins?|m|hours?|hourly|hrs?|hr|h|(?<=(?<![\w.])1\s{0,3}-?\s{0,3})d)\b(?!\s*-?\s*(?:period|length))|(days?|d|weeks?|wk|w|months?|mo)\b${NOT_A_CANDLE}${SEVERAL_DAYS})${CANDLE_WORD}`,
  'g',
);
const UNIT_NUMBER = /\b([mhdw])(\d{1,2})\b/g;
const WORDS =
  /\b(hourly|daily|weekly|monthly)\b(?:\s+(?:candles?|candlesticks?|charts?|bars?|timeframe|tf))?|\b(minute|hour|day|week)\s+(?:charts?|candles?|bars?|timeframe|tf)\b/g;
// "half hour candles", "quarter-hour chart": 30m and 15m (before WORDS, which would read "hour candles").
const PART_HOUR =
  /(?<!\b(?:for|every|each|within|after|in|per)\s+(?:an?\s+)?)\b(half|quarter)[\s-]*(?:an?\s+)?hour(?:ly)?\b(?:\s+(?:candles?|candlesticks?|charts?|bars?|timeframe|tf))?/g;
const partHour = (word: string | undefined) => (word === 'quarter' ? '15m' : '30m');
// "sell after 24 hours" is a holding time, not a candle size; reading it as 1d would change the strategy.
const HOLDING =
  /\b(?:after|within|hold(?:s|ing)?(?:\s+(?:it|them|for|the\s+trade))*)\s+(?:\d+|an?|one)\s*-?\s*(?:minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|candles?|bars?)\b/;
// "the 200-day moving average" counts daily candles, so with no other timeframe it means 1d.
const DAY_PERIOD = /\b\d+\s*-?\s*days?\s*(?:sma|ema|ma\b|moving|rsi|highs?\b|lows?\b)/;
// Candles shorter than a minute: Freqtrade's smallest is 1m.
const SECONDS =
  /(?<![\w.])\d+\s*-?\s*(?:secs?|seconds?)\b|(?<![\w.])\d+s\s+(?:candles?|charts?|bars?|timeframe|tf)\b|\btick\s*-?\s*(?:by\s*-?\s*tick|candles?|charts?|data|scalp\w*)\b|\bevery\s+(?:trade\s+)?tick\b/;

function fromUnit(count: number, unit: string): string {
  const u = unit.charAt(0) === 'm' && unit.startsWith('mo') ? 'M' : unit.charAt(0);
  if (u === 'm' && count >= 60 && count % 60 === 0) return fromUnit(count / 60, 'h');
  if (u === 'h' && count >= 24 && count % 24 === 0) return fromUnit(count / 24, 'd');
  return `${count}${u}`;
}

function wordTimeframe(word: string): string {
  const timeframes: Record<string, string> = {
    hourly: '1h',
    daily: '1d',
    weekly: '1w',
    monthly: '1M',
    minute: '1m',
    hour: '1h',
    day: '1d',
    week: '1w',
  };
  return timeframes[word] ?? word;
}

function describeUnsupported(found: string): string {
  if (found.endsWith('w')) return 'Weekly candles';
  if (found.endsWith('M')) return 'Monthly candles';
  return `${found} candles`;
}

/** Every supported timeframe the text names, where it is, without taking it out (for informative.ts). */
export function findTimeframes(scan: Scan): { index: number; end: number; timeframe: Timeframe }[] {
  const found: { index: number; end: number; timeframe: string }[] = [];
  const add = (pattern: RegExp, read: (m: RegExpExecArray) => string) => {
    for (const m of scan.lower.matchAll(pattern)) {
      found.push({ index: m.index, end: m.index + m[0].length, timeframe: read(m) });
    }
  };
  add(PART_HOUR, (m) => partHour(m[1]));
  add(NUMBER_UNIT, (m) => fromUnit(Number(m[1]), m[2] ?? m[3] ?? ''));
  add(UNIT_NUMBER, (m) => fromUnit(Number(m[2]), m[1] ?? ''));
  add(WORDS, (m) => wordTimeframe(m[1] ?? m[2] ?? ''));
  // "half hour candles" is one timeframe, not also "hour candles": of overlapping finds, the first.
  let reached = -1;
  return found
    .flatMap((f) => (isTimeframe(f.timeframe) ? [{ ...f, timeframe: f.timeframe }] : []))
    .sort((a, b) => a.index - b.index || b.end - a.end)
    .filter((f) => {
      if (f.index < reached) return false;
      reached = f.end;
      return true;
    });
}

// "on the fifteen", "trading it on the 5": the minute charts traders name by their number alone.
const ON_THE_MINUTES =
  /(?<!\b(?:buy|sell|exit|long|short|cover|enter|close|out)\s+)\b(?:on|in)\s+the\s+(5|15|30)(?=\s*(?:$|[,.;:!?]|(?:and|with|for|using|chart|but|i|i'?m|we|when|if|only|my|trading)\b))/g;

// TradingView's "D" for daily candles ("btc D sma 100"): a capital D standing alone, once.
const CAPITAL_D = /(?<![\w'’/.%-])D(?![\w'’/.%-])/g;
const LONE_D = /(?<![\w'’/.%-])d(?![\w'’/.%-])/g;

function tradingViewDay(scan: Scan): string[] {
  const capitals = [...scan.original.matchAll(CAPITAL_D)];
  if (capitals.length !== 1 || capitals[0] === undefined) return [];
  // Only where a chart is named: after a coin ("BTC D", "btc/usdt D") or "on (the)", or before "chart".
  const at = capitals[0].index;
  const before = /([a-z]+)(?:\/[a-z]+)?\s+$/.exec(
    scan.original.slice(Math.max(0, at - 20), at).toLowerCase(),
  )?.[1];
  const coin =
    before !== undefined &&
    (COINS.includes(before) || before in COIN_NAMES || before === 'on' || before === 'the');
  if (!coin && !/^D\s+(?:charts?|candles?|tf|timeframe)\b/.test(scan.original.slice(at))) return [];
  if ((scan.lower.match(LONE_D) ?? []).length !== 1) return [];
  takeAll(scan, LONE_D);
  return ['1d'];
}

/**
 * The timeframe the text names, or `undefined` when it names none. Several different ones are refused;
 * with none named, "N-day" indicator periods imply daily candles.
 */
export function readTimeframe(scan: Scan): Timeframe | undefined {
  const holding = leftover(scan, HOLDING);
  if (holding !== undefined) {
    fail(
      `Exits after a fixed time ("${holding}") aren't supported yet; exit on a condition, a take-profit or a stop-loss.`,
    );
  }
  const seconds = leftover(scan, SECONDS);
  if (seconds !== undefined) fail(`Candles of "${seconds}" aren't supported; use one of ${SUPPORTED}.`);
  const found = [
    ...tradingViewDay(scan),
    ...takeAll(scan, PART_HOUR).map((h) => partHour(h.groups[0])),
    ...takeAll(scan, ON_THE_MINUTES).map((h) => `${h.groups[0]}m`),
    ...takeAll(scan, NUMBER_UNIT).map((h) => fromUnit(Number(h.groups[0]), h.groups[1] ?? h.groups[2] ?? '')),
    ...takeAll(scan, UNIT_NUMBER).map((h) => fromUnit(Number(h.groups[1]), h.groups[0] ?? '')),
    ...takeAll(scan, WORDS).map((h) => wordTimeframe(h.groups[0] ?? h.groups[1] ?? '')),
  ];
  const distinct = [...new Set(found)];
  if (distinct.length > 1) {
    fail(`I found more than one timeframe (${listWords(distinct)}); which one should the strategy use?`);
  }
  const only = distinct[0];
  if (only === undefined) return DAY_PERIOD.test(scan.lower) ? '1d' : undefined;
  // "0m" counts no time at all: it is no candle size, not an unsupported one.
  if (/^0\D/.test(only))
    fail(`"${only}" is no candle size (a candle lasts at least a minute); use one of ${SUPPORTED}.`);
  if (!isTimeframe(only)) fail(`${describeUnsupported(only)} aren't supported; use one of ${SUPPORTED}.`);
  return only;
}

const QUOTES = ['usdt', 'usdc', 'fdusd', 'busd', 'tusd', 'dai', 'usd', 'eur', 'btc', 'eth', 'bnb'];
const STABLE_QUOTES = ['usdt', 'usdc', 'fdusd', 'busd', 'tusd', 'dai', 'usd', 'eur'];
const COINS = (
  'btc eth sol bnb xrp ada doge avax link dot ltc matic pol trx xlm bch atom sui shib pepe fil inj arb aave ' +
  'hbar icp wif bonk sei tia kas'
).split(' ');
// Tickers that are also English words count only in capitals ("LINK") or as part of a pair.
const WORDLIKE_COINS = ['near', 'op', 'uni', 'ton', 'etc', 'apt', 'ape', 'one'];
const COIN_NAMES: Record<string, string> = {
  bitcoin: 'btc',
  ethereum: 'eth',
  ether: 'eth',
  solana: 'sol',
  ripple: 'xrp',
  cardano: 'ada',
  dogecoin: 'doge',
  'shiba inu': 'shib',
  shiba: 'shib',
  litecoin: 'ltc',
  polkadot: 'dot',
  chainlink: 'link',
  avalanche: 'avax',
  tron: 'trx',
  'binance coin': 'bnb',
  'binance smart chain': 'bnb',
  // Other coins named after these: never the coin in their name ("bitcoin cash" is BCH, not BTC).
  'bitcoin cash': 'bch', // (not "bitcoin cash-and-carry", "cash flow": see NAMES_ALT)
  'bitcoin sv': 'bsv',
  'ethereum classic': 'etc',
  'ether classic': 'etc',
  'wrapped bitcoin': 'wbtc',
  'wrapped ether': 'weth',
};
// Longest first, so "bitcoin cash" is read before "bitcoin".
const NAMES_ALT = Object.keys(COIN_NAMES)
  .sort((a, b) => b.length - a.length)
  .map(
    (name) =>
      name.replace(/ /g, '\\s+') + (name === 'bitcoin cash' ? '(?![\\s-]*(?:and|&|flow|out|in)\\b)' : ''),
  )
  .join('|');

const QUOTE_ALT = QUOTES.join('|');
const KNOWN_ALT = [...COINS, ...WORDLIKE_COINS].join('|');
// "LINK/USDT": anything before a dollar-coin quote is a base. Before BTC, ETH or BNB only a known coin is:
// "buy-eth" or "most/eth" names ETH, never a pair whose base is an English word.
const STABLE_ALT = STABLE_QUOTES.join('|');
const PAIR = new RegExp(
  String.raw`\b(?:([a-z][a-z0-9]{1,11})\s*[/:_-]\s*(${STABLE_ALT})|(${KNOWN_ALT})\s*[/:_-]\s*(${QUOTE_ALT}))\b`,
  'g',
);
const GLUED = new RegExp(String.raw`\b(${[...COINS, ...WORDLIKE_COINS].join('|')})(${QUOTE_ALT})\b`, 'g');
// No English word ends in "usdt", so any glued ticker with a dollar-coin quote is a pair ("FETUSDT").
const GLUED_ANY = /\b([a-z][a-z0-9]{1,11}?)(usdt|usdc|fdusd|busd)\b/g;
// "$FET" is a ticker whatever the coin.
const CASHTAG = /\$([a-z][a-z0-9]{1,11})\b/g;
const BARE = new RegExp(String.raw`\b(${NAMES_ALT}|${[...COINS, ...WORDLIKE_COINS].join('|')})\b`, 'g');
const QUOTE_WORD = new RegExp(String.raw`\b(${STABLE_QUOTES.join('|')})\b`, 'g');

const COIN_WORD = new RegExp(
  String.raw`\b(?:${NAMES_ALT}|${COINS.join('|')})\b|\b[a-z][a-z0-9]{1,11}\s*[/:_-]?\s*(?:usdt|usdc|fdusd|busd)\b|\$[a-z]`,
  'i',
);

/** Whether the text names a crypto coin or pair at all (before any reader takes words out). */
export const namesCoin = (text: string): boolean => COIN_WORD.test(text);

/** The spans of `text` that name a coin ("eth", "bitcoin cash", "sol/usdt"), for readers that keep them. */
const COIN_OR_PAIR = new RegExp(`${BARE.source}|${PAIR.source}`, 'g');

export function coinSpans(text: string): [number, number][] {
  return [...text.matchAll(COIN_OR_PAIR)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

/** Pairs in the order the text names them, with USDT (or a quote the text names) for bare coins. */
// "btc/eth/sol/bnb basket": three or more coins joined by slashes are a list, not pairs of each other.
const SLASH_LIST = new RegExp(String.raw`\b(?:${KNOWN_ALT})(?:\s*/\s*(?:${KNOWN_ALT})){2,}\b`, 'g');

const TURNED_DOWN =
  /\b(?:forget|no\s+more|instead\s+of|rather\s+than|sold(?:\s+all)?|used\s+to|my\s+old|was\s+my|like\s+my|too\s+volatile|(?:is|it'?s)\s+dead|except|but\s+now|now\s+only|only\s+want|switch(?:ing|ed)?\s+from|not\s+(?:trading|on)|done\s+with|quit)\b/g;

export function readPairs(scan: Scan): string[] | undefined {
  const found: { index: number; base: string; quote?: string }[] = [];
  for (const list of takeAll(scan, SLASH_LIST)) {
    const text = scan.original.slice(list.index, list.end).toLowerCase();
    let at = list.index;
    for (const coin of text.split('/')) {
      found.push({ index: at, base: coin.trim() });
      at += coin.length + 1;
    }
  }
  for (const hit of takeAll(scan, PAIR)) {
    found.push({
      index: hit.index,
      base: hit.groups[0] ?? hit.groups[2] ?? '',
      quote: hit.groups[1] ?? hit.groups[3],
    });
  }
  for (const hit of [...takeAll(scan, GLUED), ...takeAll(scan, GLUED_ANY)]) {
    found.push({ index: hit.index, base: hit.groups[0] ?? '', quote: hit.groups[1] });
  }
  for (const hit of takeAll(scan, CASHTAG)) found.push({ index: hit.index, base: hit.groups[0] ?? '' });
  for (const hit of takeAll(scan, BARE)) {
    const word = hit.groups[0] ?? '';
    const wordlike = WORDLIKE_COINS.includes(word);
    if (wordlike && scan.original.slice(hit.index, hit.index + word.length) !== word.toUpperCase()) continue;
    found.push({ index: hit.index, base: COIN_NAMES[word.replace(/\s+/g, ' ')] ?? word });
  }
  const quotes = [...new Set(takeAll(scan, QUOTE_WORD).map((h) => h.groups[0] ?? ''))];
  if (quotes.length > 1) {
    fail(
      `I found more than one quote currency (${listWords(quotes.map((q) => q.toUpperCase()))}); pick one.`,
    );
  }
  const defaultQuote = quotes[0] ?? 'usdt';
  const pairs = found
    .sort((a, b) => a.index - b.index)
    .map((p) => `${p.base}/${p.quote ?? defaultQuote}`.toUpperCase())
    .filter((pair, i, all) => all.indexOf(pair) === i);
  if (pairs.length > 20) fail(`That is ${pairs.length} pairs; a strategy can trade at most 20.`);
  // "I used to trade doge but now I only want btc", "forget eth, btc 4h ...", "btc, instead of eth": a coin
  // turned down beside the one wanted; which to trade is asked, never both taken.
  const coins = pairs.length > 1 ? coinSpans(scan.original.toLowerCase()) : [];
  const turnedDown = [...scan.lower.matchAll(TURNED_DOWN)].find((m) =>
    // A coin near the cue ("used to trade doge", "eth, it's dead"), not any cue ("I used to trade forex").
    coins.some(([from, to]) => to > (m.index ?? 0) - 25 && from < (m.index ?? 0) + m[0].length + 25),
  );
  if (turnedDown)
    fail(
      `Which coins should it trade? I found ${listWords(pairs)}, and "${turnedDown[0]}" sounds like one of them is not wanted; name only the coins to trade.`,
    );
  if (pairs.length === 0) askAboutSlip(scan);
  return pairs.length > 0 ? pairs : undefined;
}

// "ethh", "dogee": a ticker with its last letter typed twice ("fill" and "poll" are words, not FIL and POL;
// no other listed ticker doubled is an English word).
const SLIP = /\b([a-z]{3,5})\b/g;
const NOT_SLIPS = new Set(['fill', 'poll']);

/** With no coin named, a word that is a ticker with its last letter doubled is asked about, never the default. */
function askAboutSlip(scan: Scan): void {
  for (const m of scan.lower.matchAll(SLIP)) {
    const word = m[1] ?? '';
    const ticker = word.slice(0, -1);
    if (NOT_SLIPS.has(word) || word.at(-1) !== word.at(-2) || !COINS.includes(ticker)) continue;
    fail(
      `"${word}" isn't a coin I know; did you mean ${ticker.toUpperCase()}? Name the coin, for example: ${ticker.toUpperCase()}.`,
    );
  }
}
