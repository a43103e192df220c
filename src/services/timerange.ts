// Parses the date ranges traders type into Freqtrade's YYYYMMDD-YYYYMMDD form, rejecting impossible dates
// and reversed ranges with a sentence that says what to type instead.
import { AppError } from '../errors.ts';

export type Timerange = { start: Date; end: Date; text: string };

const EXAMPLE = 'Use YYYYMMDD-YYYYMMDD, for example 20240101-20240701.';

function parseDay(s: string): Date | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
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
  const m = /^(\d{4}-?\d{2}-?\d{2})\s*(?:-|\.\.|to)\s*(\d{4}-?\d{2}-?\d{2})$/.exec(text);
  if (!m?.[1] || !m[2]) {
    throw new AppError('BAD_TIMERANGE', `I can't read the date range "${text}". ${EXAMPLE}`);
  }
  const start = parseDay(m[1]);
  const end = parseDay(m[2]);
  if (!start || !end) {
    throw new AppError('BAD_TIMERANGE', `"${text}" contains a date that doesn't exist. ${EXAMPLE}`);
  }
  if (start.getTime() >= end.getTime()) {
    throw new AppError(
      'BAD_TIMERANGE',
      `The range ${fmt(start)}-${fmt(end)} ends before it starts. Put the earlier date first, for example ${fmt(end)}-${fmt(start)}.`,
    );
  }
  return { start, end, text: `${fmt(start)}-${fmt(end)}` };
}
