// The backtest job: running -> Freqtrade -> succeeded | failed, with progress and the result posted to
// the chat that asked. Whatever happens, the backtest ends in a final state or, when this worker is
// being stopped, goes back to the queue; a failure reaches the user as a sentence they can act on.
// It runs the version the backtest was queued for, however the strategy was edited meanwhile.
import type { Logger } from 'pino';
import { z } from 'zod';
import { equitySeries } from '../freqtrade/chart/series.ts';
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRequest, BacktestRunner } from '../freqtrade/runner.ts';
import type { EquitySeries } from '../src/backtest/equity.ts';
import { encodeAction } from '../src/core/actions.ts';
import { resultCard } from '../src/core/cards.ts';
import type { OutgoingMessage, ProgressState } from '../src/core/types.ts';
import { isAppError } from '../src/errors.ts';
import type { Notifier } from '../src/notifier.ts';
import type { BacktestService } from '../src/services/backtests.ts';
import type { Models } from '../src/storage/models.ts';
import { validateSpec } from '../src/strategy/spec.ts';
import { backtestSource } from './backtest-source.ts';
import { isCancelled } from './cancel-watch.ts';
import { isLeaseLost } from './lease.ts';
import { createRunProgress } from './run-progress.ts';

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
  /** Queues the backtest again when this worker stops mid-run. */
  requeue: (backtestId: string, correlationId: string) => Promise<void>;
  /**
   * Says why a backtest made no trades: how often each entry condition held on the backtest's own
   * data (the engine's zero-trade diagnosis), as a sentence for the result card.
   */
  explainNoTrades?: (input: {
    code: string;
    className: string;
    timeframe: string;
    pairs: string[];
    timerange: string;
  }) => Promise<string>;
  /** Draws the equity curve and drawdown from Freqtrade's result (PNG). */
  equityChart?: (input: { result: unknown; strategyClass: string; title: string }) => Promise<Uint8Array>;
};

/** The spec's cap on open trades and its trading mode; none for custom code, which keeps its class's own. */
export function specRunSettings(source: {
  kind: string;
  spec: unknown;
}): Pick<BacktestRequest, 'maxOpenTrades' | 'tradingMode'> {
  if (source.kind === 'custom') return {};
  const checked = validateSpec(source.spec);
  if (!checked.ok) return {};
  const { maxOpenTrades, tradingMode } = checked.spec;
  return { ...(maxOpenTrades !== undefined ? { maxOpenTrades } : {}), tradingMode };
}

/** Thrown out of the runner when the job's signal aborted because the worker is stopping. */
function stopping(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export function createRunBacktestJob(deps: RunBacktestDeps) {
  return async function runBacktest(data: unknown, signal?: AbortSignal): Promise<void> {
    const payload = RunBacktestPayloadSchema.parse(data);
    const key = payload.backtestId;
    const log = deps.logger.child({ correlationId: payload.correlationId, backtestId: key });
    const bt = await deps.backtests.get(key);
    if (!bt || (bt.status !== 'queued' && bt.status !== 'running')) {
      log.info({ status: bt?.status }, 'backtest already finished, cancelled or gone; skipping');
      return;
    }
    // Agenda hands a job out again only after its lock expired, i.e. the worker running it died.
    if (bt.status === 'running')
      log.warn({ startedAt: bt.startedAt }, 'resuming a backtest whose worker stopped');
    const fields = {
      user: bt.ownerId.toString(),
      strategy: bt.strategyName,
      version: bt.strategyVersion,
      timerange: bt.timerange,
      pairs: bt.pairs,
    };
    const progress = (state: ProgressState, msg: Omit<OutgoingMessage, 'progress'>) =>
      deps.notifier.notify(bt.replyTo, { ...msg, progress: { key, state, paced: true } });
    const started = Date.now();
    let finished = false;

    try {
      const strategy = await deps.models.Strategy.findOne({ _id: bt.strategyId, ownerId: bt.ownerId }).lean();
      if (!strategy) {
        await deps.backtests.markFailed(key, { code: 'NOT_FOUND', message: 'The strategy was deleted.' });
        finished = true;
        log.info(
          { event: 'backtest_failed', ...fields, code: 'NOT_FOUND', durationMs: 0 },
          'backtest_failed',
        );
        await progress('failed', {
          text: `Backtest of ${bt.strategyName} failed: the strategy was deleted.`,
        });
        return;
      }
      // The version queued, not the strategy as edited since (AppError when that version is gone).
      const source = await backtestSource(deps.models, bt, strategy);
      if (!(await deps.backtests.markRunning(key))) {
        finished = true; // cancelled while it waited: the cancel posted the final message
        log.info({ event: 'backtest_skipped', ...fields }, 'backtest cancelled before it started');
        return;
      }
      log.info(
        { event: 'backtest_started', ...fields, queuedMs: started - bt.queuedAt.getTime() },
        'backtest_started',
      );
      const phases = createRunProgress({
        notifier: deps.notifier,
        replyTo: bt.replyTo,
        backtest: bt,
        label: bt.strategyName,
        onError: (err) => log.warn({ err }, 'progress message not delivered'),
      });
      phases.phase({ phase: 'starting' });
      const run = await deps.runner.run(
        {
          backtestId: key,
          className: source.className,
          code: source.code,
          timeframe: bt.timeframe,
          pairs: bt.pairs,
          timerange: bt.timerange,
          ...specRunSettings(source),
        },
        { ...(signal ? { signal } : {}), onProgress: phases.engine },
      );
      const summary = parseBacktestResult(run.result, source.className);
      let equity: EquitySeries | null = null;
      try {
        equity = equitySeries(run.result, source.className);
      } catch (err) {
        log.error({ err }, 'no equity series in the result; /compare will show figures only');
      }
      const recorded = await deps.backtests.markSucceeded(key, {
        summary,
        resultPath: run.resultPath,
        equity,
      });
      finished = true;
      if (!recorded) {
        // Another worker took this run over and ended it first: its message is the one that goes out.
        log.warn({ event: 'backtest_superseded', ...fields }, 'backtest already ended elsewhere');
        return;
      }
      const durationMs = Date.now() - started;
      log.info(
        { event: 'backtest_finished', ...fields, durationMs, trades: summary.trades },
        'backtest_finished',
      );
      // Edited while it waited or ran: the card says which version these figures are from.
      const current = await deps.models.Strategy.findOne({ _id: bt.strategyId }, { version: 1 })
        .lean()
        .then((s) => s?.version ?? strategy.version);
      const version = { run: bt.strategyVersion, current };
      const label =
        current === bt.strategyVersion ? bt.strategyName : `${bt.strategyName} v${bt.strategyVersion}`;
      const card = resultCard(bt.strategyName, bt.timerange, bt.pairs, summary, version);
      if (summary.trades === 0 && deps.explainNoTrades) {
        const why = await deps
          .explainNoTrades({
            code: source.code,
            className: source.className,
            timeframe: bt.timeframe,
            pairs: bt.pairs,
            timerange: bt.timerange,
          })
          .catch((err: unknown) => {
            log.warn({ err }, 'zero-trade diagnosis failed; posting the card without it');
            return undefined;
          });
        if (why) {
          card.fields.push({ name: 'Why no trades', value: why });
          // Kept for explanations ("why so few trades?"); the card goes out whether or not this sticks.
          await deps.backtests.setDiagnosis(key, why).catch((err: unknown) => {
            log.warn({ err }, 'zero-trade diagnosis not stored');
          });
        }
      }
      if (deps.equityChart) phases.phase({ phase: 'drawing' });
      const chart = await deps
        .equityChart?.({
          result: run.result,
          strategyClass: source.className,
          title: `${label} ${bt.timerange}`,
        })
        .catch((err: unknown) => {
          log.error({ err }, 'equity chart failed; posting the card without it');
          return undefined;
        });
      if (chart)
        card.image = {
          filename: `${bt.strategyName}-${bt.timerange}.png`,
          contentType: 'image/png',
          data: chart,
        };
      await progress('succeeded', {
        text: `Backtest of ${label} ${bt.timerange}: done.`,
        card,
        buttons: [
          { label: 'Run again', action: encodeAction({ name: 'rerun', backtestId: key }) },
          { label: 'How robust?', action: encodeAction({ name: 'robust', backtestId: key }) },
          {
            label: 'Show strategy',
            action: encodeAction({ name: 'show', strategyId: strategy._id.toString() }),
          },
        ],
      });
    } catch (err) {
      if (finished) {
        log.error({ err }, 'could not post the backtest result; it stays available with /show');
        return;
      }
      if (isCancelled(signal?.reason)) {
        // Its owner cancelled it: the cancel recorded the final state and posted the final message.
        finished = true;
        log.info({ event: 'backtest_cancelled_run', ...fields }, 'run stopped: cancelled');
        await deps.runner
          .discard?.(key)
          .catch((e: unknown) => log.warn({ err: e }, 'run folder not removed'));
        return;
      }
      if (isLeaseLost(signal?.reason)) {
        // Another worker holds the job now and runs the backtest; this one leaves it alone.
        finished = true;
        log.warn({ event: 'backtest_lease_lost', ...fields }, 'lease lost; another worker runs it');
        return;
      }
      if (stopping(signal)) {
        await deps.backtests.markRequeued(key);
        await deps.requeue(key, payload.correlationId);
        finished = true;
        log.warn({ event: 'backtest_requeued', ...fields }, 'worker stopping; backtest queued again');
        return;
      }
      const durationMs = Date.now() - started;
      const code = isAppError(err) ? err.code : 'INTERNAL';
      const message = isAppError(err)
        ? err.userMessage
        : `Something went wrong while running the backtest (ref ${payload.correlationId}). Please try again.`;
      log.error({ event: 'backtest_failed', ...fields, durationMs, code, err }, 'backtest_failed');
      const recorded = await deps.backtests.markFailed(key, { code, message });
      finished = true;
      if (!recorded) return; // already ended elsewhere, which posted its own message
      await progress('failed', { text: `Backtest of ${bt.strategyName} ${bt.timerange} failed: ${message}` });
    } finally {
      if (!finished) {
        // Even the failure could not be recorded (database gone): leave a trace for the operator.
        log.error({ event: 'backtest_failed', ...fields }, 'backtest ended without a recorded state');
      }
    }
  };
}
