// Parses the date ranges traders type into Freqtrade's YYYYMMDD-YYYYMMDD form, rejecting impossible dates
// and reversed ranges with a sentence that says what to type instead.
import { AppError } from '../errors.ts';

export type Timerange = { start: Date; end: Date; text: string };

const EXAMPLE = 'Use YYYYMMDD-YYYYMMDD, for example 20240101-20240701.';

function parseDay(s: string): Date | undefined {
  // "20240101", "2024-01-01", "2024-1-1".
  const m = /^(\d{4})(?:(\d{2})(\d{2})|-(\d{1,2})-(\d{1,2}))$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return date;
}

/** A UTC date as Freqtrade's YYYYMMDD. */
export function fmt(d: Date): string {
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Accepts "20240101-20240701" or "2024-01-01..2024-07-01"; throws AppError('BAD_TIMERANGE'). */
export function parseTimerange(input: string): Timerange {
  const text = input.trim();
  const m = /^(\d{8}|\d{4}-\d{1,2}-\d{1,2})\s*(?:-|\.\.|to)\s*(\d{8}|\d{4}-\d{1,2}-\d{1,2})$/.exec(text);
  if (!m?.[1] || !m[2]) {
    throw new AppError('BAD_TIMERANGE', `I can't read the date range "${text}". ${EXAMPLE}`);
  }
  const start = parseDay(m[1]);
  const end = parseDay(m[2]);
  if (!start || !end) {
    throw new AppError('BAD_TIMERANGE', `"${text}" contains a date that doesn't exist. ${EXAMPLE}`);
  }
  if (start.getTime() === end.getTime()) {
    const next = new Date(end.getTime() + 86_400_000);
    throw new AppError(
      'BAD_TIMERANGE',
      `The range ${fmt(start)}-${fmt(end)} starts and ends on the same day, so it holds no candles: the end date is not included. For that one day, use ${fmt(start)}-${fmt(next)}.`,
    );
  }
  if (start.getTime() > end.getTime()) {
    throw new AppError(
      'BAD_TIMERANGE',
      `The range ${fmt(start)}-${fmt(end)} ends before it starts. Put the earlier date first, for example ${fmt(end)}-${fmt(start)}.`,
    );
  }
  return { start, end, text: `${fmt(start)}-${fmt(end)}` };
}

// Date ranges in words, for the agent: "last 6 months", "2024", "since March", "Jan–Jun 2025". `now` is
// the anchor (the caller passes the end of the market data, so "last 6 months" ends where candles do).

/**
 * How a range was read: `typed` as dates (20240101-20240701), `calendar` from a named period ("2024",
 * "Q1 2024"), `anchored` against `now` ("last 6 months", "since March", a month range without a year).
 */
type Reading = 'typed' | 'calendar' | 'anchored';

/** A range read from a sentence; `matched` is the words it came from, as typed. */
export type TimerangeWords = Timerange & {
  matched: string;
  reading: Reading;
  clamped?: boolean;
  startClamped?: boolean;
};

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const YEAR = '((?:19|20)\\d{2})';
const DASH = '\\s*(?:-|–|—|to|through|till|until)\\s*';
const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WORD_NUMBERS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, six: 6, twelve: 12 };

const monthIndex = (word: string | undefined) => MONTH_KEYS.indexOf((word ?? '').slice(0, 3));
const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1));
const optYear = (s: string | undefined) => (s === undefined ? undefined : Number(s));

type Rule = {
  re: RegExp;
  reading: Reading | ((m: RegExpExecArray) => Reading);
  range(m: RegExpExecArray, today: Date): [Date, Date] | string;
};

function minus(today: Date, n: number, unit: string): Date {
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()];
  if (unit.startsWith('day')) return new Date(Date.UTC(y, m, d - n));
  if (unit.startsWith('week')) return new Date(Date.UTC(y, m, d - 7 * n));
  // Six months before 31 December is 30 June, not 1 July: the day is clamped to the month's length.
  const [ty, tm] = unit.startsWith('month') ? [y, m - n] : [y - n, m];
  const lastDay = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ty, tm, Math.min(d, lastDay)));
}

/** The latest start of `month` that is not after today, when no year is given. */
function recentYear(month: number, today: Date): number {
  return month <= today.getUTCMonth() ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
}

const COUNT = '(\\d{1,3}|a|one|two|three|four|six|twelve)';
const UNITS = '(days?|weeks?|months?|years?)';
const count = (word: string | undefined) => WORD_NUMBERS[word ?? ''] ?? Number(word);

/** Whole years from the first to the second, both included; "2023 and 2025" is not one period. */
function yearSpan(m: RegExpExecArray): [Date, Date] {
  const [y1, y2] = [Number(m[1]), Number(m[3])];
  if (/^(?:and|&)$/.test(m[2] ?? '') && y2 !== y1 + 1) {
    throw new AppError(
      'BAD_TIMERANGE',
      `"${m[0]}" is not one continuous period, and a backtest runs over one range. Say "${y1}-${y2}" for all of it, or one year at a time.`,
    );
  }
  return [monthStart(y1, 0), monthStart(y2 + 1, 0)];
}

/** A period after `today`; the caller refuses it when the data ends before it starts. */
function ahead(today: Date, n: number, unit: string): [Date, Date] {
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()];
  const tomorrow = new Date(Date.UTC(y, m, d + 1));
  if (unit.startsWith('day')) return [tomorrow, new Date(Date.UTC(y, m, d + 1 + n))];
  if (unit.startsWith('week')) return [tomorrow, new Date(Date.UTC(y, m, d + 1 + 7 * n))];
  if (unit.startsWith('month')) return [monthStart(y, m + 1), monthStart(y, m + 1 + n)];
  return [monthStart(y + 1, 0), monthStart(y + 1 + n, 0)];
}

const RULES: Rule[] = [
  {
    re: /\b(\d{4}-?\d{2}-?\d{2})\s*(?:-|\.\.|to)\s*(\d{4}-?\d{2}-?\d{2})\b/,
    reading: 'typed',
    range: (m) => m[0],
  },
  {
    // "from 2024-03-01", "since 20240301": one start date runs to the end of the data.
    re: /\b(?:from|since|starting(?:\s+(?:on|from))?|after)\s+(\d{4}-?\d{2}-?\d{2})\b/,
    reading: 'anchored',
    range: (m, today) => `${m[1]}..${fmt(today)}`,
  },
  {
    // "2023-2024", "from 2023 to 2024", "2023 and 2024": whole calendar years.
    re: new RegExp(
      `(?<![\\d-])(?:(?:from|between)\\s+)?${YEAR}\\s*(-|–|—|to|through|till|until|and|&)\\s*${YEAR}(?![\\d-])`,
    ),
    reading: 'calendar',
    range: yearSpan,
  },
  {
    re: new RegExp(`\\b(?:next|coming|following)\\s+(?:${COUNT}\\s+)?${UNITS}`),
    reading: 'anchored',
    range: (m, today) => ahead(today, m[1] === undefined ? 1 : count(m[1]), m[2] ?? 'day'),
  },
  {
    re: /\btomorrow\b/,
    reading: 'anchored',
    range: (_m, today) => ahead(today, 1, 'day'),
  },
  {
    re: new RegExp(`\\b(?:from\\s+)?${MONTH}(?:\\s+${YEAR})?${DASH}${MONTH}(?:\\s+${YEAR})?\\b`),
    reading: (m) => (m[2] === undefined && m[4] === undefined ? 'anchored' : 'calendar'),
    range: (m, today) => {
      const [m1, m2] = [monthIndex(m[1]), monthIndex(m[3])];
      const y2 = optYear(m[4]) ?? optYear(m[2]) ?? recentYear(m2, today);
      const y1 = optYear(m[2]) ?? (m1 <= m2 ? y2 : y2 - 1);
      return [monthStart(y1, m1), monthStart(y2, m2 + 1)];
    },
  },
  {
    re: new RegExp(`\\b(?:last|past|previous)\\s+${COUNT}\\s+${UNITS}\\b`),
    reading: 'anchored',
    range: (m, today) => [minus(today, count(m[1]), m[2] ?? 'day'), today],
  },
  {
    // "for 90 days", "over 3 months", or "90 days" closing the sentence: the last ones, as "last 90 days".
    re: new RegExp(
      `\\b(?:for|over)\\s+(?:the\\s+)?${COUNT}\\s+${UNITS}\\b(?!\\s+ago)|(?<!\\b(?:in|next|coming|following)\\s+)\\b(\\d{1,3})\\s+${UNITS}(?=\\s*[.!]*$)`,
    ),
    reading: 'anchored',
    range: (m, today) => [minus(today, count(m[1] ?? m[3]), m[2] ?? m[4] ?? 'day'), today],
  },
  {
    re: /\b(?:last|previous)\s+(week|month|year)\b/,
    reading: 'anchored',
    range: (m, today) => {
      const [y, mo] = [today.getUTCFullYear(), today.getUTCMonth()];
      if (m[1] === 'week') return [minus(today, 7, 'day'), today];
      if (m[1] === 'month') return [monthStart(y, mo - 1), monthStart(y, mo)];
      return [monthStart(y - 1, 0), monthStart(y, 0)];
    },
  },
  {
    re: /\b(this year|year to date|ytd|this month)\b/,
    reading: 'anchored',
    range: (m, today) =>
      m[1] === 'this month'
        ? [monthStart(today.getUTCFullYear(), today.getUTCMonth()), today]
        : [monthStart(today.getUTCFullYear(), 0), today],
  },
  {
    re: new RegExp(`\\bsince\\s+(?:${MONTH}(?:\\s+${YEAR})?|${YEAR}(?!\\d))`),
    reading: 'anchored',
    range: (m, today) => {
      if (m[3]) return [monthStart(Number(m[3]), 0), today];
      const month = monthIndex(m[1]);
      return [monthStart(optYear(m[2]) ?? recentYear(month, today), month), today];
    },
  },
  {
    re: /\bq([1-4])\s*((?:19|20)\d{2})\b/,
    reading: 'calendar',
    range: (m) => {
      const [q, y] = [Number(m[1]), Number(m[2])];
      return [monthStart(y, 3 * (q - 1)), monthStart(y, 3 * q)];
    },
  },
  {
    re: new RegExp(`\\b${MONTH}\\s+${YEAR}\\b`),
    reading: 'calendar',
    range: (m) => {
      const [month, y] = [monthIndex(m[1]), Number(m[2])];
      return [monthStart(y, month), monthStart(y, month + 1)];
    },
  },
  {
    re: new RegExp(`(?<![\\d-])${YEAR}(?![\\d-])`),
    reading: 'calendar',
    range: (m) => [monthStart(Number(m[1]), 0), monthStart(Number(m[1]) + 1, 0)],
  },
];

/**
 * Finds a date range in a sentence, relative to `now` for words like "last 6 months". Returns null when
 * the sentence names none; throws AppError('BAD_TIMERANGE') when it names one that can't be (reversed,
 * impossible dates), with the same sentences as {@link parseTimerange}.
 */
export function parseTimerangeWords(input: string, now: Date): TimerangeWords | null {
  const text = input.toLowerCase();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  for (const rule of RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const range = rule.range(m, today);
    const parsed = parseTimerange(typeof range === 'string' ? range : `${fmt(range[0])}-${fmt(range[1])}`);
    const reading = typeof rule.reading === 'string' ? rule.reading : rule.reading(m);
    return { ...parsed, matched: input.slice(m.index, m.index + m[0].length).trim(), reading };
  }
  return null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The range ended where the market data ends ("2024-2026" runs to 2025-12-31 when the candles stop
 * there), marked `clamped` so the trader is told. A range inside the data, or one starting on or after
 * its last day (the caller refuses those), is returned as it is.
 */
export function clampToData(range: TimerangeWords, dataEnd: Date): TimerangeWords {
  const last = new Date(Date.UTC(dataEnd.getUTCFullYear(), dataEnd.getUTCMonth(), dataEnd.getUTCDate()));
  // A range ending the day after the last candle's ("2025" when the data ends on 2025-12-31) has all
  // its candles: nothing was cut, and cutting it would drop that last day.
  const through = last.getTime() + 86_400_000;
  if (range.end.getTime() <= through || range.start.getTime() >= last.getTime()) return range;
  return { ...range, end: last, text: `${fmt(range.start)}-${fmt(last)}`, clamped: true };
}

/**
 * The range started on the day the candles start, when it begins before them and ends after (1m and 3m
 * candles cover only the last 90 days of the data), marked `startClamped`. Any other range is returned as
 * it is: one ending before the candles start is refused by the caller (requireOverlap).
 */
export function startAtData<T extends Timerange>(range: T, dataStart: Date): T & { startClamped?: boolean } {
  const first = new Date(
    Date.UTC(dataStart.getUTCFullYear(), dataStart.getUTCMonth(), dataStart.getUTCDate()),
  );
  if (range.start.getTime() >= first.getTime() || range.end.getTime() <= first.getTime()) return range;
  return { ...range, start: first, text: `${fmt(first)}-${fmt(range.end)}`, startClamped: true };
}

/**
 * The dates a range in words stands for, said back to the trader: "Period: 2025-06-30 to 2025-12-31
 * ("last 6 months", read against the end of the market data on 2025-12-31)." `dataEnd` is the anchor
 * the range was read against; undefined when there was no data to anchor to (then it was today).
 * Null for typed dates, which need no explaining unless they were cut where the data starts or ends.
 */
export function describeTimerangeWords(range: TimerangeWords, dataEnd: Date | undefined): string | null {
  const cut = [range.startClamped ? 'starts' : '', range.clamped ? 'ends' : ''].filter(Boolean).join(' and ');
  if (cut)
    return `Period: ${day(range.start)} to ${day(range.end)}, where the market data ${cut} ("${range.matched}").`;
  if (range.reading === 'typed') return null;
  const dates = `Period: ${day(range.start)} to ${day(range.end)}`;
  if (range.reading === 'calendar') return `${dates} ("${range.matched}").`;
  const anchor = dataEnd
    ? `the end of the market data on ${day(dataEnd)}`
    : `today, ${day(new Date())}, as there is no market data to go by`;
  return `${dates} ("${range.matched}", read against ${anchor}).`;
}
