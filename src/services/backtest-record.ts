// A stored backtest with its figures parsed, once, here (the backtest service reads them through this):
// a copy that no longer reads is logged and shown as absent, never passed on half-read.
import type { Logger } from 'pino';
import type { z } from 'zod';
import { type EquitySeries, StoredEquitySchema } from '../backtest/equity.ts';
import { type BacktestSummary, BacktestSummarySchema } from '../backtest/summary.ts';
import type { FullBacktestDoc } from '../storage/models.ts';

/**
 * A stored backtest with its figures parsed, once, here: `summary` and `equity` are null while it has
 * none, or when what is stored no longer reads (logged).
 */
export type BacktestRecord = Omit<FullBacktestDoc, 'summary' | 'equity'> & {
  summary: BacktestSummary | null;
  equity: EquitySeries | null;
};

/** A succeeded backtest whose figures read. */
export type FinishedBacktest = BacktestRecord & { summary: BacktestSummary };

/** Parses what a backtest stored; a copy that no longer reads is logged and shown as absent. */
export function readRecord(doc: FullBacktestDoc, logger: Logger): BacktestRecord {
  const figure = <T>(field: string, value: unknown, schema: z.ZodType<T>): T | null => {
    if (value === null || value === undefined) return null;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    logger.warn({ backtestId: doc._id.toString(), field, err: parsed.error }, 'stored figures unreadable');
    return null;
  };
  return {
    ...doc,
    summary: figure('summary', doc.summary, BacktestSummarySchema),
    equity: figure('equity', doc.equity, StoredEquitySchema),
  };
}
