// The backtest job: running -> Freqtrade -> succeeded | failed, with progress and the result posted to
// the chat that asked. A failure reaches the user as a sentence they can act on; details go to the log.
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import { encodeAction } from '../src/core/button-codec.ts';
import { resultCard } from '../src/core/cards.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { isAppError } from '../src/errors.ts';
import type { Notifier } from '../src/notifier.ts';
import type { BacktestService } from '../src/services/backtests.ts';
import type { Models } from '../src/storage/models.ts';

export const RUN_BACKTEST = 'run-backtest';

const RunBacktestPayloadSchema = z.object({
  backtestId: z.string().regex(/^[a-f0-9]{24}$/),
  correlationId: z.string().min(1),
});

export type RunBacktestDeps = {
  models: Models;
  backtests: BacktestService;
  runner: BacktestRunner;
  notifier: Notifier;
  logger: Logger;
};

export function createRunBacktestJob(deps: RunBacktestDeps) {
  return async function runBacktest(data: unknown): Promise<void> {
    const payload = RunBacktestPayloadSchema.parse(data);
    const log = deps.logger.child({ correlationId: payload.correlationId, backtestId: payload.backtestId });
    const bt = await deps.backtests.get(payload.backtestId);
    if (!bt || (bt.status !== 'queued' && bt.status !== 'running')) {
      log.warn({ status: bt?.status }, 'backtest already finished or gone; skipping');
      return;
    }
    // Agenda hands a job out again only after its lock expired, i.e. the worker running it died.
    if (bt.status === 'running')
      log.warn({ startedAt: bt.startedAt }, 'resuming a backtest whose worker stopped');
    const strategy = await deps.models.Strategy.findOne({ _id: bt.strategyId, ownerId: bt.ownerId }).lean();
    const fields = {
      user: bt.ownerId.toString(),
      strategy: bt.strategyName,
      timerange: bt.timerange,
      pairs: bt.pairs,
    };
    const key = payload.backtestId;
    const progress = (state: 'running' | 'succeeded' | 'failed', msg: Omit<OutgoingMessage, 'progress'>) =>
      deps.notifier.notify(bt.replyTo, { ...msg, progress: { key, state } });

    if (!strategy) {
      await deps.backtests.markFailed(key, { code: 'NOT_FOUND', message: 'The strategy was deleted.' });
      log.info({ event: 'backtest_failed', ...fields, code: 'NOT_FOUND' }, 'backtest_failed');
      await progress('failed', { text: `Backtest of ${bt.strategyName} failed: the strategy was deleted.` });
      return;
    }
    await deps.backtests.markRunning(key);
    const started = Date.now();
    log.info({ event: 'backtest_started', ...fields }, 'backtest_started');
    await progress('running', { text: `Backtest of ${bt.strategyName} ${bt.timerange}: running...` });
    try {
      const run = await deps.runner.run({
        backtestId: key,
        className: strategy.className,
        code: strategy.code,
        timeframe: bt.timeframe,
        pairs: bt.pairs,
        timerange: bt.timerange,
      });
      const summary = parseBacktestResult(run.result, strategy.className);
      await deps.backtests.markSucceeded(key, summary, run.resultPath);
      const durationMs = Date.now() - started;
      log.info(
        { event: 'backtest_finished', ...fields, durationMs, trades: summary.trades },
        'backtest_finished',
      );
      await progress('succeeded', {
        text: `Backtest of ${bt.strategyName} ${bt.timerange}: done.`,
        card: resultCard(bt.strategyName, bt.timerange, bt.pairs, summary),
        buttons: [
          { label: 'Run again', action: encodeAction({ verb: 'bt', strategyId: strategy._id.toString() }) },
          {
            label: 'Show strategy',
            action: encodeAction({ verb: 'show', strategyId: strategy._id.toString() }),
          },
        ],
      });
    } catch (err) {
      const durationMs = Date.now() - started;
      const code = isAppError(err) ? err.code : 'INTERNAL';
      const message = isAppError(err)
        ? err.userMessage
        : 'Something went wrong while running the backtest. Please try again.';
      await deps.backtests.markFailed(key, { code, message });
      log.error({ event: 'backtest_failed', ...fields, durationMs, code, err }, 'backtest_failed');
      await progress('failed', { text: `Backtest of ${bt.strategyName} ${bt.timerange} failed: ${message}` });
    }
  };
}
