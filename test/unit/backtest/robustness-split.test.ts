// The out-of-sample split and the walk-forward windows: dates in whole days that tile the range.
import { describe, expect, it } from 'vitest';
import { splitRange } from '../../../src/backtest/robustness/split.ts';
import { walkForwardWindows, windowStats } from '../../../src/backtest/robustness/walk-forward.ts';

const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('splitRange', () => {
  it('cuts 70/30 on a whole day, the parts meeting at the split', () => {
    // 366 days (2024 is a leap year): 256 in sample, 110 out of sample.
    const s = splitRange('20240101-20250101');
    expect(s).toMatchObject({ inSample: '20240101-20240913', outOfSample: '20240913-20250101', days: 366 });
    expect(s.splitDate.toISOString()).toBe('2024-09-13T00:00:00.000Z');
  });

  it('takes another share', () => {
    expect(splitRange('20240101-20240111', 0.5)).toMatchObject({
      inSample: '20240101-20240106',
      outOfSample: '20240106-20240111',
    });
  });

  it('refuses a range too short to split, and one it cannot read', () => {
    expect(() => splitRange('20240101-20240105')).toThrow(/too short to split/);
    expect(() => splitRange('2024-01-01..2024-02-01')).toThrow(/can't split/);
    expect(() => splitRange('20240201-20240101')).toThrow(/can't split/);
  });
});

describe('walkForwardWindows', () => {
  it('tiles the range exactly with consecutive whole-day windows', () => {
    const w = walkForwardWindows('20240101-20250101', 5);
    expect(w).toHaveLength(5);
    expect(w[0]?.start).toBe(day('2024-01-01'));
    expect(w[4]?.end).toBe(day('2025-01-01'));
    for (let i = 1; i < w.length; i++) expect(w[i]?.start).toBe(w[i - 1]?.end);
    for (const x of w) expect((x.end - x.start) % 86_400_000).toBe(0);
  });

  it('has no more windows than days, and refuses a count out of bounds', () => {
    expect(walkForwardWindows('20240101-20240104', 6)).toHaveLength(3);
    expect(() => walkForwardWindows('20240101-20250101', 1)).toThrow(/2 to 12/);
  });
});

describe('windowStats', () => {
  const windows = walkForwardWindows('20240101-20240111', 2); // Jan 1-6, Jan 6-11
  it('puts each trade in the window its close falls in, with profit over the opening balance', () => {
    const trades = [
      { closeTs: day('2024-01-02'), profitAbs: 100 },
      { closeTs: day('2024-01-03'), profitAbs: -50 },
      { closeTs: day('2024-01-06'), profitAbs: -105 }, // on the boundary: second window
      { closeTs: day('2024-01-11'), profitAbs: 10 }, // the final candle: last window
    ];
    const [a, b] = windowStats(trades, windows, 1000);
    expect(a).toMatchObject({ trades: 2, profitAbs: 50 });
    expect(a?.profit).toBeCloseTo(0.05);
    expect(a?.maxDrawdown).toBeCloseTo(50 / 1100);
    expect(b).toMatchObject({ trades: 2, profitAbs: -95 });
    expect(b?.profit).toBeCloseTo(-95 / 1050);
    expect(b?.maxDrawdown).toBeCloseTo(105 / 1050);
  });
});
