// Builds a robustness report from Freqtrade runs: the full range, then its in-sample and
// out-of-sample parts, each a real backtest in the same sandbox as any other. Walk-forward and Monte
// Carlo are computed by our code on the full run's trade list; the verdict reads those figures.
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRequest, BacktestRunner } from '../freqtrade/runner.ts';
import { tradeOutcomes } from '../freqtrade/trades.ts';
import { type MonteCarloRun, runMonteCarlo } from '../src/backtest/robustness/monte-carlo.ts';
import type { RobustnessReport } from '../src/backtest/robustness/report.ts';
import { DEFAULT_IN_SAMPLE_SHARE, splitRange } from '../src/backtest/robustness/split.ts';
import { decideVerdict, outOfSampleShare } from '../src/backtest/robustness/verdict.ts';
import { walkForwardWindows, windowStats } from '../src/backtest/robustness/walk-forward.ts';

export type RobustnessRun = {
  report: RobustnessReport;
  /** Where the full run's result lies (the record's resultPath). */
  resultPath: string;
  /** The out-of-sample run's Freqtrade result, for its equity curve on the chart. */
  outOfSampleResult: unknown;
  /** The fan and the actual path for the chart; null without trades. */
  monteCarlo: MonteCarloRun | null;
};

/**
 * Runs Freqtrade three times for `req` (its timerange is the full range) and builds the report. The
 * runs' folders are named after the backtest with a suffix, so they sit beside plain backtests'.
 * `onRun` hears which run starts (1..3) for the progress line.
 */
export async function buildRobustnessReport(
  runner: BacktestRunner,
  req: BacktestRequest,
  opts: { signal?: AbortSignal; onRun?: (n: number, what: string) => Promise<unknown> } = {},
): Promise<RobustnessRun> {
  const split = splitRange(req.timerange, DEFAULT_IN_SAMPLE_SHARE);
  const runOpts = opts.signal ? { signal: opts.signal } : {};
  const parts = [
    ['full', 'the full range', req.timerange],
    ['in', `in sample ${split.inSample}`, split.inSample],
    ['out', `out of sample ${split.outOfSample}`, split.outOfSample],
  ] as const;
  const runs = [];
  for (const [i, [suffix, what, timerange]] of parts.entries()) {
    await opts.onRun?.(i + 1, what);
    runs.push(await runner.run({ ...req, backtestId: `${req.backtestId}-${suffix}`, timerange }, runOpts));
  }
  const [fullRun, inRun, outRun] = runs;
  if (!fullRun || !inRun || !outRun) throw new Error('a robustness run is missing');
  const full = parseBacktestResult(fullRun.result, req.className);
  const inSample = parseBacktestResult(inRun.result, req.className);
  const outOfSample = parseBacktestResult(outRun.result, req.className);

  const trades = tradeOutcomes(fullRun.result, req.className);
  const windows = windowStats(trades, walkForwardWindows(req.timerange), full.startingBalance);
  const monteCarlo = trades.length > 0 ? runMonteCarlo(trades, full.startingBalance) : null;
  const verdict = decideVerdict({
    full,
    inSample,
    outOfSample,
    windows,
    monteCarlo: monteCarlo?.summary ?? null,
  });
  return {
    report: {
      timerange: req.timerange,
      inSampleShare: DEFAULT_IN_SAMPLE_SHARE,
      split: { inSample: split.inSample, outOfSample: split.outOfSample },
      full,
      inSample,
      outOfSample,
      outOfSampleKept: outOfSampleShare(inSample, outOfSample),
      walkForward: { windows, positive: windows.filter((w) => w.profitAbs > 0).length },
      monteCarlo: monteCarlo?.summary ?? null,
      verdict: { word: verdict.word, reasons: verdict.reasons },
    },
    resultPath: fullRun.resultPath,
    outOfSampleResult: outRun.result,
    monteCarlo,
  };
}
