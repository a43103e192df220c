import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { parseTimerange } from '../../../src/services/timerange.ts';

function refusal(input: string): string {
  try {
    parseTimerange(input);
  } catch (err) {
    if (err instanceof AppError && err.code === 'BAD_TIMERANGE') return err.userMessage;
    throw err;
  }
  throw new Error(`accepted ${input}`);
}

describe('parseTimerange', () => {
  it('accepts Freqtrade and ISO forms', () => {
    expect(parseTimerange('20240101-20240701').text).toBe('20240101-20240701');
    expect(parseTimerange('2024-01-01..2024-07-01').text).toBe('20240101-20240701');
    expect(parseTimerange('2024-1-1..2024-7-1').text).toBe('20240101-20240701');
    expect(parseTimerange('20240101..20240701').text).toBe('20240101-20240701');
    expect(parseTimerange(' 2024-01-01 to 2024-07-01 ').start.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('refuses a reversed range and suggests the right order', () => {
    const msg = refusal('20240701-20240101');
    expect(msg).toContain('ends before it starts');
    expect(msg).toContain('20240101-20240701');
  });

  it('refuses an empty range, impossible dates and garbage', () => {
    expect(refusal('20240101-20240101')).toContain('use 20240101-20240102');
    expect(refusal('20240230-20240301')).toContain("doesn't exist");
    expect(refusal('last tuesday')).toContain("can't read");
    expect(refusal('2024')).toContain('YYYYMMDD-YYYYMMDD');
  });
});
