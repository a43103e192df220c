// Offline parser, the word patterns several readers share, written once: a moving average named with its
// period, and an earlier candle's price. Whitespace in them is bounded, so a run of spaces in a trader's
// text never makes a pattern backtrack over it.

/** The kinds of moving average by their abbreviations. */
const MA_KIND = '(?:sma|ema|wma|ma)';

function averageSource(kind: string, period: string): string {
  return String.raw`(?:${kind}\s{0,3}\(?\s{0,3}${period}\s{0,3}\)?|${period}\s{0,3}-?\s{0,3}(?:(?:period|day)\s{1,3})?${kind}\b)`;
}

/** A moving average named with its period, either way round: "ema 20", "sma(50)", "20 ema", "50-day sma". */
export const NAMED_AVERAGE = averageSource(MA_KIND, String.raw`\d+`);

const AVERAGES_NAMED = new RegExp(
  String.raw`\b${averageSource('(sma|ema|wma|ma)', String.raw`(\d+)`)}`,
  'gi',
);

/** Each moving average named with its period in a text, in order: its kind as written and its period. */
export function averagesNamed(text: string): { kind: string; period: number }[] {
  return [...text.matchAll(AVERAGES_NAMED)].map((m) => ({
    kind: (m[1] ?? m[4] ?? '').toLowerCase(),
    period: Number(m[2] ?? m[3]),
  }));
}

/**
 * An earlier candle's price as traders name it: "the previous close", "prev candle's high", "prior bar's
 * low", "yesterday's high", "the day before's open", "the previous day's low", "last day's close". ("The last
 * close" is the candle being traded, in Freqtrade's words, so it is not here.) Groups: the word for before,
 * the unit when said ("candle", "bar", "day"), the field.
 */
export const EARLIER_PRICE = String.raw`(?:the\s{1,3})?(prev|previous|prior|yesterday'?s?|last\s{1,3}day'?s?|day\s{1,3}before'?s?)\s{1,3}(?:(candle|bar|day)'?s?\s{1,3})?(high|low|close|open)s?\b`;

/** Whether an earlier price's words name the day before rather than the candle before. */
export function isDayBefore(word: string | undefined, unit: string | undefined): boolean {
  return unit === 'day' || /^(?:yesterday|last|day)/i.test(word ?? '');
}
