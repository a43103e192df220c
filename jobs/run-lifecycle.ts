// The life of one run of a backtest record, whatever its kind (a backtest, a robustness report, an
// optimisation): queued -> running -> succeeded | failed, its phases edited into one progress message
// with a Cancel button, and exactly one final message. Its end is settled by the record's end document
// (src/services/backtest-ends.ts): a cancel, another worker that took the run over, or the run itself,
// whoever ends it first. An abort says why it came: the owner cancelled (the cancel posted the final
// message), the lease went to another worker (it finishes the run), or this worker is stopping (the run
// goes back to the queue). The kind supplies only the work and the card.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import type { OutgoingMessage, ProgressState } from '../src/core/types.ts';
import { isAppError } from '../src/errors.ts';
import type { Notifier } from '../src/notifier.ts';
import type { BacktestService } from '../src/services/backtests.ts';
import type { BacktestDoc, Models, StrategyDoc } from '../src/storage/models.ts';
import { type BacktestSource, backtestSource } from './backtest-source.ts';
import { isCancelled } from './cancel-watch.ts';
import { isLeaseLost } from './lease.ts';
import { createRunProgress, type RunProgress } from './run-progress.ts';

const PayloadSchema = z.object({
  backtestId: z.string().regex(/^[a-f0-9]{24}$/),
  correlationId: z.string().min(1),
});

/** What every kind's run needs from the app. */
export type LifecycleDeps = {
  models: Models;
  backtests: BacktestService;
  notifier: Notifier;
  logger: Logger;
  /** Queues the run again when this worker stops mid-run. */
  requeue: (backtestId: string, correlationId: string) => Promise<void>;
  /** Removes a cancelled run's folder (every engine run of a record lives under the record's id). */
  runner?: Pick<BacktestRunner, 'discard'>;
};

/** A run under way: its record, the strategy and the code of the version queued, and its progress. */
export type RunStart = {
  bt: BacktestDoc;
  strategy: Pick<StrategyDoc, '_id' | 'version'>;
  source: BacktestSource;
  signal: AbortSignal | undefined;
  phases: RunProgress;
  log: Logger;
  correlationId: string;
};

/** What a kind does with a run; the lifecycle does the rest. */
export type RunKind<W> = {
  /** Prefix of the log events (`backtest` -> backtest_started, backtest_finished...). */
  event: string;
  /** Names the run in a failure ("Backtest", "Robustness report"). */
  title: string;
  /** Runs the work (Freqtrade); throws to fail, or with the signal's reason when aborted. */
  work(run: RunStart): Promise<W>;
  /** What of the work is recorded as the run's end. */
  record(work: W): Parameters<BacktestService['markSucceeded']>[1];
  /** Log fields of a finished run. */
  finished?(work: W): Record<string, unknown>;
  /** The final message, once the end is recorded as this run's own. */
  card(run: RunStart, work: W): Promise<Omit<OutgoingMessage, 'progress'>>;
};

export function createRunJob<W>(deps: LifecycleDeps, kind: RunKind<W>) {
  const ev = (what: string) => `${kind.event}_${what}`;
  return async function runJob(data: unknown, signal?: AbortSignal): Promise<void> {
    const payload = PayloadSchema.parse(data);
    const key = payload.backtestId;
    const log = deps.logger.child({ correlationId: payload.correlationId, backtestId: key });
    const bt = await deps.backtests.get(key);
    if (!bt || (bt.status !== 'queued' && bt.status !== 'running')) {
      log.info({ status: bt?.status }, `${kind.event} already finished, cancelled or gone; skipping`);
      return;
    }
    // Agenda hands a job out again only after its lock expired, i.e. the worker running it died.
    if (bt.status === 'running') log.warn({ startedAt: bt.startedAt }, 'resuming a run whose worker stopped');
    const fields = {
      user: bt.ownerId.toString(),
      strategy: bt.strategyName,
      version: bt.strategyVersion,
      timerange: bt.timerange,
      pairs: bt.pairs,
    };
    const post = (state: ProgressState, msg: Omit<OutgoingMessage, 'progress'>) =>
      deps.notifier.notify(bt.replyTo, { ...msg, progress: { key, state, paced: true } });
    const started = Date.now();
    let finished = false;

    try {
      // By _id alone (looked up directly on the embedded FerretDB), then its owner checked here.
      const found = await deps.models.Strategy.findById(bt.strategyId).lean();
      const strategy = found && String(found.ownerId) === String(bt.ownerId) ? found : null;
      if (!strategy) {
        await deps.backtests.markFailed(key, { code: 'NOT_FOUND', message: 'The strategy was deleted.' });
        finished = true;
        log.info({ event: ev('failed'), ...fields, code: 'NOT_FOUND', durationMs: 0 }, ev('failed'));
        await post('failed', {
          text: `${kind.title} of ${bt.strategyName} failed: the strategy was deleted.`,
        });
        return;
      }
      // The version queued, not the strategy as edited since (AppError when that version is gone).
      const source = await backtestSource(deps.models, bt, strategy);
      if (!(await deps.backtests.markRunning(key))) {
        finished = true; // cancelled while it waited: the cancel posted the final message
        log.info({ event: ev('skipped'), ...fields }, 'run cancelled before it started');
        return;
      }
      log.info({ event: ev('started'), ...fields, queuedMs: started - bt.queuedAt.getTime() }, ev('started'));
      const phases = createRunProgress({
        notifier: deps.notifier,
        replyTo: bt.replyTo,
        backtest: bt,
        label: bt.strategyName,
        onError: (err) => log.warn({ err }, 'progress message not delivered'),
      });
      phases.phase({ phase: 'starting' });
      const run: RunStart = {
        bt,
        strategy,
        source,
        signal,
        phases,
        log,
        correlationId: payload.correlationId,
      };
      const work = await kind.work(run);
      const recorded = await deps.backtests.markSucceeded(key, kind.record(work));
      finished = true;
      if (!recorded) {
        // Cancelled, or another worker took this run over and ended it first: its message goes out.
        log.warn({ event: ev('superseded'), ...fields }, 'run already ended elsewhere');
        return;
      }
      const durationMs = Date.now() - started;
      log.info({ event: ev('finished'), ...fields, durationMs, ...kind.finished?.(work) }, ev('finished'));
      await post('succeeded', await kind.card(run, work));
    } catch (err) {
      if (finished) {
        log.error({ err }, 'could not post the result; it stays available with /show');
        return;
      }
      if (isCancelled(signal?.reason)) {
        // Its owner cancelled it: the cancel recorded the final state and posted the final message.
        finished = true;
        log.info({ event: ev('cancelled_run'), ...fields }, 'run stopped: cancelled');
        await deps.runner
          ?.discard?.(key)
          .catch((e: unknown) => log.warn({ err: e }, 'run folder not removed'));
        return;
      }
      if (isLeaseLost(signal?.reason)) {
        // Another worker holds the job now and runs it; this one leaves it alone.
        finished = true;
        log.warn({ event: ev('lease_lost'), ...fields }, 'lease lost; another worker runs it');
        return;
      }
      if (signal?.aborted) {
        // This worker is stopping: back to the front of the queue for the next one.
        await deps.backtests.markRequeued(key);
        await deps.requeue(key, payload.correlationId);
        finished = true;
        log.warn({ event: ev('requeued'), ...fields }, 'worker stopping; run queued again');
        return;
      }
      const durationMs = Date.now() - started;
      const code = isAppError(err) ? err.code : 'INTERNAL';
      const title = kind.title.toLowerCase();
      const message = isAppError(err)
        ? err.userMessage
        : `Something went wrong while running the ${title} (ref ${payload.correlationId}). Please try again.`;
      log.error({ event: ev('failed'), ...fields, durationMs, code, err }, ev('failed'));
      const recorded = await deps.backtests.markFailed(key, { code, message });
      finished = true;
      if (!recorded) return; // already ended elsewhere, which posted its own message
      await post('failed', {
        text: `${kind.title} of ${bt.strategyName} ${bt.timerange} failed: ${message}`,
      });
    } finally {
      if (!finished) {
        // Even the failure could not be recorded (database gone): leave a trace for the operator.
        log.error({ event: ev('failed'), ...fields }, 'run ended without a recorded state');
      }
    }
  };
}
