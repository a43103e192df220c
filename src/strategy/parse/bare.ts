// Offline parser, one indicator named with nothing said about it: "a bollinger bands strategy", "macd 8 21
// 5 on sol". Each gets the usual reading, said back on the card; anything more specific goes to the
// general reader.
import type { GeneralSignals } from './general.ts';
import { mentions, type Scan, takeAll } from './text.ts';

const OTHER_INDICATORS =
  /\b(?:rsi|sma|ema|wma|ma|moving|golden|death|stoch\w*|atr|adx|cci|mfi|obv|vwap|donchian|volume|price|close|high|low)\b/;

// "a bollinger bands strategy": the bands named with nothing said about them.
// "bb 20", "bollinger(20, 2.5)": with its settings.
const BARE_BANDS =
  /\b(?:bollinger(?:\s+bands?)?|bbands?|bb)(?:\s*\(?\s*(\d+)\s*(?:[,/ ]\s*(\d+(?:\.\d+)?)\s*)?\)?(?![\d/.%]))?(?:\s+(?:strategy|system|setup|reversion|bounce|mean\s+reversion))?\b/g;
const BAND_DETAIL =
  /\b(?:upper|lower|middle|mid|width|squeeze|percent|touch\w*|below|above|under|over|cross\w*|break\w*|outside|inside)\b|%\s*b|\d/;

/**
 * The usual Bollinger mean reversion when the bands are named and nothing else is: buy a close below the
 * lower band, sell a close above the upper one (20 candles, 2 deviations), said back. Undefined otherwise.
 */
export function bareBands(scan: Scan): GeneralSignals | undefined {
  if (!mentions(scan, /\b(?:bollinger|bbands?|bb)\b/)) return undefined;
  const rest = scan.lower.replace(new RegExp(BARE_BANDS.source, 'g'), (m) => ' '.repeat(m.length));
  if (BAND_DETAIL.test(rest) || OTHER_INDICATORS.test(scan.lower)) return undefined;
  const hits = takeAll(scan, BARE_BANDS);
  const settings = new Set(hits.map((h) => `${h.groups[0] ?? 20}/${h.groups[1] ?? 2}`));
  if (settings.size > 1) return undefined;
  const [period, stddev] = ([...settings][0] ?? '20/2').split('/').map(Number);
  const band = (output: 'lower' | 'upper') => ({
    kind: 'bollinger' as const,
    period: period ?? 20,
    stddev: stddev ?? 2,
    output,
  });
  const close = { kind: 'price' as const, field: 'close' as const };
  const below = { op: 'below' as const, left: close, right: band('lower') };
  const above = { op: 'above' as const, left: close, right: band('upper') };
  // "short eth bollinger bands": the same reversion from the other band.
  if (/\bshort/.test(scan.lower)) {
    scan.assumed.push(
      `Bollinger bands read as mean reversion: short a close above the upper band (${period}, ${stddev}), cover a close below the lower band.`,
    );
    return {
      entry: { all: [] },
      exit: { all: [] },
      short: { entry: { all: [above] }, exit: { all: [below] } },
      label: `bb-${period}-${stddev}`,
    };
  }
  scan.assumed.push(
    `Bollinger bands read as mean reversion: buy a close below the lower band (${period}, ${stddev}), sell a close above the upper band.`,
  );
  return {
    entry: { all: [below] },
    exit: { all: [above] },
    label: `bb-${period}-${stddev}`,
  };
}

// "macd 8 21 5", "macd(12,26,9)", "macd cross", "buy on the macd cross up".
const BARE_MACD =
  /\bmacd(?:\s*\(?\s*(\d+)\s*[,/ ]\s*(\d+)\s*[,/ ]\s*(\d+)\s*\)?)?(?:\s+(?:strategy|system|setup|crossover|cross(?:es|ing)?(?:\s+(?:up|over|above))?))?\b/g;
const MACD_DETAIL =
  /\b(?:signal|hist\w*|zero|positive|negative|green|red|flip\w*|below|under|down|bearish|rising|falling|turns?)\b|\d/;

/**
 * The usual MACD reading when MACD is named with at most a cross: buy when the MACD line crosses above
 * its signal (12/26/9 unless given) and, without a take-profit, sell when it crosses below; each default
 * said back. Undefined otherwise.
 */
export function bareMacd(scan: Scan): GeneralSignals | undefined {
  if (!mentions(scan, /\bmacd\b/) || OTHER_INDICATORS.test(scan.lower)) return undefined;
  const hits = takeAll({ ...scan, lower: scan.lower }, BARE_MACD);
  const rest = scan.lower.replace(BARE_MACD, ' ');
  if (hits.length !== 1 || MACD_DETAIL.test(rest)) return undefined;
  takeAll(scan, BARE_MACD);
  const [fast, slow, signal] = (hits[0]?.groups ?? []).map((g) => (g === undefined ? undefined : Number(g)));
  const params = { fast: fast ?? 12, slow: slow ?? 26, signal: signal ?? 9 };
  const line = { kind: 'macd' as const, ...params, output: 'line' as const };
  const sig = { kind: 'macd' as const, ...params, output: 'signal' as const };
  const said = `${params.fast}/${params.slow}/${params.signal}`;
  if (fast === undefined) scan.assumed.push(`No MACD settings given: ${said}.`);
  return {
    entry: { all: [{ op: 'crosses_above', left: line, right: sig }] },
    exit: { all: [] },
    label: `macd-${params.fast}-${params.slow}-${params.signal}`,
    // Without a take-profit, the cross back down is the usual exit.
    usualExit: {
      exit: { all: [{ op: 'crosses_below', left: line, right: sig }] },
      assumed: 'No exit given: sell when the MACD line crosses below its signal.',
    },
  };
}

// "donchian channel strat", "a 55 day donchian system": the channel named with nothing said about it.
const BARE_DONCHIAN =
  /\b(?:(\d+)\s*-?\s*(day|candle|period|bar)?\s*)?donchian(?:\s+channels?)?(?:\s*\(?\s*(\d+)\s*\)?)?(?:\s+(?:strategy|strat|system|setup|breakouts?))?\b/g;
// "adx strategy", "an adx 14 trend system".
// A number beside it ("adx 20 strat") may be a period or the trend level: asked about, not guessed.
const BARE_ADX = /\badx(?:\s+(?:trend\s+)?(?:strategy|strat|system|setup))?\b/g;
const DETAIL =
  /\b(?:upper|lower|middle|mid|high|low|above|below|under|over|cross\w*|break\w*\s+(?:above|below|under|over)|rising|falling|di|signal|when|if)\b|[<>+-]\s*di\b|[<>]|\d/;

/** The one bare phrase `pattern` finds, taken out, when the rest of the text says nothing more. */
function bareOnly(
  scan: Scan,
  named: RegExp,
  pattern: RegExp,
  others: RegExp,
): (string | undefined)[] | undefined {
  if (!mentions(scan, named) || others.test(scan.lower)) return undefined;
  const hits = takeAll({ ...scan, lower: scan.lower }, pattern);
  if (hits.length !== 1 || DETAIL.test(scan.lower.replace(pattern, ' '))) return undefined;
  takeAll(scan, pattern);
  return hits[0]?.groups ?? [];
}

/**
 * The turtle breakout when a Donchian channel is named alone: buy a close above the highest high of the
 * last N candles (20 unless given), sell a close below the lowest low of half as many; said back.
 */
export function bareDonchian(scan: Scan): GeneralSignals | undefined {
  const others =
    /\b(?:rsi|sma|ema|wma|ma|moving|golden|death|macd|bollinger|bb|stoch\w*|atr|adx|cci|mfi|obv|vwap|volume)\b/;
  const groups = bareOnly(scan, /\bdonchian\b/, BARE_DONCHIAN, others);
  if (groups === undefined) return undefined;
  // "20 day donchian" on 4h candles is 120 of them.
  const days = groups[1] === 'day' ? (scan.dayCandles ?? 1) : 1;
  const period = groups[0] !== undefined ? Number(groups[0]) * days : Number(groups[2] ?? 20);
  const out = Math.max(2, Math.round(period / 2));
  const close = { kind: 'price' as const, field: 'close' as const };
  scan.assumed.push(
    `Donchian channel read as the turtle breakout: buy a close above the ${period}-candle high, sell a close below the ${out}-candle low.`,
  );
  return {
    entry: { all: [{ op: 'above', left: close, right: { kind: 'donchian', period, output: 'upper' } }] },
    exit: { all: [{ op: 'below', left: close, right: { kind: 'donchian', period: out, output: 'lower' } }] },
    label: `donchian${period}`,
  };
}

/**
 * The usual ADX trend reading when ADX is named alone: buy when +DI crosses above -DI while ADX is above 25
 * (a trend strong enough to follow), sell when +DI crosses back below -DI; said back.
 */
export function bareAdx(scan: Scan): GeneralSignals | undefined {
  const others =
    /\b(?:rsi|sma|ema|wma|ma|moving|golden|death|macd|bollinger|bb|stoch\w*|atr|cci|mfi|obv|vwap|donchian|volume)\b/;
  const groups = bareOnly(scan, /\badx\b/, BARE_ADX, others);
  if (groups === undefined) return undefined;
  const period = 14;
  const adx = (output: 'adx' | 'plus_di' | 'minus_di') => ({ kind: 'adx' as const, period, output });
  scan.assumed.push(
    `ADX named alone, read as: buy when +DI crosses above -DI while ADX ${period} is above 25, sell when +DI crosses below -DI.`,
  );
  return {
    entry: {
      all: [
        { op: 'crosses_above', left: adx('plus_di'), right: adx('minus_di') },
        { op: 'above', left: adx('adx'), right: 25 },
      ],
    },
    exit: { all: [{ op: 'crosses_below', left: adx('plus_di'), right: adx('minus_di') }] },
    label: 'adx',
  };
}
