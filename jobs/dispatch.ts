// One Agenda job runs every kind of backtest record (same queue, turns, leases and quotas): this
// reads the record's kind and hands the job to the backtest, robustness or optimisation runner.
import { z } from 'zod';
import type { BacktestService } from '../src/services/backtests.ts';

type JobRun = (data: unknown, signal: AbortSignal) => Promise<void>;

const PayloadSchema = z.object({ backtestId: z.string() }).loose();

export function dispatchByKind(deps: {
  backtests: Pick<BacktestService, 'record'>;
  backtest: JobRun;
  robustness: JobRun;
  optimise: JobRun;
}): JobRun {
  return async (data, signal) => {
    const id = PayloadSchema.safeParse(data).data?.backtestId;
    const doc = id ? await deps.backtests.record(id) : null;
    // Unknown or gone: the backtest job reads the payload and says why it skips.
    if (doc?.kind === 'robustness') return deps.robustness(data, signal);
    if (doc?.kind === 'optimise') return deps.optimise(data, signal);
    return deps.backtest(data, signal);
  };
}
