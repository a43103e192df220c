// Robustness reports from /robust and the "How robust?" button. A report runs as a backtest of its own
// kind over a range given as /backtest takes it, or else the range and pairs of the strategy's latest
// backtest; the button takes the range and pairs of the result it sits under.
import { splitRange } from '../../backtest/robustness/split.ts';
import { AppError, isAppError } from '../../errors.ts';
import { parseBacktestArgs } from '../commands.ts';
import type { OutgoingMessage } from '../types.ts';
import { backtestDoc, queueBacktest } from './backtest.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';

const USAGE = 'Usage: /robust <name> [YYYYMMDD-YYYYMMDD] [pairs]';

/** A range too short for the out-of-sample split is refused before the report is queued. */
function splitOrRefuse(tested: string): void {
  try {
    splitRange(tested);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'BAD_TIMERANGE') throw err;
    throw new AppError('BAD_TIMERANGE', `${err.message} Nothing was queued.`);
  }
}

export async function robustCommand(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  args: string,
): Promise<OutgoingMessage[]> {
  const parsed = parseBacktestArgs(args, 'robust');
  if (!parsed) throw new AppError('BAD_COMMAND', USAGE);
  const doc = await deps.strategies.getByName(ctx.ownerId, parsed.name);
  if (parsed.timerange !== undefined)
    return backtestDoc(deps, ctx, doc, parsed.timerange, parsed.pairs, 'robustness', {
      check: splitOrRefuse,
    });
  const latest = await deps.backtests.latestFor(ctx.ownerId, doc._id);
  if (!latest) {
    throw new AppError(
      'BAD_COMMAND',
      `${doc.name} has no backtest yet to take the range from. Give one: /robust ${doc.name} 20240101-20250101.`,
    );
  }
  splitOrRefuse(latest.timerange);
  return queueBacktest(deps, ctx, doc, latest.timerange, parsed.pairs ?? latest.pairs, {
    kind: 'robustness',
  });
}

/** The button under a result card (or a report's own "Run again"): that run's range and pairs. */
export async function robustAgain(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  backtestId: string,
): Promise<OutgoingMessage[]> {
  const bt = await deps.backtests.getOwned(ctx.ownerId, backtestId);
  const doc = await deps.strategies.getById(ctx.ownerId, bt.strategyId.toString());
  splitOrRefuse(bt.timerange);
  return queueBacktest(deps, ctx, doc, bt.timerange, bt.pairs, { kind: 'robustness' });
}
