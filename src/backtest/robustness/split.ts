// Splits a backtest range in time for the out-of-sample check: the earlier part (in sample) and the
// later part (out of sample), in whole days. Freqtrade's range end is exclusive, so the two parts
// tile the range exactly: the in-sample part ends on the day the out-of-sample part starts.
import { AppError } from '../../errors.ts';

const DAY_MS = 86_400_000;
/** The share of the range that is in sample unless asked otherwise (70/30). */
export const DEFAULT_IN_SAMPLE_SHARE = 0.7;
/** Below this many days a part would hold too few candles to say anything. */
export const MIN_PART_DAYS = 3;

export type DayRange = { start: Date; end: Date };
export type RangeSplit = { inSample: string; outOfSample: string; splitDate: Date; days: number };

/** "20240101-20240701" -> its two UTC dates; AppError('BAD_TIMERANGE') on anything else. */
export function readDayRange(timerange: string): DayRange {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/.exec(timerange);
  const day = (y?: string, mo?: string, d?: string) =>
    new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const start = m ? day(m[1], m[2], m[3]) : undefined;
  const end = m ? day(m[4], m[5], m[6]) : undefined;
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
    throw new AppError('BAD_TIMERANGE', `I can't split the range "${timerange}"; use YYYYMMDD-YYYYMMDD.`);
  }
  return { start, end };
}

/** A UTC date as Freqtrade's YYYYMMDD. */
function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Whole days between two UTC midnights. */
export function daysBetween(start: Date, end: Date): number {
  return Math.round((end.getTime() - start.getTime()) / DAY_MS);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/**
 * The range cut at `share` of its days (rounded to a whole day). Throws AppError('BAD_TIMERANGE') when
 * either part would be shorter than {@link MIN_PART_DAYS}.
 */
export function splitRange(timerange: string, share = DEFAULT_IN_SAMPLE_SHARE): RangeSplit {
  if (!(share > 0 && share < 1))
    throw new AppError('BAD_INPUT', 'The split must leave both parts some days.');
  const { start, end } = readDayRange(timerange);
  const days = daysBetween(start, end);
  const first = Math.round(days * share);
  if (first < MIN_PART_DAYS || days - first < MIN_PART_DAYS) {
    throw new AppError(
      'BAD_TIMERANGE',
      `The range ${timerange} is ${days} days long: too short to split into in-sample and out-of-sample parts of at least ${MIN_PART_DAYS} days. Use a longer range.`,
    );
  }
  const splitDate = addDays(start, first);
  return {
    inSample: `${ymd(start)}-${ymd(splitDate)}`,
    outOfSample: `${ymd(splitDate)}-${ymd(end)}`,
    splitDate,
    days,
  };
}
