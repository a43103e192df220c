// Builds a robustness report from Freqtrade runs: the full range, then its in-sample and
// out-of-sample parts, each a real backtest in the same sandbox as any other. Walk-forward and Monte
// Carlo are computed by our code on the full run's trade list; the verdict reads those figures.

import type { LookaheadInput } from '../freqtrade/client/lookahead.ts';
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRequest, BacktestRunner } from '../freqtrade/runner.ts';
import { tradeOutcomes } from '../freqtrade/trades.ts';
import { type MonteCarloRun, runMonteCarlo } from '../src/backtest/robustness/monte-carlo.ts';
import type { LookaheadCheck, RobustnessReport } from '../src/backtest/robustness/report.ts';
import { negativeShifts } from '../src/backtest/robustness/shift-check.ts';
import { DEFAULT_IN_SAMPLE_SHARE, splitRange } from '../src/backtest/robustness/split.ts';
import { decideVerdict, outOfSampleShare } from '../src/backtest/robustness/verdict.ts';
import { walkForwardWindows, windowStats } from '../src/backtest/robustness/walk-forward.ts';

/** Freqtrade's lookahead analysis (the local engine's validate command); absent with the Docker runner. */
export type LookaheadPort = (input: LookaheadInput) => Promise<LookaheadCheck>;

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
 * Runs Freqtrade three times for `req` (and its lookahead analysis when given one) (its timerange is the full range) and builds the report. The
 * runs' folders sit inside the record's own (data/backtests/<id>/full, /in, /out), so whatever removes
 * a backtest's files (an account's deletion) removes them too.
 * `onRun` hears which step starts (1..3 the runs, 4 the analysis) for the progress line.
 */
export async function buildRobustnessReport(
  runner: BacktestRunner,
  req: BacktestRequest,
  opts: {
    signal?: AbortSignal;
    onRun?: (n: number, what: string) => Promise<unknown>;
    lookahead?: LookaheadPort | undefined;
  } = {},
): Promise<RobustnessRun> {
  const split = splitRange(req.timerange, DEFAULT_IN_SAMPLE_SHARE);
  const runOpts = opts.signal ? { signal: opts.signal } : {};
  const parts = [
    ['full', 'the full range', req.timerange],
    ['in', `in sample ${split.inSample}`, split.inSample],
    ['out', `out of sample ${split.outOfSample}`, split.outOfSample],
  ] as const;
  // Freqtrade's lookahead analysis (on the out-of-sample range: the part the verdict leans on, and
  // shorter than the whole) runs alongside the backtests, in the engine's other slot; its outcome is
  // kept, not thrown, so a failed backtest never leaves it rejected unheard.
  const analysis = opts
    .lookahead?.({
      code: req.code,
      className: req.className,
      timeframe: req.timeframe,
      pairs: req.pairs,
      timerange: split.outOfSample,
      ...(req.tradingMode ? { tradingMode: req.tradingMode } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    .then(
      (check) => ({ check }),
      (err: unknown) => ({ err }),
    );
  const alongside = analysis ? ", Freqtrade's lookahead analysis alongside" : '';
  const runs = [];
  for (const [i, [suffix, what, timerange]] of parts.entries()) {
    await opts.onRun?.(i + 1, `${what}${alongside}`);
    runs.push(await runner.run({ ...req, backtestId: `${req.backtestId}/${suffix}`, timerange }, runOpts));
  }
  let lookahead: LookaheadCheck | null = null;
  if (analysis) {
    await opts.onRun?.(4, `Freqtrade's lookahead analysis on ${split.outOfSample}`);
    const outcome = await analysis;
    if ('err' in outcome) throw outcome.err;
    lookahead = outcome.check;
  }
  const [fullRun, inRun, outRun] = runs;
  if (!fullRun || !inRun || !outRun) throw new Error('a robustness run is missing');
  const full = parseBacktestResult(fullRun.result, req.className);
  const inSample = parseBacktestResult(inRun.result, req.className);
  const outOfSample = parseBacktestResult(outRun.result, req.className);

  const shifts = negativeShifts(req.code);
  const trades = tradeOutcomes(fullRun.result, req.className);
  const windows = windowStats(trades, walkForwardWindows(req.timerange), full.startingBalance);
  const monteCarlo = trades.length > 0 ? runMonteCarlo(trades, full.startingBalance) : null;
  const verdict = decideVerdict({
    full,
    inSample,
    outOfSample,
    windows,
    monteCarlo: monteCarlo?.summary ?? null,
    lookaheadBiased: lookahead?.biased === true,
    negativeShifts: shifts,
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
      lookahead,
      negativeShifts: shifts,
      verdict: { word: verdict.word, reasons: verdict.reasons },
    },
    resultPath: fullRun.resultPath,
    outOfSampleResult: outRun.result,
    monteCarlo,
  };
}
