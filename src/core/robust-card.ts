// The robustness report's card. Each section says where its figures come from: "Freqtrade" for a
// figure from one of Freqtrade's backtest results, "our code" for one GenTrade computed on Freqtrade's
// trade list. No figure on it comes from a model.

import { DRAWDOWN_LIMIT_FACTOR, MIN_DRAWDOWN_LIMIT } from '../backtest/robustness/monte-carlo.ts';
import type { RobustnessReport, WindowStats } from '../backtest/robustness/report.ts';
import { MAX_DROP_SHARE, monthlyRate } from '../backtest/robustness/verdict.ts';
import type { BacktestSummary } from '../backtest/summary.ts';
import { derivedFigures } from './cards.ts';
import { pct } from './format.ts';
import type { Card } from './types.ts';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const signed = (ratio: number) => `${ratio >= 0 ? '+' : ''}${pct(ratio)}`;
const short = (s: string) => s.slice(0, 10);

/** Two parts' figures side by side under `head`: one row per metric, first part | second part. */
export function summariesSideBySide(head: string, a: BacktestSummary, b: BacktestSummary): string {
  const row = (name: string, f: (s: BacktestSummary) => string) => `${name}: ${f(a)} | ${f(b)}`;
  return [
    head,
    row('Trades', (s) => String(s.trades)),
    row('Profit', (s) => signed(s.profitTotal)),
    // Freqtrade's placeholders (no trades, no losing trade) read "n/a (why)", as on the result card.
    row('Win rate', (s) => derivedFigures(s).winRate),
    row('Max drawdown', (s) => pct(s.maxDrawdown)),
    row('Sharpe', (s) => derivedFigures(s).sharpe),
    row('Profit factor', (s) => derivedFigures(s).profitFactor),
  ].join('\n');
}

/** Where a part starts and ends, as Freqtrade reports it: "2024-01-01 to 2024-09-13". */
export const partDates = (s: BacktestSummary) => `${short(s.periodStart)} to ${short(s.periodEnd)}`;

function sideBySide(report: RobustnessReport): string {
  const { inSample: a, outOfSample: b } = report;
  return summariesSideBySide(`In sample ${partDates(a)} | out of sample ${partDates(b)}`, a, b);
}

function dropLine(report: RobustnessReport): string {
  const rate = (s: BacktestSummary) => signed(monthlyRate(s));
  const kept = report.outOfSampleKept;
  const flag =
    kept === null
      ? 'no in-sample profit to compare with'
      : kept < MAX_DROP_SHARE
        ? `LARGE DROP: out of sample keeps ${pct(kept)} of the in-sample rate (flagged under ${pct(MAX_DROP_SHARE)})`
        : `out of sample keeps ${pct(kept)} of the in-sample rate`;
  return `Profit per 30 days (our code, from Freqtrade's profit): ${rate(report.inSample)} | ${rate(report.outOfSample)}; ${flag}`;
}

function windowLine(w: WindowStats, i: number): string {
  return `${i + 1}. ${day(w.start)} to ${day(w.end)}: ${signed(w.profit)}, ${w.trades} trades, drawdown ${pct(w.maxDrawdown)}`;
}

function monteCarloLines(report: RobustnessReport): string {
  const mc = report.monteCarlo;
  if (!mc) return 'No trades to resample.';
  const triple = (p: { p5: number; p50: number; p95: number }, f: (x: number) => string) =>
    `5th ${f(p.p5)}, 50th ${f(p.p50)}, 95th ${f(p.p95)}`;
  return [
    `Final profit, ${mc.resamples.toLocaleString('en-US')} bootstraps (the ${mc.trades} trades drawn with replacement): ${triple(mc.profit, signed)}; actual ${signed(mc.actual.profit)}`,
    `Max drawdown, ${mc.resamples.toLocaleString('en-US')} reorderings of the same trades: ${triple(mc.drawdown, pct)}; actual ${pct(mc.actual.drawdown)}`,
    `Chance of a drawdown worse than ${pct(mc.drawdownLimit)} (${DRAWDOWN_LIMIT_FACTOR}x the actual, at least ${pct(MIN_DRAWDOWN_LIMIT)}): ${pct(mc.chanceWorse)}`,
    `Seed ${mc.seed}, so the same trades always give these figures.`,
  ].join('\n');
}

function biasLines(report: RobustnessReport): string {
  const l = report.lookahead;
  const lookahead = l
    ? `Lookahead analysis on ${l.timerange}: ${l.checked ? (l.biased ? 'BIASED. ' : 'no bias. ') : ''}${l.sentence}`
    : 'Lookahead analysis: not run here (it needs the local engine).';
  const shifts = report.negativeShifts ?? [];
  // Ours, not Freqtrade's: its analysis does not see a shift written inline in a condition.
  const ours =
    shifts.length > 0
      ? `\nBIASED, by our code's own check (not Freqtrade's): the entry or exit conditions read a later candle: ${shifts.join(', ')}.`
      : '';
  const r = l?.recursive;
  const recursive = r
    ? `Recursive-indicator analysis on ${l?.timerange}: ${r.checked ? (r.varies ? 'VARIES. ' : 'stable. ') : ''}${r.sentence}`
    : 'Recursive-indicator analysis: not run here (it needs the local engine).';
  return `${lookahead}${ours}\n${recursive}`;
}

export function robustnessCard(strategyName: string, pairs: string[], report: RobustnessReport): Card {
  const { full, walkForward } = report;
  const verdict = report.verdict.word;
  return {
    title: `How robust? ${strategyName} ${report.timerange}`,
    description: `${pairs.join(', ')} on ${full.timeframe}. Verdict: ${verdict.toUpperCase()}.`,
    fields: [
      {
        name: `Verdict: ${verdict} (our code, thresholds in code)`,
        value: report.verdict.reasons.map((r) => `- ${r}`).join('\n') || '-',
      },
      {
        name: 'Full range (Freqtrade)',
        value: `${full.trades} trades, profit ${signed(full.profitTotal)}, max drawdown ${pct(full.maxDrawdown)}`,
      },
      {
        name: `Out of sample: split ${Math.round(report.inSampleShare * 100)}/${Math.round((1 - report.inSampleShare) * 100)}, each part a separate Freqtrade run (Freqtrade)`,
        value: `${sideBySide(report)}\n${dropLine(report)}`,
      },
      {
        name: `Walk-forward: ${walkForward.windows.length} windows, our code on the full run's Freqtrade trade list (by close time)`,
        value: `${walkForward.windows.map(windowLine).join('\n')}\n${walkForward.positive} of ${walkForward.windows.length} windows in profit`,
      },
      { name: "Monte Carlo (our code on Freqtrade's trade list)", value: monteCarloLines(report) },
      { name: 'Bias checks (Freqtrade)', value: biasLines(report) },
    ],
    footer:
      "Freqtrade: figures from Freqtrade's own backtest results. Our code: computed by GenTrade from Freqtrade's trades. No figure comes from a model.",
  };
}
