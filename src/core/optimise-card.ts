// The optimisation's card: what Freqtrade's hyperopt searched and found, the change in words, and
// Freqtrade's backtests of the best parameters on the training and the test part side by side. A
// result that only shines in training says so. No figure on it comes from a model.
import { changesInWords, LOSS_NAMES, type Optimisation } from '../backtest/optimise.ts';
import { MAX_DROP_SHARE, monthlyRate, outOfSampleShare } from '../backtest/robustness/verdict.ts';
import { currentDefaults, currentStoploss } from '../strategy/custom-defaults.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import { pct } from './format.ts';
import { partDates, summariesSideBySide } from './robust-card.ts';
import type { Card } from './types.ts';

const signed = (ratio: number) => `${ratio >= 0 ? '+' : ''}${pct(ratio)}`;
const loss = (x: number) => String(Number(x.toFixed(4)));

/** Whether the found parameters hold on the test part, in words, with the figures that decide it. */
export function testVerdict(o: Optimisation): { holds: boolean; words: string } {
  const { train, test } = o;
  if (!test)
    return { holds: false, words: 'No test part was run, so nothing shows it holds outside training.' };
  const rate = (s: typeof train) => signed(monthlyRate(s));
  const rates = `profit per 30 days ${rate(train)} in training, ${rate(test)} in the test part`;
  const kept = outOfSampleShare(train, test);
  if (kept === null)
    return { holds: false, words: `No profit in training to keep, so nothing to hold (${rates}).` };
  if (test.trades === 0)
    return { holds: false, words: `ONLY SHINES IN TRAINING: no trades in the test part (${rates}).` };
  if (test.profitTotal <= 0) {
    return {
      holds: false,
      words: `ONLY SHINES IN TRAINING: it lost money on the test part, which the search never saw (${rates}).`,
    };
  }
  if (kept < MAX_DROP_SHARE) {
    return {
      holds: false,
      words: `ONLY SHINES IN TRAINING: the test part keeps ${pct(kept)} of the training rate (flagged under ${pct(MAX_DROP_SHARE)}; ${rates}).`,
    };
  }
  return {
    holds: true,
    words: `Holds on the test part: it keeps ${pct(kept)} of the training rate (${rates}).`,
  };
}

/** `spec`: the version optimised (null for custom code, whose parameters are listed as found). */
export function optimiseCard(name: string, o: Optimisation, spec: StrategySpec | null, code?: string): Card {
  const s = o.settings;
  const changes = changesInWords(
    spec,
    o.found,
    code && !spec ? { defaults: currentDefaults(code), stoploss: currentStoploss(code) } : {},
  );
  const baseline =
    o.baselineLoss !== null
      ? `; the parameters as they were scored ${loss(o.baselineLoss)}`
      : o.spaces.includes('roi')
        ? "; no score for the parameters as they were (a search of the ROI table can't start from them)"
        : '';
  const fields: Card['fields'] = [
    {
      name: 'Search',
      value: `${o.epochsRun} of ${s.epochs} epochs of Freqtrade's hyperopt on ${o.spaces.join(', ')}, ${LOSS_NAMES[s.loss]} loss, seed ${s.seed}, training part ${o.trainRange}. Best: epoch ${o.bestEpoch}, loss ${loss(o.bestLoss)} (lower is better)${baseline}.`,
    },
    {
      name: 'Best parameters',
      value: changes.length > 0 ? changes.join('\n') : 'The same as now: the search found nothing better.',
    },
  ];
  if (o.test) {
    fields.push({
      name: 'Training | test (Freqtrade)',
      value: summariesSideBySide(
        `Training ${partDates(o.train)} | test ${partDates(o.test)}`,
        o.train,
        o.test,
      ),
    });
  }
  fields.push({ name: 'Verdict (our code)', value: testVerdict(o).words });
  return {
    title: `Optimisation of ${name}`,
    fields,
    footer:
      "Figures: Freqtrade's hyperopt and its backtests of the best parameters on each part. The per-30-days rates and the verdict are our code's, computed on them.",
  };
}
