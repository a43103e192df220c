import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import {
  clampToData,
  describeTimerangeWords,
  parseTimerangeWords,
  startAtData,
} from '../../../src/services/timerange.ts';

const NOW = new Date('2025-12-31T18:00:00Z');
const range = (text: string) => parseTimerangeWords(text, NOW)?.text;

describe('parseTimerangeWords', () => {
  it('reads rolling ranges relative to now', () => {
    expect(range('backtest it over the last 6 months')).toBe('20250630-20251231');
    expect(range('past 30 days')).toBe('20251201-20251231');
    expect(range('last two weeks')).toBe('20251217-20251231');
    expect(range('last 1 year')).toBe('20241231-20251231');
  });

  it('reads calendar words', () => {
    expect(range('last month')).toBe('20251101-20251201');
    expect(range('last year')).toBe('20240101-20250101');
    expect(range('this year')).toBe('20250101-20251231');
    expect(range('backtest btc-sma-20-50-1h 2024')).toBe('20240101-20250101');
    expect(range('in march 2024')).toBe('20240301-20240401');
    expect(range('Q2 2024')).toBe('20240401-20240701');
  });

  it('reads "since" with and without a year', () => {
    expect(range('since March')).toBe('20250301-20251231');
    expect(range('since march 2024')).toBe('20240301-20251231');
    expect(range('since 2024')).toBe('20240101-20251231');
    // A month later in the year than now means last year's.
    expect(parseTimerangeWords('since December', new Date('2025-06-15T00:00:00Z'))?.text).toBe(
      '20241201-20250615',
    );
  });

  it('reads month spans with en dashes, words and years on either side', () => {
    expect(range('Jan–Jun 2025')).toBe('20250101-20250701');
    expect(range('from January to June 2024')).toBe('20240101-20240701');
    expect(range('nov 2023 - feb 2024')).toBe('20231101-20240301');
    expect(range('Nov-Feb 2024')).toBe('20231101-20240301');
  });

  it('reads spans of whole years, and "for 90 days" as the last 90 days', () => {
    expect(range('backtest it 2023-2024')).toBe('20230101-20250101');
    expect(range('in 2023 and 2024')).toBe('20230101-20250101');
    expect(range('from 2022 to 2024')).toBe('20220101-20250101');
    expect(range('2023–2024')).toBe('20230101-20250101');
    expect(parseTimerangeWords('backtest it in 2023 and 2024', NOW)?.matched).toBe('2023 and 2024');
    expect(range('backtest it for 90 days')).toBe('20251002-20251231');
    expect(range('over 3 months')).toBe('20250930-20251231');
    expect(range('backtest it 90 days')).toBe('20251002-20251231');
    expect(range('for a year')).toBe('20241231-20251231');
    // Two years apart with "and" are two periods, not one: refused with a sentence saying so.
    expect(() => parseTimerangeWords('2022 and 2024', NOW)).toThrow(/not one continuous period/);
  });

  it('reads future words as future dates, for the backtest to refuse against the data', () => {
    expect(range('next year')).toBe('20260101-20270101');
    expect(range('next 2 months')).toBe('20260101-20260301');
    expect(range('next week')).toBe('20260101-20260108');
    expect(range('tomorrow')).toBe('20260101-20260102');
    // "in 90 days" is ahead, not behind: not read as the last 90 days.
    expect(range('in 90 days')).toBeUndefined();
  });

  it('keeps explicit Freqtrade ranges and says what it matched', () => {
    const r = parseTimerangeWords('backtest it 20240101-20240401 please', NOW);
    expect(r?.text).toBe('20240101-20240401');
    expect(r?.matched).toBe('20240101-20240401');
    expect(parseTimerangeWords('over the Last 6 Months', NOW)?.matched).toBe('Last 6 Months');
  });

  it('returns null when no range is named and ignores numbers that are not years', () => {
    expect(range('backtest it')).toBeUndefined();
    expect(range('make the stop 3%')).toBeUndefined();
    expect(range('sma 20/50 on 1h')).toBeUndefined();
    expect(range('btc-sma-2024-x')).toBeUndefined();
  });

  it('refuses a reversed explicit range with the timerange sentence', () => {
    expect(() => parseTimerangeWords('20240701-20240101', NOW)).toThrow(AppError);
  });

  it('says back the dates a range in words stands for, and what words like "last" count from', () => {
    const said = (text: string) => {
      const r = parseTimerangeWords(text, NOW);
      if (!r) throw new Error(`no range in ${text}`);
      return describeTimerangeWords(r, NOW);
    };
    expect(said('backtest it over the last 6 months')).toBe(
      'Period: 2025-06-30 to 2025-12-31 ("last 6 months", read against the end of the market data on 2025-12-31).',
    );
    expect(said('since March')).toBe(
      'Period: 2025-03-01 to 2025-12-31 ("since March", read against the end of the market data on 2025-12-31).',
    );
    expect(said('Jan–Jun')).toContain('read against the end of the market data');
    expect(said('Jan–Jun 2025')).toBe('Period: 2025-01-01 to 2025-07-01 ("Jan–Jun 2025").');
    expect(said('backtest it 2024')).toBe('Period: 2024-01-01 to 2025-01-01 ("2024").');
    // Typed dates need no explaining.
    expect(said('20240101-20240401')).toBeNull();
  });

  it('reads one start date as running to the end of the data', () => {
    expect(range('backtest it from 2024-03-01')).toBe('20240301-20251231');
    expect(range('since 20240301')).toBe('20240301-20251231');
    expect(range('from 2024-03-01 to 2024-06-01')).toBe('20240301-20240601');
  });

  it('ends a range that runs past the data where the data ends, and says so', () => {
    const clamped = (text: string) => {
      const r = parseTimerangeWords(text, NOW);
      if (!r) throw new Error(`no range in ${text}`);
      const c = clampToData(r, NOW);
      return [c.text, describeTimerangeWords(c, NOW)];
    };
    expect(clamped('2024-2026')).toEqual([
      '20240101-20251231',
      'Period: 2024-01-01 to 2025-12-31, where the market data ends ("2024-2026").',
    ]);
    expect(clamped('20250601-20260601')).toEqual([
      '20250601-20251231',
      'Period: 2025-06-01 to 2025-12-31, where the market data ends ("20250601-20260601").',
    ]);
    // A range inside the data is left as it is.
    expect(clamped('2024')).toEqual(['20240101-20250101', 'Period: 2024-01-01 to 2025-01-01 ("2024").']);
    // So is the year the data ends with: its end is the day after the last candle's, nothing is cut.
    expect(clamped('2025')).toEqual(['20250101-20260101', 'Period: 2025-01-01 to 2026-01-01 ("2025").']);
    expect(clamped('20250601-20260101')).toEqual(['20250601-20260101', null]);
  });

  it('starts a range from before the candles where they start, and says so', () => {
    // 1m candles cover only the last 90 days of the data.
    const oneMinuteStart = new Date('2025-10-03T00:00:00Z');
    const cut = (text: string) => {
      const r = parseTimerangeWords(text, NOW);
      if (!r) throw new Error(`no range in ${text}`);
      const c = startAtData(clampToData(r, NOW), oneMinuteStart);
      return [c.text, describeTimerangeWords(c, NOW)];
    };
    expect(cut('last 6 months')).toEqual([
      '20251003-20251231',
      'Period: 2025-10-03 to 2025-12-31, where the market data starts ("last 6 months").',
    ]);
    expect(cut('20250101-20260601')).toEqual([
      '20251003-20251231',
      'Period: 2025-10-03 to 2025-12-31, where the market data starts and ends ("20250101-20260601").',
    ]);
    // Inside the candles: as it is. Wholly before them: as it is, for requireOverlap to refuse.
    expect(cut('20251101-20251201')).toEqual(['20251101-20251201', null]);
    expect(cut('2024')).toEqual(['20240101-20250101', 'Period: 2024-01-01 to 2025-01-01 ("2024").']);
  });
});
