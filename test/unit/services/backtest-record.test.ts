// A backtest record's equity curve is stored as one JSON string (storedEquity); records written
// before, with the curve as an object, still read, and a copy that no longer reads shows as absent.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type EquitySeries, storedEquity } from '../../../src/backtest/equity.ts';
import { readRecord } from '../../../src/services/backtest-record.ts';
import type { FullBacktestDoc } from '../../../src/storage/models.ts';

const series: EquitySeries = {
  stakeCurrency: 'USDT',
  stakeDecimals: 2,
  startingBalance: 1000,
  start: 1_704_067_200_000,
  end: 1_706_745_600_000,
  trades: 2,
  profitTotal: 0.031,
  profitTotalAbs: 31,
  points: [
    { t: 1_704_067_200_000, equity: 1000, drawdown: 0, returnRatio: 0 },
    { t: 1_705_000_000_000, equity: 990, drawdown: -0.01, returnRatio: -0.01 },
    { t: 1_706_745_600_000, equity: 1031, drawdown: 0, returnRatio: 0.031 },
  ],
};

const warnings: unknown[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
const record = (equity: unknown) =>
  readRecord({ _id: 'b1', summary: null, equity } as unknown as FullBacktestDoc, logger);

describe('the stored equity curve', () => {
  it('is written as one string and read back as the same curve', () => {
    const stored = storedEquity(series);
    expect(typeof stored).toBe('string');
    expect(record(stored).equity).toEqual(series);
    expect(storedEquity(null)).toBeNull();
    expect(record(null).equity).toBeNull();
  });

  it('still reads a curve stored as an object by an earlier version', () => {
    expect(record(structuredClone(series)).equity).toEqual(series);
  });

  it('shows a copy that no longer reads as absent, and logs it', () => {
    warnings.length = 0;
    expect(record('{"points": [').equity).toBeNull();
    expect(record(JSON.stringify({ ...series, points: 'none' })).equity).toBeNull();
    expect(warnings).toHaveLength(2);
  });
});
