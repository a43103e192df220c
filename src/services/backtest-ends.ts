// A backtest ends once: its run succeeding or failing, a cancel, or another worker that took the run
// over all race to end it, and exactly one may, so exactly one final message goes out. The winner is
// whoever inserts the backtest's end document first (its _id is the backtest's, unique); a status
// update guarded by a filter is not enough on FerretDB, which reads before it writes.
import { Types } from 'mongoose';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';

export type EndStatus = 'succeeded' | 'failed' | 'cancelled';

export type BacktestEnds = {
  /** True for the one caller that ends the backtest; false when it had already ended. */
  claim(backtestId: string, status: EndStatus): Promise<boolean>;
  /** How it ended, or null while it has not. */
  of(backtestId: string): Promise<EndStatus | null>;
};

export function createBacktestEnds(models: Pick<Models, 'BacktestEnd'>): BacktestEnds {
  const { BacktestEnd } = models;
  return {
    async claim(backtestId, status) {
      try {
        await BacktestEnd.create({ _id: new Types.ObjectId(backtestId), status, endedAt: new Date() });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async of(backtestId) {
      if (!Types.ObjectId.isValid(backtestId)) return null;
      const end = await BacktestEnd.findById(backtestId, { status: 1 }).lean();
      return end ? end.status : null;
    },
  };
}
