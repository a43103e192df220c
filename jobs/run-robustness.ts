// The robustness job: a backtest record of kind "robustness" runs Freqtrade on the full range and on
// its two parts, with Freqtrade's bias checks alongside (robustness-report.ts), stores the report, and
// posts its card and chart to the chat that asked. The run's life (start, progress, Cancel, lease, the
// one final message) is run-lifecycle.ts's, as for any backtest.
import type { BacktestRunner } from '../freqtrade/runner.ts';
import type { MonteCarloFan } from '../src/backtest/robustness/monte-carlo.ts';
import { encodeAction } from '../src/core/actions.ts';
import { robustnessCard } from '../src/core/robust-card.ts';
import { runRequest } from './backtest-source.ts';
import { buildRobustnessReport, type LookaheadPort, type RobustnessRun } from './robustness-report.ts';
import { createRunJob, type LifecycleDeps } from './run-lifecycle.ts';

export type RunRobustnessDeps = LifecycleDeps & {
  runner: BacktestRunner;
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

export function createRunRobustnessJob(deps: RunRobustnessDeps) {
  return createRunJob<RobustnessRun>(deps, {
    event: 'robustness',
    title: 'Robustness report',
    work: ({ bt, source, signal, phases }) =>
      buildRobustnessReport(deps.runner, runRequest(bt, source), {
        ...(signal ? { signal } : {}),
        lookahead: deps.lookahead,
        onRun: async (n, what) =>
          phases.phase({ phase: 'step', words: n <= 3 ? `Freqtrade run ${n} of 3, ${what}` : what }),
      }),
    record: (run) => ({
      summary: run.report.full,
      resultPath: run.resultPath,
      equity: null,
      robustness: run.report,
    }),
    finished: (run) => ({ verdict: run.report.verdict.word }),
    async card({ bt, strategy, source, phases, log }, run) {
      const key = bt._id.toString();
      const card = robustnessCard(bt.strategyName, bt.pairs, run.report);
      const mc = run.monteCarlo;
      if (mc && deps.chart) phases.phase({ phase: 'drawing' });
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
      return {
        text: `Robustness report of ${bt.strategyName} ${bt.timerange}: ${run.report.verdict.word}.`,
        card,
        buttons: [
          { label: 'Run again', action: encodeAction({ name: 'robust', backtestId: key }) },
          {
            label: 'Show strategy',
            action: encodeAction({ name: 'show', strategyId: strategy._id.toString() }),
          },
        ],
      };
    },
  });
}
