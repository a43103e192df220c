// Offline parser, the higher timeframe: "confirm with the 4h ema 50 trend" (the 4h close above the 4h EMA
// 50, an entry condition of its own), and "the daily ema 200 is rising" when the text also names the
// strategy's own timeframe, in which case "daily" marks the series after it for terms.ts to read; once the
// signals are read, what a higher series is compared with goes on its timeframe too (`onOneTimeframe`).

import { describeSeries } from '../describe.ts';
import { type Condition, type Series, type SignalGroup, type Timeframe, timeframeMinutes } from '../spec.ts';
import { mapGroup } from '../spec-walk.ts';
import type { GeneralSignals } from './general.ts';
import { findTimeframes } from './market.ts';
import { EARLIER_PRICE, isDayBefore, NAMED_AVERAGE } from './patterns.ts';
import { informativeMark } from './terms.ts';
import { clauseAt, fail, type Hit, type Scan, sideAt, takeAll, takeSpan } from './text.ts';

const SHORT_CLAUSE = /\b(?:short\w*|cover\w*|sell\s+short)\b/;
const LONG_OPENED = /\b(?:buy\w*|long|longs|go\s+long)\b(?<!\bno\s+longs?)/;

const TF = String.raw`(\d+\s*-?\s*(?:m|min|minutes?|h|hr|hrs|hours?|d|days?)|h\d+|d1|daily|hourly)`;
/** The timeframe said again before the average ("the daily close above the daily ema 50"), uncaptured. */
const TF_AGAIN = String.raw`\d+\s*-?\s*(?:m|min|minutes?|h|hr|hrs|hours?|d|days?)|h\d+|d1|daily|hourly`;
const MA = String.raw`(sma|ema|wma)\s*\(?\s*(\d+)\s*\)?`;
const CONFIRM = [
  // "confirm with the 4h ema 50 trend", "filtered by the daily sma 200", "confirmed on the 4h ema 50"
  new RegExp(
    String.raw`\b(?:confirm(?:ed|ing)?|filter(?:ed)?)\s+(?:it\s+)?(?:with|by|on|using)\s+(?:an?\s+|the\s+)?${TF}\s+${MA}(?:\s+(?:up)?trend)?(?:\s+(?:filter|confirmation))?`,
    'g',
  ),
  // "with a 4h ema 50 trend filter", "4h ema 50 uptrend"
  new RegExp(
    String.raw`\b(?:with\s+)?(?:an?\s+|the\s+)?${TF}\s+${MA}\s+(?:up)?trend(?:\s+(?:filter|confirmation))?`,
    'g',
  ),
  // "with a 1h trend filter (ema 50)", "and the 4h trend (ema 50) is up"
  new RegExp(
    String.raw`\b(?:with\s+|and\s+)?(?:an?\s+|the\s+)?${TF}\s+(?:up)?trend(?:\s+(?:filter|confirmation))?\s*\(\s*${MA}\s*\)(?:\s+(?:is\s+)?(?:up|bullish|rising|positive))?`,
    'g',
  ),
  // "only during an uptrend on the 1h (ema 50)", "in an uptrend on the daily": the MA left out is EMA 50.
  new RegExp(
    String.raw`\b(?:only\s+)?(?:during|in|with)\s+an?\s+up\s*trend\s+(?:on|of)\s+the\s+${TF}(?:\s+(?:chart|candles?|timeframe|tf))?(?:\s*\(\s*${MA}\s*\)|(?!\s*\())`,
    'g',
  ),
];
// A trend named in passing, without its indicator: "only when the daily trend is up", "4h uptrend",
// "and the 4 hour is bullish". Read as the close above that timeframe's EMA 50, and said back.
const TREND = new RegExp(
  String.raw`(?:,?\s*\b(?:and\s+)?(?:only\s+)?(?:when|if|while|as\s+long\s+as)\s+)?(?:the\s+)?${TF}\s+(?:(?:chart|candles?|timeframe|tf)\s+)?(?:trend\s+(?:is\s+|has\s+to\s+be\s+|must\s+be\s+|should\s+be\s+|needs?\s+to\s+be\s+)?(?:up|bullish|positive|higher)|(?:is\s+)?(?:in\s+an?\s+)?(?:up\s*trend|bullish|trending\s+up))\b`,
  'g',
);
const TREND_EMA = 50;
/** A definition after a trend named in passing: "(price above the daily 200 ema)", "i.e. below the 50 sma". */
const DEFINED_AFTER =
  /^\s*(?:\(\s*([^()]*?\b(?:sma|ema|wma|ma)\b[^()]*?)\s*\)|(?::|-|=|,?\s*(?:i\.?e\.?|like|meaning|which\s+means|defined\s+as)(?=\s))\s*([^().;,]*?\b(?:sma|ema|wma|ma)\b(?:\s*\(?\s*\d+\)?)?(?:\s+on\s+(?:the\s+)?\w+)?))/;
const LEAD = /^,?\s*(?:and\s+)?(?:only\s+)?(?:when|if|while|as\s+long\s+as)\s+/;

/**
 * "while the 1h trend is up (1h 20 ema above 1h 50 ema)", "the 4h trend is down i.e. below the 50 sma":
 * the trend as the trader defines it, written in its place with the trend's timeframe on what it names
 * ("the 4h close below the 4h 50 sma"), for the readers below, and no usual EMA 50 beside it. The words
 * it replaces leave the original too, so their "close" is no exit word for the side readers.
 */
function definedTrends(scan: Scan): void {
  for (const pattern of [TREND, DOWNTREND]) {
    for (const m of [...scan.lower.matchAll(new RegExp(pattern.source, 'g'))]) {
      const end = m.index + m[0].length;
      const definition = DEFINED_AFTER.exec(scan.lower.slice(end, end + 90));
      const trend = findTimeframes({ ...scan, lower: m[1] ?? '' })[0]?.timeframe;
      if (definition === null || trend === undefined) continue;
      const body = (definition[1] ?? definition[2] ?? '').trim();
      // A definition of more than one line ("(price above the 50 ema and the 50 above the 200)"): asked,
      // never half of it on the trend's candles and half on the strategy's.
      const rest = scan.lower.slice(end + definition[0].length);
      const more =
        definition[1] === undefined
          ? /^\s*(?:and|or|&|plus|with)\b/.test(rest)
          : /\b(?:and|or|&|plus|with)\b/.test(body);
      if (more)
        fail(
          `Say the ${(m[1] ?? '').trim()} trend's rule one line at a time, for example: the ${(m[1] ?? '').trim()} close above the ${(m[1] ?? '').trim()} ema 50.`,
        );
      const said = findTimeframes({ ...scan, lower: body });
      if (said.some((t) => t.timeframe !== trend)) continue;
      const tf = (m[1] ?? '').trim();
      let read = body;
      if (said.length === 0) {
        read = read
          .replace(/^(?:the\s+)?(?:price|close)\s+(?:is\s+)?/, '')
          .replace(new RegExp(String.raw`(?:\bthe\s+)?\b(${NAMED_AVERAGE})`, 'g'), `${tf} $1`);
        if (/^(?:above|below|over|under|[<>])/.test(read)) read = `${tf} close ${read}`;
      }
      const text = `${LEAD.exec(m[0])?.[0] ?? ''}${read}`;
      const span = m[0].length + definition[0].length;
      if (text.length > span)
        fail(
          `Say the ${tf} trend's rule with its timeframe on each line, for example: the ${tf} close above the ${tf} ema 50.`,
        );
      scan.assumed.push(`"${scan.original.slice(m.index, m.index + span).trim()}" read as: ${read}.`);
      scan.lower = `${scan.lower.slice(0, m.index)}${text.padEnd(span, ' ')}${scan.lower.slice(m.index + span)}`;
      scan.original = `${scan.original.slice(0, m.index)}${text.padEnd(span, ' ')}${scan.original.slice(m.index + span)}`;
    }
  }
}
// "only if the daily is above its 200 ema", "the 4h closes below the 50 sma", "when daily below ema 100":
// that timeframe's close.
const HTF_CLOSE = new RegExp(
  String.raw`\b(?:the\s+)?${TF}\s+(?:(?:chart|candles?|close|price)\s+)?(?:is\s+|closes?\s+|stays\s+|trades\s+|(?<=\b(?:when|if|while)\s+(?:the\s+)?\S+\s+))(above|over|below|under)\s+(?:its\s+|the\s+)?(?:(?:${TF_AGAIN})\s+)?(?:(\d+)\s*-?\s*(?:period\s+|day\s+)?(sma|ema|wma|ma)\b|(sma|ema|wma|ma)\s*\(?\s*(\d+)\s*\)?)`,
  'g',
);
// The same in a downtrend, for shorts: "and the daily trend is down".
const DOWNTREND = new RegExp(
  String.raw`(?:,?\s*\b(?:and\s+)?(?:only\s+)?(?:when|if|while|as\s+long\s+as)\s+)?(?:the\s+)?${TF}\s+(?:(?:chart|candles?|timeframe|tf)\s+)?(?:trend\s+(?:is\s+|has\s+to\s+be\s+|must\s+be\s+|should\s+be\s+|needs?\s+to\s+be\s+)?(?:down|bearish|negative|lower)|(?:is\s+)?(?:in\s+an?\s+)?(?:down\s*trend|bearish|trending\s+down))\b`,
  'g',
);

// An indicator word right after a timeframe: "the 4h ema 50", "daily close".
// "the 4h 200 ema" puts the period first.
const SERIES_AFTER =
  /^\s*(?:the\s+)?(?:\d+\s*-?\s*(?:period\s+)?)?(?:sma|ema|wma|ma\b|rsi|macd|adx|atr|cci|mfi|obv|vwap|close|open\b|high\b|low\b|price|bollinger|bb\b|donchian|stoch)/;

// A series named before its higher timeframe: "the rsi on the daily", "200 ema on the 4h", "ema 200 daily
// filter". The series words, an optional "on (the)", then the timeframe token.
const SERIES_BEFORE =
  /((?:\d+\s*-?\s*(?:period\s+|day\s+)?)?(?:sma|ema|wma|ma|rsi|macd|adx|atr|cci|mfi|obv|vwap|bollinger|bb|donchian|stoch\w*)(?:\s*\(?\s*\d+(?:\s*[,/]\s*\d+)*\s*\)?)?)\s+(?:(?:on|of)\s+(?:the\s+)?)?$/;
// "and on the 1h it crosses above 30": a pronoun for the series named before, on another timeframe.
const PRONOUN_ON = /\bon\s+the\s+(\S+)\s+it\b/g;
const SERIES_WORD = /\b(sma|ema|wma|rsi|macd|adx|atr|cci|mfi|obv|vwap|stoch\w*)\b/g;

/** Timeframe tokens when the text names two or more different ones; else none. */
function severalTimeframes(scan: Scan) {
  const tokens = findTimeframes(scan);
  return new Set(tokens.map((t) => t.timeframe)).size >= 2 ? tokens : [];
}

/**
 * "the rsi on the daily is below 40": the higher timeframe after its series is written before it ("^X rsi"),
 * where the series reader looks for it. The strategy's own (lowest) timeframe stays where it is.
 */
function moveTrailingTimeframes(scan: Scan): Timeframe | undefined {
  const tokens = severalTimeframes(scan);
  let moved: Timeframe | undefined;
  const lowest = Math.min(...tokens.map((t) => timeframeMinutes(t.timeframe)));
  for (const token of tokens) {
    if (timeframeMinutes(token.timeframe) === lowest) continue;
    if (SERIES_AFTER.test(scan.lower.slice(token.end))) continue;
    const before = SERIES_BEFORE.exec(scan.lower.slice(0, token.index));
    const series = before?.[1];
    if (before === null || series === undefined) continue;
    const start = before.index;
    const written = `${informativeMark(token.timeframe)} ${series}`.padEnd(token.end - start, ' ');
    scan.lower = scan.lower.slice(0, start) + written + scan.lower.slice(token.end);
    moved = token.timeframe;
  }
  return moved;
}

/**
 * "the rsi on the daily is below 40 and on the 1h it crosses above 30": "it" names the series before it,
 * on the strategy's own timeframe. With no series before it there is nothing to name: a question.
 */
function namePronounOnBase(scan: Scan): void {
  if (severalTimeframes(scan).length === 0) return;
  scan.lower = scan.lower.replace(PRONOUN_ON, (whole: string, tf: string, offset: number) => {
    const named = [...scan.lower.slice(0, offset).matchAll(SERIES_WORD)].at(-1)?.[1];
    if (named === undefined) fail(`What does "it" stand for in "${whole.trim()}"? Name the indicator.`);
    return `${named} on ${tf}`.padEnd(whole.length, ' ');
  });
}

/** Trend confirmations, each "close above the MA" on the higher timeframe. */
/** The higher timeframe read, if any, and the filters on the entry (a filter may be on the own candles). */
export type Informative = { timeframe?: Timeframe; conditions: Condition[] } | undefined;

function timeframeOf(scan: Scan, text: string): Timeframe {
  const found = findTimeframes({ ...scan, lower: text });
  const first = found[0]?.timeframe;
  if (first === undefined) return fail(`I couldn't read the timeframe "${text}".`);
  return first;
}

/**
 * "only if the daily is above its 200 ema" as an entry filter: only on a timeframe above the lowest one
 * named (the strategy's own), and only in a clause that opens a long. In an exit or a short's clause it is
 * left to the general reader, which places it on its side.
 */
function higherCloses(scan: Scan): Hit[] {
  const tokens = findTimeframes(scan);
  if (new Set(tokens.map((t) => t.timeframe)).size < 2) return [];
  const lowest = Math.min(...tokens.map((t) => timeframeMinutes(t.timeframe)));
  const taken: Hit[] = [];
  for (const match of scan.lower.matchAll(HTF_CLOSE)) {
    const hit = { index: match.index, end: match.index + match[0].length, groups: match.slice(1) };
    const found = findTimeframes({ ...scan, lower: hit.groups[0] ?? '' })[0]?.timeframe;
    if (found === undefined || timeframeMinutes(found) <= lowest) continue;
    if (sideAt(scan, hit.index, hit.end) === 'exit') continue;
    // In a short's clause it is the short's filter when the text opens no long (withConfirmations puts it
    // on the only side); beside a long it is left to the general reader.
    if (SHORT_CLAUSE.test(clauseAt(scan, hit.index)) && LONG_OPENED.test(scan.lower)) continue;
    taken.push(hit);
  }
  for (const hit of taken) takeSpan(scan, hit.index, hit.end - hit.index);
  return taken;
}

// "ema 200 filter on daily", "sma 200 filter daily": the timeframe after the filter, written before it
// ("daily ema 200 filter") for the readers below.
const FILTER_THEN_TF = new RegExp(
  String.raw`\b(${NAMED_AVERAGE})\s+((?:trend\s+)?filter)\s+(?:on\s+(?:the\s+)?)?${TF}(?:\s+(?:chart|candles?|timeframe|tf))?\b`,
  'g',
);

// "yesterday's high", "the previous day's low" on candles under a day: the last finished daily candle's,
// which is what a daily informative column holds on each candle of the day after.
const DAY_BEFORE = new RegExp(String.raw`\b${EARLIER_PRICE}`, 'g');

function markDayBefore(scan: Scan): Timeframe | undefined {
  const named = findTimeframes(scan).map((t) => timeframeMinutes(t.timeframe));
  if (named.some((m) => m >= 1440)) return undefined;
  let marked = false;
  scan.lower = scan.lower.replace(
    DAY_BEFORE,
    (whole: string, word: string, unit?: string, field?: string) => {
      if (!isDayBefore(word, unit)) return whole;
      marked = true;
      scan.assumed.push(`"${whole.trim()}" read as: the ${field} of the last finished daily candle.`);
      return `${informativeMark('1d')} ${field}`.padEnd(whole.length, ' ');
    },
  );
  return marked ? '1d' : undefined;
}

// "the daily vwap", "day vwap": the VWAP over a day of the strategy's own candles, which is what the VWAP
// read here is; "the 4h vwap" on smaller candles has no such reading.
const TIMEFRAME_VWAP = new RegExp(
  String.raw`\b(?:the\s+)?(?:(daily|day'?s?|1\s*d|session)|${TF})\s+vwap\b`,
  'g',
);

function readSessionVwap(scan: Scan): void {
  // The strategy's own timeframe, the lowest named (Infinity when none is).
  const lowest = Math.min(...findTimeframes(scan).map((t) => timeframeMinutes(t.timeframe)));
  scan.lower = scan.lower.replace(TIMEFRAME_VWAP, (whole: string, day?: string, other?: string) => {
    if (day === undefined) {
      const tf = findTimeframes({ ...scan, lower: other ?? '' })[0]?.timeframe;
      // The strategy's own candles ("eth 5m vwap reclaim").
      if (tf === undefined || timeframeMinutes(tf) <= lowest) return whole;
      fail(
        `A VWAP over ${tf} candles isn't something I read; the VWAP here runs over a day of the strategy's candles. Say for example: price crosses above vwap.`,
      );
    }
    // "btc daily vwap strategy": the strategy's own daily candles.
    if (lowest >= 1440) return whole;
    scan.assumed.push(`"${whole.trim()}" read as: the VWAP over a day of the strategy's candles.`);
    return 'vwap'.padStart(whole.length, ' ');
  });
}

/** Reads trend confirmations and marks series on a higher timeframe; call before the timeframe reader. */
export function readInformative(scan: Scan): Informative {
  const conditions: Condition[] = [];
  definedTrends(scan);
  readSessionVwap(scan);
  const dayBefore = markDayBefore(scan);
  scan.lower = scan.lower.replace(FILTER_THEN_TF, (whole, series: string, filter: string, tf: string) =>
    `${tf} ${series} ${filter}`.padEnd(whole.length, ' '),
  );
  let timeframe: Timeframe | undefined;
  // "eth 15m ema 200 trend filter": with no other timeframe named, one no higher than the usual 1h is
  // the strategy's own, and the filter is on its candles.
  const named = new Set(findTimeframes(scan).map((t) => t.timeframe));
  // With a short side the filter's direction is not this reading's to guess.
  const shorts = /\bshort|\bcover/.test(scan.lower);
  for (const pattern of CONFIRM) {
    for (const m of [...scan.lower.matchAll(pattern)]) {
      const own = timeframeOf(scan, m[1] ?? '');
      if (shorts || named.size !== 1 || !named.has(own) || timeframeMinutes(own) > 60 || m[2] === undefined)
        continue;
      const at = m.index + m[0].indexOf(m[1] ?? '') + (m[1]?.length ?? 0);
      takeSpan(scan, at, m.index + m[0].length - at);
      const kind = m[2] === 'ema' ? 'ema' : m[2] === 'wma' ? 'wma' : 'sma';
      conditions.push({
        op: 'above',
        left: { kind: 'price', field: 'close' },
        right: { kind, period: Number(m[3]), source: 'close' },
      });
      scan.assumed.push(
        `"${m[0].trim()}" read as a filter on the entry: the close above ${kind.toUpperCase()}(${m[3]}).`,
      );
    }
    for (const hit of takeAll(scan, pattern)) {
      timeframe = timeframeOf(scan, hit.groups[0] ?? '');
      const named = hit.groups[1];
      const kind = named === undefined || named === 'ema' ? 'ema' : named === 'wma' ? 'wma' : 'sma';
      const period = named === undefined ? TREND_EMA : Number(hit.groups[2]);
      if (named === undefined) {
        const said = scan.original.slice(hit.index, hit.end).trim();
        scan.assumed.push(
          `"${said}" read as: the ${timeframe} close above the ${timeframe} EMA(${TREND_EMA}).`,
        );
      }
      conditions.push({
        op: 'above',
        left: { kind: 'price', field: 'close', timeframe },
        right: { kind, period, source: 'close', timeframe },
      });
    }
  }
  for (const hit of higherCloses(scan)) {
    const [tf, word, period1, kind1, kind2, period2] = hit.groups;
    timeframe = timeframeOf(scan, tf ?? '');
    const name = kind1 ?? kind2;
    const kind = name === 'ema' ? 'ema' : name === 'wma' ? 'wma' : 'sma';
    const up = word === 'above' || word === 'over';
    conditions.push({
      op: up ? 'above' : 'below',
      left: { kind: 'price', field: 'close', timeframe },
      right: { kind, period: Number(period1 ?? period2), source: 'close', timeframe },
    });
    scan.assumed.push(
      `"${scan.original.slice(hit.index, hit.end).trim()}" read as a filter on the entry: the ${timeframe} close ${up ? 'above' : 'below'} the ${timeframe} ${kind.toUpperCase()}(${Number(period1 ?? period2)}).`,
    );
  }
  const trends = [
    ...takeAll(scan, TREND).map((hit) => ({ hit, op: 'above' as const })),
    ...takeAll(scan, DOWNTREND).map((hit) => ({ hit, op: 'below' as const })),
  ];
  for (const { hit, op } of trends) {
    const trend = timeframeOf(scan, hit.groups[0] ?? '');
    const said = scan.original.slice(hit.index, hit.end).trim().replace(/^,\s*/, '');
    // "btc 1h in an uptrend" with no other timeframe: the trend of the strategy's own candles (a higher
    // timeframe the same as the strategy's is no informative one).
    if (
      named.size === 1 &&
      named.has(trend) &&
      /^\S+\s+(?:is\s+)?in\s+an?\s+(?:up|down)\s*trend\b/.test(said)
    ) {
      conditions.push({
        op,
        left: { kind: 'price', field: 'close' },
        right: { kind: 'ema', period: TREND_EMA, source: 'close' },
      });
      scan.assumed.push(`"${said}" read as: the close ${op} the EMA(${TREND_EMA}).`);
      continue;
    }
    timeframe = trend;
    conditions.push({
      op,
      left: { kind: 'price', field: 'close', timeframe },
      right: { kind: 'ema', period: TREND_EMA, source: 'close', timeframe },
    });
    scan.assumed.push(`"${said}" read as: the ${timeframe} close ${op} the ${timeframe} EMA(${TREND_EMA}).`);
  }
  namePronounOnBase(scan);
  timeframe = moveTrailingTimeframes(scan) ?? timeframe;
  const tokens = findTimeframes(scan);
  if (new Set(tokens.map((t) => t.timeframe)).size >= 2) {
    // The lowest timeframe named is the strategy's own ("the 5m closes above vwap and the 1h ema 50 is
    // rising"); only higher ones mark the series after them.
    const lowest = Math.min(...tokens.map((t) => timeframeMinutes(t.timeframe)));
    const mentions: typeof tokens = [];
    for (const token of tokens) {
      if (timeframeMinutes(token.timeframe) === lowest) continue;
      if (!SERIES_AFTER.test(scan.lower.slice(token.end))) {
        mentions.push(token);
        continue;
      }
      const mark = informativeMark(token.timeframe).padEnd(token.end - token.index, ' ');
      scan.lower = scan.lower.slice(0, token.index) + mark + scan.lower.slice(token.end);
      timeframe = token.timeframe;
    }
    // "only when the 4 hour chart agrees, meaning price above the 4h 200 ema": the chart named again
    // beside the series read on it is the same filter, no timeframe of its own.
    for (const token of mentions) {
      if (token.timeframe !== timeframe) continue;
      scan.lower =
        scan.lower.slice(0, token.index) + ' '.repeat(token.end - token.index) + scan.lower.slice(token.end);
    }
  }
  // "the 1h ema 50 is above the ema 200": the second average on the same timeframe as the first (its mark
  // takes the place of "the", so the text keeps its length); without a "the" to take, asked, never the base.
  // "the 4h close is above ema 50": the same, with "is" making room for the mark.
  const HALF =
    /(\^([A-J])\s*(?:(?:sma|ema|wma)\s*\d+|close|price)\s+)(is\s+)?((?:above|below|over|under|[<>]|cross\w*(?:\s+(?:above|below|over|under))?)\s*)(the\s+|its\s+)?((?:sma|ema|wma)\s*\d+|open\b|high\b|low\b)/g;
  scan.lower = scan.lower.replace(
    HALF,
    (whole, lead: string, letter: string, is?: string, op?: string, the?: string, series?: string) => {
      // No room for the mark: `onOneTimeframe` puts it on the same timeframe once the signals are read.
      if ((the ?? is) === undefined) return whole;
      scan.assumed.push(
        `The ${(series ?? '').toUpperCase()} read on the same timeframe as what it is compared with.`,
      );
      const mark = `^${letter} `;
      const read =
        the === undefined
          ? `${lead}${op}${mark}${series}`
          : `${lead}${is ?? ''}${op}${mark.padEnd(the.length, ' ')}${series}`;
      return read.padEnd(whole.length, ' ');
    },
  );
  if (dayBefore !== undefined && timeframe !== undefined && timeframe !== dayBefore)
    fail(
      `Which higher timeframe: the ${timeframe} or the previous day? Name one, for example: buy when price breaks yesterday's high.`,
    );
  timeframe ??= dayBefore;
  if (timeframe === undefined) return conditions.length > 0 ? { conditions } : undefined;
  return { timeframe, conditions };
}

const AVERAGES: readonly string[] = ['sma', 'ema', 'wma'];

/**
 * "the 4h ema 20 > ema 50", "4h close above ema 50", "daily close > daily open": an average or a price
 * compared with one on a higher timeframe is on that timeframe too (an average of the strategy's candles
 * beside it would be a different line). A close compared with a higher average stays the candle's close.
 */
export function onOneTimeframe<T extends GeneralSignals>(signals: T, scan: Scan): T {
  // "the 1h ema 20 is above the 4h ema 50": each series has its own timeframe said; none is moved.
  const said = new Set(
    [
      ...scan.original
        .toLowerCase()
        .matchAll(/\b(\d+\s*(?:m|h|d)|daily|hourly)\s+(?:the\s+)?(?:sma|ema|wma|close|price|open)\b/g),
    ].map((m) => m[1]?.replace(/\s+/g, '')),
  );
  if (said.size >= 2) return signals;
  const lines: string[] = [];
  const fix = (c: Condition): Condition => {
    if (!('right' in c) || typeof c.right === 'number') return c;
    const [higher, other] = 'timeframe' in c.left && c.left.timeframe ? [c.left, c.right] : [c.right, c.left];
    const timeframe = 'timeframe' in higher ? higher.timeframe : undefined;
    if (timeframe === undefined || ('timeframe' in other && other.timeframe)) return c;
    const both = [higher.kind, other.kind];
    const averages = both.every((k) => AVERAGES.includes(k));
    const leftHigher = higher === c.left;
    const priceFirst =
      leftHigher && higher.kind === 'price' && (AVERAGES.includes(other.kind) || other.kind === 'price');
    if (!averages && !priceFirst) return c;
    const moved = { ...other, timeframe } as Series;
    lines.push(`${describeSeries(other)} read on the ${timeframe} too, as what it is compared with.`);
    return leftHigher ? { ...c, right: moved } : { ...c, left: moved };
  };
  const side = (g: SignalGroup) => mapGroup(g, fix);
  const fixed = {
    ...signals,
    entry: side(signals.entry),
    exit: side(signals.exit),
    ...(signals.short ? { short: { entry: side(signals.short.entry), exit: side(signals.short.exit) } } : {}),
  };
  for (const line of new Set(lines)) scan.assumed.push(line);
  return fixed;
}
