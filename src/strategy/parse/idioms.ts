// Offline parser, a line named with the trader's idiom instead of a comparison: "bounce off the 21 ema",
// "buy the lower band", "exit on the 20 day low", "ema 200 filter", "rejects the upper band", "20 candle
// high breakout". Each has one usual reading on the price chart, which is said back on the card; a line
// with no usual reading on its side of the trade gets a question instead.
import { describeItem, describeSeries } from '../describe.ts';
import type { Condition, Series } from '../spec.ts';
import { fail } from './text.ts';

/** Which trade a phrase opens or closes. */
export type TradeSide = 'entry' | 'exit' | 'shortEntry' | 'shortExit';

const CLOSE: Series = { kind: 'price', field: 'close' };
const LOW: Series = { kind: 'price', field: 'low' };
const HIGH: Series = { kind: 'price', field: 'high' };

const BOUNCE = /\b(?:bounc\w*|rebound\w*|holds?|holding|retest\w*|pullbacks?|dips?\s+to)\b/;
// "fails to hold the 50 ema", "can't hold": the opposite of the idiom; asked about, never guessed.
const NEGATED =
  /\b(?:fail\w*|unable|can'?t|cannot|won'?t|doesn'?t|does\s+not|didn'?t|not|never|no\s+longer)\b/;
const REJECT = /\b(?:reject\w*|resistance|fails?\s+at)\b/;
const BREAKOUT = /\bbreak\s*(?:s|ing)?\s*out\b|\bbreakouts?\b/;
const BREAKDOWN = /\bbreak\s*(?:s|ing)?\s*down\b|\bbreakdowns?\b/;
const BACK_TO =
  /\b(?:back\s+(?:up\s+|down\s+)?(?:in)?to|returns?\s+to|reverts?\s+to|gets?\s+to|reach(?:es)?|rall(?:y|ies)\s+(?:up\s+)?(?:in)?to)\b/;
const TOUCH = /\b(?:touch\w*|tag\w*|tap\w*|hits?|test\w*)\b/;

type Place = 'upper' | 'lower' | 'middle' | 'line';

// Where a price-scale line sits: band edges and channel sides above or below price, averages on it.
function placeOf(series: Series): Place | undefined {
  switch (series.kind) {
    case 'sma':
    case 'ema':
    case 'wma':
    case 'vwap':
      return 'line';
    case 'bollinger':
    case 'donchian':
      return series.output === 'upper' || series.output === 'lower' || series.output === 'middle'
        ? series.output
        : undefined;
    default:
      return undefined;
  }
}

const opens = (side: TradeSide) => side === 'entry' || side === 'shortExit';

const VOLUME_PERIOD = 20;
const OBV_CANDLES = 5;
const CONFIRMING = /\b(?:confirm\w*|confluence|trend\w*|filter|up|rising|increasing|support\w*)\b/;

// Volume or OBV named as a confirmation of an entry ("bollinger squeeze with volume", "obv + vwap
// confluence"): volume above its 20-candle average, OBV higher than 5 candles before. "OBV breaks out" and
// "makes a new high" are read before this (obv.ts).
function confirmation(series: Series, words: string, side: TradeSide): Condition[] | undefined {
  if (side !== 'entry' && side !== 'shortEntry') return undefined;
  if (series.kind === 'price' && series.field === 'volume') {
    return [{ op: 'above', left: series, right: { kind: 'volume_sma', period: VOLUME_PERIOD } }];
  }
  if (series.kind === 'obv' && (CONFIRMING.test(words) || words.replace(/§[A-Z]/g, '').trim() === '')) {
    return [{ op: side === 'entry' ? 'rising' : 'falling', left: series, candles: OBV_CANDLES }];
  }
  return undefined;
}

function usual(series: Series, place: Place, side: TradeSide): Condition[] | undefined {
  if (place === 'upper') return [{ op: 'above', left: CLOSE, right: series }];
  if (place === 'lower') return [{ op: 'below', left: CLOSE, right: series }];
  // The middle band is where a mean-reversion trade is closed, not opened.
  if (place === 'middle') {
    if (side === 'exit') return [{ op: 'above', left: CLOSE, right: series }];
    if (side === 'shortExit') return [{ op: 'below', left: CLOSE, right: series }];
    return undefined;
  }
  // An average or VWAP alone: trade on its side ("ema 200 filter", "vwap + ema 9 scalp").
  return [{ op: opens(side) ? 'above' : 'below', left: CLOSE, right: series }];
}

const AT = /(?:^|\s)at\s+(?:the\s+)?§/;

/**
 * "buy 3% below the 20 sma, sell at the sma": a line reached from the side the entry left it on, so the
 * close back over it. Without an entry on that line, "at" says no way to read.
 */
function reachedLine(
  series: Series,
  words: string,
  side: TradeSide,
  earlier: readonly Condition[],
): Condition | undefined {
  // Reaching a line closes a trade, a long's or a short's ("sell at the sma", "cover at the ema").
  const closing = side === 'exit' || side === 'shortExit';
  if (!closing || !AT.test(words) || placeOf(series) === undefined) return undefined;
  // The latest condition on that line, wherever it was said ("... 3% below the 50 sma and rsi under 35").
  const same = (c: Condition) => 'right' in c && JSON.stringify(c.right) === JSON.stringify(series);
  // Below the lower Bollinger band of an average is below that average ("2 std below the 20 sma, sell
  // back at the 20 sma"); above the upper band, above it.
  const band = (c: Condition) =>
    'right' in c &&
    typeof c.right !== 'number' &&
    c.right.kind === 'bollinger' &&
    series.kind === 'sma' &&
    c.right.period === series.period &&
    ((c.op === 'below' && c.right.output === 'lower') || (c.op === 'above' && c.right.output === 'upper'));
  const previous = [...earlier].reverse().find((c) => same(c) || band(c));
  if (previous === undefined || (previous.op !== 'below' && previous.op !== 'above')) return undefined;
  return { op: previous.op === 'below' ? 'above' : 'below', left: CLOSE, right: series };
}

// "vwap reversion": a style named, not a side of the line; the conditions say which.
const REVERSION = /\b(?:mean\s*-?\s*)?reversion\b|\brevert/;

/**
 * The usual reading of a price-scale line named with an idiom or on its own, or undefined when it has
 * none (an oscillator, or the middle band as an entry). `words` is the phrase it was named in; the line
 * that says the reading back goes to `assumed`.
 */
export function idiomFor(
  series: Series,
  words: string,
  side: TradeSide,
  assumed: string[],
  previous?: Condition,
  seen: readonly Condition[] = [],
): Condition[] | undefined {
  const reached = reachedLine(series, words, side, [...seen, ...(previous ? [previous] : [])]);
  if (reached !== undefined) {
    const said = words
      .replace(/§[A-Z]/g, describeSeries(series))
      .replace(/\s+/g, ' ')
      .trim();
    assumed.push(
      `"${said}" read as: ${describeItem(reached)} (back at the line, from the side the entry was on).`,
    );
    return [reached];
  }
  // "buy when rsi below 30, sell at the 50 ema": reached from under it or fallen to from over it? With no
  // entry on that line to say, asked rather than guessed.
  if ((side === 'exit' || side === 'shortExit') && AT.test(words) && placeOf(series) === 'line')
    return fail(
      `Which way is "${words
        .replace(/§[A-Z]/g, describeSeries(series))
        .replace(/\s+/g, ' ')
        .trim()}": the close coming up to the ${describeSeries(series)} from under it, or falling to it from over it? Say for example: sell when the close crosses above the ${describeSeries(series)}.`,
    );
  if (NEGATED.test(words) || REVERSION.test(words)) return undefined;
  const confirming = confirmation(series, words, side);
  if (confirming !== undefined) {
    assumed.push(`Read as: ${confirming.map(describeItem).join(' and ')}.`);
    return confirming;
  }
  // "macd + 200 ema trend filter", "with macd confirm": MACD named with nothing said of it is its usual
  // signal, the line crossing its signal line (up to buy or cover, down to sell or short).
  if (series.kind === 'macd' && series.output === 'line') {
    const up = side === 'entry' || side === 'shortExit';
    const cross: Condition = {
      op: up ? 'crosses_above' : 'crosses_below',
      left: series,
      right: { ...series, output: 'signal' },
    };
    assumed.push(`MACD named alone, read as: ${describeItem(cross)}.`);
    return [cross];
  }
  // "sol macd histogram 4h": the histogram crossing zero, up to buy or cover, down to sell or short.
  if (series.kind === 'macd' && series.output === 'histogram') {
    const up = side === 'entry' || side === 'shortExit';
    const cross: Condition = { op: up ? 'crosses_above' : 'crosses_below', left: series, right: 0 };
    assumed.push(`MACD histogram named alone, read as: ${describeItem(cross)}.`);
    return [cross];
  }
  const place = placeOf(series);
  if (place === undefined) return undefined;
  let read: Condition[] | undefined;
  // A rejection opens a short or closes a long; a bounce opens a long or closes a short.
  if (REJECT.test(words)) {
    if (opens(side)) return undefined;
    read = [
      { op: 'above', left: HIGH, right: series },
      { op: 'below', left: CLOSE, right: series },
    ];
  } else if (BOUNCE.test(words)) {
    if (!opens(side)) return undefined;
    read = [
      { op: 'below', left: LOW, right: series },
      { op: 'above', left: CLOSE, right: series },
    ];
  } else if (BREAKOUT.test(words)) read = [{ op: 'above', left: CLOSE, right: series }];
  else if (BREAKDOWN.test(words)) read = [{ op: 'below', left: CLOSE, right: series }];
  // "sell when price gets back to the ema 20": the line reached on the way back, from under it to sell
  // (from over it to cover), never the usual close under it.
  else if (
    BACK_TO.test(words) &&
    (side === 'exit' || side === 'shortExit') &&
    (place === 'line' || place === 'middle')
  )
    read = [{ op: side === 'exit' ? 'crosses_above' : 'crosses_below', left: CLOSE, right: series }];
  // "short when price rallies back to the 50 ema": which candle opens it, the touch or a rejection, is not
  // this reading's to guess.
  else if (BACK_TO.test(words) && (place === 'line' || place === 'middle'))
    return fail(
      `Which candle opens the trade at the ${describeSeries(series)}: the touch, or the close turning away from it? Say for example: short when the high is above the EMA 50 and the close is below it.`,
    );
  else if (TOUCH.test(words) && place !== 'middle') {
    read =
      place === 'lower' || (place === 'line' && opens(side))
        ? [{ op: 'below', left: LOW, right: series }]
        : [{ op: 'above', left: HIGH, right: series }];
  } else read = usual(series, place, side);
  if (read !== undefined) assumed.push(`Read as: ${read.map(describeItem).join(' and ')}.`);
  return read;
}
