// The robustness job: a backtest record of kind "robustness" runs Freqtrade on the full range and on
// its two parts (robustness-report.ts), stores the report, and posts its card and chart to the chat
// that asked. It lives the life of a backtest: queued -> running -> succeeded | failed, back to the
// queue when the worker stops, left alone when another worker took the lease.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import type { MonteCarloFan } from '../src/backtest/robustness/monte-carlo.ts';
import { encodeAction } from '../src/core/actions.ts';
import { robustnessCard } from '../src/core/robust-card.ts';
import type { OutgoingMessage, ProgressState } from '../src/core/types.ts';
import { isAppError } from '../src/errors.ts';
import type { Notifier } from '../src/notifier.ts';
import type { BacktestService } from '../src/services/backtests.ts';
import type { BacktestDoc, Models } from '../src/storage/models.ts';
import { validateSpec } from '../src/strategy/spec.ts';
import { backtestSource } from './backtest-source.ts';
import { isLeaseLost } from './lease.ts';
import { buildRobustnessReport, type LookaheadPort } from './robustness-report.ts';

const PayloadSchema = z.object({
  backtestId: z.string().regex(/^[a-f0-9]{24}$/),
  correlationId: z.string().min(1),
});

export type RunRobustnessDeps = {
  models: Models;
  backtests: BacktestService;
  runner: BacktestRunner;
  notifier: Notifier;
  logger: Logger;
  requeue: (backtestId: string, correlationId: string) => Promise<void>;
  /** Freqtrade's lookahead analysis; absent where no engine runs it here (Docker). */
  lookahead?: LookaheadPort;
  /** Draws the out-of-sample curve and the Monte Carlo fan (PNG). */
  chart?: (input: {
    title: string;
    outOfSampleResult: unknown;
    strategyClass: string;
    fan: MonteCarloFan;
    actualPath: number[];
    resamples: number;
    seed: number;
  }) => Promise<Uint8Array>;
};

function runSettings(source: { kind: string; spec: unknown }) {
  if (source.kind === 'custom') return {};
  const checked = validateSpec(source.spec);
  if (!checked.ok) return {};
  const { maxOpenTrades, tradingMode } = checked.spec;
  return { ...(maxOpenTrades !== undefined ? { maxOpenTrades } : {}), tradingMode };
}

export function createRunRobustnessJob(deps: RunRobustnessDeps) {
  return async function runRobustness(data: unknown, signal?: AbortSignal): Promise<void> {
    const payload = PayloadSchema.parse(data);
    const key = payload.backtestId;
    const log = deps.logger.child({ correlationId: payload.correlationId, backtestId: key });
    const bt: BacktestDoc | null = await deps.backtests.get(key);
    if (!bt || (bt.status !== 'queued' && bt.status !== 'running')) {
      log.info({ status: bt?.status }, 'robustness report already finished, cancelled or gone; skipping');
      return;
    }
    const name = `${bt.strategyName} ${bt.timerange}`;
    const fields = { user: bt.ownerId.toString(), strategy: bt.strategyName, timerange: bt.timerange };
    const progress = (state: ProgressState, msg: Omit<OutgoingMessage, 'progress'>) =>
      deps.notifier.notify(bt.replyTo, { ...msg, progress: { key, state } });
    const again = (disabled: boolean) => ({
      label: 'Run again',
      action: encodeAction({ name: 'robust', backtestId: key }),
      ...(disabled ? { disabled } : {}),
    });
    const started = Date.now();
    let finished = false;
    try {
      const strategy = await deps.models.Strategy.findOne({ _id: bt.strategyId, ownerId: bt.ownerId }).lean();
      if (!strategy) {
        finished = true;
        await deps.backtests.markFailed(key, { code: 'NOT_FOUND', message: 'The strategy was deleted.' });
        await progress('failed', {
          text: `Robustness report of ${bt.strategyName} failed: the strategy was deleted.`,
        });
        return;
      }
      const source = await backtestSource(deps.models, bt, strategy);
      await deps.backtests.markRunning(key);
      log.info({ event: 'robustness_started', ...fields }, 'robustness_started');
      const running = (line: string) =>
        progress('running', { text: `Robustness report of ${name}: ${line}`, buttons: [again(true)] });
      const run = await buildRobustnessReport(
        deps.runner,
        {
          backtestId: key,
          className: source.className,
          code: source.code,
          timeframe: bt.timeframe,
          pairs: bt.pairs,
          timerange: bt.timerange,
          ...runSettings(source),
        },
        {
          ...(signal ? { signal } : {}),
          lookahead: deps.lookahead,
          onRun: (n, what) => running(n <= 3 ? `Freqtrade run ${n} of 3, ${what}...` : `${what}...`),
        },
      );
      const recorded = await deps.backtests.markSucceeded(key, {
        summary: run.report.full,
        resultPath: run.resultPath,
        equity: null,
        robustness: run.report,
      });
      finished = true;
      if (!recorded) {
        log.warn({ event: 'robustness_superseded', ...fields }, 'robustness report already ended elsewhere');
        return;
      }
      log.info(
        {
          event: 'robustness_finished',
          ...fields,
          durationMs: Date.now() - started,
          verdict: run.report.verdict.word,
        },
        'robustness_finished',
      );
      const card = robustnessCard(bt.strategyName, bt.pairs, run.report);
      const mc = run.monteCarlo;
      const chart = mc
        ? await deps
            .chart?.({
              title: `${bt.strategyName} robustness ${bt.timerange}`,
              outOfSampleResult: run.outOfSampleResult,
              strategyClass: source.className,
              fan: mc.fan,
              actualPath: mc.actualPath,
              resamples: mc.summary.resamples,
              seed: mc.summary.seed,
            })
            .catch((err: unknown) => {
              log.error({ err }, 'robustness chart failed; posting the card without it');
              return undefined;
            })
        : undefined;
      if (chart) {
        card.image = {
          filename: `${bt.strategyName}-robustness-${bt.timerange}.png`,
          contentType: 'image/png',
          data: chart,
        };
      }
      await progress('succeeded', {
        text: `Robustness report of ${name}: ${run.report.verdict.word}.`,
        card,
        buttons: [
          again(false),
          {
            label: 'Show strategy',
            action: encodeAction({ name: 'show', strategyId: strategy._id.toString() }),
          },
        ],
      });
    } catch (err) {
      if (finished) {
        log.error({ err }, 'could not post the robustness report');
        return;
      }
      if (isLeaseLost(signal?.reason)) {
        finished = true;
        log.warn({ event: 'robustness_lease_lost', ...fields }, 'lease lost; another worker runs it');
        return;
      }
      if (signal?.aborted) {
        await deps.backtests.markRequeued(key);
        await deps.requeue(key, payload.correlationId);
        finished = true;
        log.warn({ event: 'robustness_requeued', ...fields }, 'worker stopping; report queued again');
        return;
      }
      const code = isAppError(err) ? err.code : 'INTERNAL';
      const message = isAppError(err)
        ? err.userMessage
        : `Something went wrong while building the robustness report (ref ${payload.correlationId}). Please try again.`;
      log.error({ event: 'robustness_failed', ...fields, code, err }, 'robustness_failed');
      const recorded = await deps.backtests.markFailed(key, { code, message });
      finished = true;
      if (recorded) await progress('failed', { text: `Robustness report of ${name} failed: ${message}` });
    } finally {
      if (!finished)
        log.error({ event: 'robustness_failed', ...fields }, 'report ended without a recorded state');
    }
  };
}
