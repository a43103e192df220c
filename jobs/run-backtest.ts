// The backtest job: one Freqtrade backtest of the version queued, its figures recorded, and the result
// card (with the zero-trade diagnosis and the equity chart) posted to the chat that asked. The run's
// life (start, progress, cancel, lease, the one final message) is run-lifecycle.ts's.
import type { Logger } from 'pino';
import { equitySeries } from '../freqtrade/chart/series.ts';
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRun, BacktestRunner } from '../freqtrade/runner.ts';
import type { EquitySeries } from '../src/backtest/equity.ts';
import type { BacktestSummary } from '../src/backtest/summary.ts';
import { resultButtons } from '../src/core/backtest-messages.ts';
import { resultCard } from '../src/core/cards.ts';
import { runRequest } from './backtest-source.ts';
import { createRunJob, type LifecycleDeps, type RunStart } from './run-lifecycle.ts';

export const RUN_BACKTEST = 'run-backtest';

export type RunBacktestDeps = LifecycleDeps & {
  runner: BacktestRunner;
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

type Work = { run: BacktestRun; summary: BacktestSummary; equity: EquitySeries | null };

function equityOf(result: unknown, className: string, log: Logger): EquitySeries | null {
  try {
    return equitySeries(result, className);
  } catch (err) {
    log.error({ err }, 'no equity series in the result; /compare will show figures only');
    return null;
  }
}

/** Why it made no trades, kept on the record for explanations ("why so few trades?"). */
async function noTradesWhy(
  deps: RunBacktestDeps,
  { bt, source, log }: RunStart,
): Promise<string | undefined> {
  const why = await deps
    .explainNoTrades?.({
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
    // The card goes out whether or not this sticks.
    await deps.backtests.setDiagnosis(bt._id.toString(), why).catch((err: unknown) => {
      log.warn({ err }, 'zero-trade diagnosis not stored');
    });
  }
  return why;
}

export function createRunBacktestJob(deps: RunBacktestDeps) {
  return createRunJob<Work>(deps, {
    event: 'backtest',
    title: 'Backtest',
    async work({ bt, source, signal, phases, log }) {
      const run = await deps.runner.run(runRequest(bt, source), {
        ...(signal ? { signal } : {}),
        onProgress: phases.engine,
      });
      const summary = parseBacktestResult(run.result, source.className);
      return { run, summary, equity: equityOf(run.result, source.className, log) };
    },
    record: ({ run, summary, equity }) => ({ summary, resultPath: run.resultPath, equity }),
    finished: ({ summary }) => ({ trades: summary.trades }),
    async card(start, { run, summary }) {
      const { bt, strategy, source, phases, log } = start;
      const key = bt._id.toString();
      // Edited while it waited or ran: the card says which version these figures are from.
      const current = await deps.models.Strategy.findOne({ _id: bt.strategyId }, { version: 1 })
        .lean()
        .then((s) => s?.version ?? strategy.version);
      const version = { run: bt.strategyVersion, current };
      const label =
        current === bt.strategyVersion ? bt.strategyName : `${bt.strategyName} v${bt.strategyVersion}`;
      const card = resultCard(bt.strategyName, bt.timerange, bt.pairs, summary, version);
      const why = summary.trades === 0 ? await noTradesWhy(deps, start) : undefined;
      if (why) card.fields.push({ name: 'Why no trades', value: why });
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
      return {
        text: `Backtest of ${label} ${bt.timerange}: done.`,
        card,
        buttons: resultButtons(key, strategy._id.toString()),
      };
    },
  });
}
