// The optimisation job: a backtest record of kind "optimise" runs Freqtrade's hyperopt on the training
// part of its range with the settings from its form, then Freqtrade's backtests of the best parameters
// on the training and the test part, stores what was found and posts the card. The run's life (queue,
// progress edited in place, Cancel, lease, the one final message) is run-lifecycle.ts's.
import { parseBacktestResult } from '../freqtrade/result.ts';
import type { BacktestRunner, OptimiseRun } from '../freqtrade/runner.ts';
import {
  applyFound,
  FoundParamsSchema,
  levelsOf,
  type Optimisation,
  OptimiseSettingsSchema,
  spacesOf,
} from '../src/backtest/optimise.ts';
import { splitRange } from '../src/backtest/robustness/split.ts';
import { encodeAction } from '../src/core/actions.ts';
import { codeDiff } from '../src/core/diff.ts';
import { optimiseCard } from '../src/core/optimise-card.ts';
import { AppError } from '../src/errors.ts';
import { withFoundDefaults } from '../src/strategy/custom-defaults.ts';
import type { StrategyRenderer } from '../src/strategy/renderer.ts';
import { validateSpec } from '../src/strategy/spec.ts';
import { runRequest } from './backtest-source.ts';
import { createRunJob, type LifecycleDeps, type RunStart } from './run-lifecycle.ts';

export type RunOptimiseDeps = LifecycleDeps & {
  runner: BacktestRunner;
  /** Renders a spec with the chosen levels as hyperopt parameters (freqtrade/render.ts). */
  render: StrategyRenderer;
};

type Work = { optimisation: Optimisation; resultPath: string };

const lossText = (x: number | null) => (x === null ? 'none yet' : String(Number(x.toFixed(4))));

function specOf(source: RunStart['source']) {
  if (source.kind === 'custom') return null;
  const checked = validateSpec(source.spec);
  if (!checked.ok) throw new AppError('SPEC_INVALID', "This version's spec no longer validates.");
  return checked.spec;
}

/**
 * The found values as a diff of the code: the version optimised against the same version with them
 * written in (what "Save as new version" would save).
 */
function foundDiff(
  deps: RunOptimiseDeps,
  bt: RunStart['bt'],
  source: RunStart['source'],
  o: Optimisation,
): string {
  const spec = specOf(source);
  const names = { className: source.className, name: bt.strategyName };
  const [before, after] = spec
    ? [deps.render(spec, names), deps.render(applyFound(spec, o.found), names)]
    : [source.code, withFoundDefaults(source.code, o.found)];
  const file = `${source.className}.py`;
  return codeDiff(
    file,
    { version: bt.strategyVersion, code: before },
    { version: bt.strategyVersion, code: after },
  ).replace(
    `${file} (v${bt.strategyVersion})\n+++ ${file} (v${bt.strategyVersion})`,
    `${file} (v${bt.strategyVersion})\n+++ ${file} (optimised)`,
  );
}

export function createRunOptimiseJob(deps: RunOptimiseDeps) {
  return createRunJob<Work>(deps, {
    event: 'optimise',
    title: 'Optimisation',
    async work({ bt, source, signal, phases }) {
      const optimise = deps.runner.optimise?.bind(deps.runner);
      if (!optimise) {
        throw new AppError(
          'ENGINE_FAILED',
          "This bot's Freqtrade runner cannot run optimisations. Ask the operator to run a worker with the local engine or Docker.",
        );
      }
      const settings = OptimiseSettingsSchema.parse(bt.optimise);
      const spec = specOf(source);
      const split = splitRange(bt.timerange, settings.trainPercent / 100);
      const spaces = spacesOf(settings.tune, spec);
      const code = spec
        ? deps.render(spec, { className: source.className, name: bt.strategyName }, levelsOf(settings.tune))
        : source.code;
      phases.phase({ phase: 'step', words: `hyperopt, ${settings.epochs} epochs on ${split.inSample}` });
      const run: OptimiseRun = await optimise(
        {
          ...runRequest(bt, { ...source, code }),
          timerange: split.inSample,
          epochs: settings.epochs,
          loss: settings.loss,
          spaces,
          seed: settings.seed,
          testTimerange: split.outOfSample,
        },
        {
          ...(signal ? { signal } : {}),
          onEpoch: (e) =>
            phases.phase({
              phase: 'step',
              words:
                e.epochs >= e.total
                  ? `epoch ${e.epochs} of ${e.total} (best loss ${lossText(e.bestLoss)}); backtesting the best on both parts`
                  : `epoch ${e.epochs} of ${e.total}, best loss ${lossText(e.bestLoss)}`,
            }),
        },
      );
      const train = parseBacktestResult(run.train.result, source.className);
      const test = run.test ? parseBacktestResult(run.test.result, source.className) : null;
      return {
        resultPath: (run.test ?? run.train).resultPath,
        optimisation: {
          settings,
          spaces,
          epochsRun: run.epochsRun,
          bestEpoch: run.best.epoch,
          bestLoss: run.best.loss,
          baselineLoss: run.baselineLoss,
          found: FoundParamsSchema.parse(run.best.params ?? {}),
          trainRange: split.inSample,
          testRange: split.outOfSample,
          train,
          test,
        },
      };
    },
    record: ({ optimisation, resultPath }) => ({
      // The record's summary is the test part's: figures the search never saw.
      summary: optimisation.test ?? optimisation.train,
      resultPath,
      equity: null,
      optimisation,
    }),
    finished: ({ optimisation }) => ({
      epochs: optimisation.epochsRun,
      bestLoss: optimisation.bestLoss,
    }),
    async card({ bt, strategy, source, log }, { optimisation }) {
      const key = bt._id.toString();
      const diff = (() => {
        try {
          return foundDiff(deps, bt, source, optimisation);
        } catch (err) {
          // Pasted code whose declarations can't be rewritten: the card says the values in words.
          log.warn({ err }, 'no code diff for the optimisation card');
          return '';
        }
      })();
      return {
        ...(diff
          ? { code: { language: 'diff', content: diff, filename: `${bt.strategyName}-optimised.diff` } }
          : {}),
        text: `Optimisation of ${bt.strategyName} v${bt.strategyVersion} ${bt.timerange}: done.`,
        card: optimiseCard(bt.strategyName, optimisation, specOf(source), source.code),
        buttons: [
          { label: 'Save as new version', action: encodeAction({ name: 'optimiseSave', backtestId: key }) },
          {
            label: 'Optimise again',
            action: encodeAction({ name: 'optimiseAgain', backtestId: key }),
          },
          {
            label: 'Show strategy',
            action: encodeAction({ name: 'show', strategyId: strategy._id.toString() }),
          },
        ],
      };
    },
  });
}
