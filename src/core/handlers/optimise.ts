// Optimisation from the chat: /optimize NAME (or the Optimise button) opens a form (what to tune,
// epochs, loss, training share, range); its submit queues a run of kind "optimise" that follows a
// backtest's life (queue, progress, Cancel, quotas); "Save as new version" writes what it found into
// the spec as a new version, which /diff and /backtest then see.

import {
  applyFound,
  choices,
  DEFAULT_EPOCHS,
  DEFAULT_TRAIN_PERCENT,
  declaredSpaces,
  declaresParameters,
  LOSSES,
  MAX_EPOCHS,
  type Optimisation,
  OptimisationSchema,
  type OptimiseSettings,
  OptimiseSettingsSchema,
  readOptimiseForm,
} from '../../backtest/optimise.ts';
import { MIN_PART_DAYS, splitRange } from '../../backtest/robustness/split.ts';
import { MAX_OPTIMISE_SECONDS, searchCandles, searchSeconds } from '../../backtest/search-size.ts';
import { AppError, isAppError } from '../../errors.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import type { BacktestDoc, FullBacktestDoc, StrategyDoc } from '../../storage/models.ts';
import { withFoundDefaults } from '../../strategy/custom-defaults.ts';
import { specTunables } from '../../strategy/tunables.ts';
import { encodeAction } from '../actions.ts';
import { strategyMessage } from '../cards.ts';
import { joinTypedPeriod } from '../commands.ts';
import { optimiseCard, testVerdict } from '../optimise-card.ts';
import { requireSandboxFor } from '../sandbox.ts';
import type { Form, OutgoingMessage } from '../types.ts';
import { backtestDoc } from './backtest.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';
import { diffStrategy } from './diff.ts';
import { view } from './strategies.ts';

const USAGE = 'Usage: /optimize <name> [YYYYMMDD-YYYYMMDD]';

/** What may be tuned, one line each, for the form's message (labels are too short to hold it). */
function choiceLines(deps: HandlerDeps, doc: StrategyDoc): string[] {
  if (isCustom(doc)) {
    const lines = [
      'stoploss: the stop-loss (Freqtrade searches -35% to -2%)',
      'roi: the take-profit (ROI) table (Freqtrade builds its own ranges)',
    ];
    if (!declaresParameters(doc.code)) {
      lines.push(
        `${doc.name} declares no Freqtrade hyperopt parameters (IntParameter, DecimalParameter...), so its entry and exit can't be tuned, only the stop-loss and the ROI table. To tune a level, declare it, e.g. buy_rsi = IntParameter(20, 40, default=30, space="buy"), and use self.buy_rsi.value in the condition.`,
      );
      return lines;
    }
    return [
      ...declaredSpaces(doc.code).map(
        (space) => `${space}: the parameters it declares in the ${space} space`,
      ),
      ...lines,
    ];
  }
  const tunables = specTunables(deps.strategies.specOf(doc));
  const lines = tunables.map((t) =>
    t.kind === 'level'
      ? `${t.name}: ${t.label}, now ${t.value}, searched ${t.low} to ${t.high}`
      : t.kind === 'stoploss'
        ? `stoploss: ${t.label}, searched -35% to -2% (Freqtrade's range)`
        : `roi: ${t.label} (Freqtrade builds its own ranges)`,
  );
  // A crossover has no level to search: say why only its stop-loss and ROI are offered.
  if (!tunables.some((t) => t.kind === 'level')) {
    lines.push(
      `${doc.name}'s signals have no levels to search (indicator windows such as the averages' periods are not tuned), so only its stop-loss and ROI table can be. Try windows with /edit and compare the backtests.`,
    );
  }
  return lines;
}

function allowed(deps: HandlerDeps, doc: StrategyDoc): string[] {
  return isCustom(doc) ? choices({ code: doc.code }) : choices({ spec: deps.strategies.specOf(doc) });
}

/** By default: what a trader tunes first, the levels (or a custom strategy's declared parameters). */
function defaultTune(deps: HandlerDeps, doc: StrategyDoc): string[] {
  const all = allowed(deps, doc);
  const levels = all.filter((t) => t !== 'stoploss' && t !== 'roi');
  return levels.length > 0 ? levels : all;
}

function optimiseForm(deps: HandlerDeps, doc: StrategyDoc, timerange: string, was?: OptimiseSettings): Form {
  return {
    title: `Optimise ${doc.name}`.slice(0, 45),
    submit: encodeAction({ name: 'optimiseSubmit', strategyId: doc._id.toString() }),
    fields: [
      {
        key: 'tune',
        label: 'Tune (names from the list, comma separated)',
        value: (was?.tune ?? defaultTune(deps, doc)).join(', '),
      },
      { key: 'epochs', label: `Epochs (1 to ${MAX_EPOCHS})`, value: String(was?.epochs ?? DEFAULT_EPOCHS) },
      { key: 'loss', label: `Loss: ${LOSSES.join(', ')}`, value: was?.loss ?? 'sharpe' },
      {
        key: 'train',
        label: 'Training share % (the rest is the test)',
        value: String(was?.trainPercent ?? DEFAULT_TRAIN_PERCENT),
      },
      { key: 'range', label: 'Range YYYYMMDD-YYYYMMDD (empty: default)', value: timerange },
    ],
  };
}

async function formMessage(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  doc: StrategyDoc,
  timerange?: string,
  was?: OptimiseSettings,
): Promise<OutgoingMessage> {
  const range = timerange ?? (await deps.backtests.latestFor(ctx.ownerId, doc._id))?.timerange ?? '';
  const lines = choiceLines(deps, doc);
  return {
    text: `Optimise ${doc.name} v${doc.version} with Freqtrade's hyperopt. What it can tune:`,
    form: { ...optimiseForm(deps, doc, range, was), preface: lines.map((l) => `- ${l}`).join('\n') },
  };
}

/** "Optimise again" and "Run again" on an optimisation: the form filled in with its settings and range. */
export async function optimiseAgain(deps: HandlerDeps, ctx: HandlerCtx, backtestId: string) {
  const bt = await deps.backtests.getOwned(ctx.ownerId, backtestId);
  const doc = await deps.strategies.getById(ctx.ownerId, bt.strategyId.toString());
  const was = OptimiseSettingsSchema.safeParse(bt.optimise).data;
  // Tunables of an older version may be gone from the current one: keep only those it still has.
  const still = was ? { ...was, tune: was.tune.filter((t) => allowed(deps, doc).includes(t)) } : undefined;
  return [
    await formMessage(deps, ctx, doc, bt.timerange, still && still.tune.length > 0 ? still : undefined),
  ];
}

export async function optimiseCommand(deps: HandlerDeps, ctx: HandlerCtx, args: string) {
  const [name, range, ...rest] = joinTypedPeriod(args).trim().split(/\s+/).filter(Boolean);
  // A range as /backtest takes it: 20240101-20240701, 2024, 2024-2025.
  if (!name || rest.length > 0 || (range !== undefined && !/^\d{4}[\d.\-–]*$/.test(range))) {
    throw new AppError(
      'BAD_COMMAND',
      `${USAGE}, for example /optimize ${name ?? 'my-strategy'} 20240101-20241231.`,
    );
  }
  return [await formMessage(deps, ctx, await deps.strategies.getByName(ctx.ownerId, name), range)];
}

export async function optimiseButton(deps: HandlerDeps, ctx: HandlerCtx, strategyId: string) {
  return [await formMessage(deps, ctx, await deps.strategies.getById(ctx.ownerId, strategyId))];
}

/** A search that would need more than an optimisation may take is refused before it is queued. */
function tooBig(deps: HandlerDeps, doc: StrategyDoc, settings: OptimiseSettings, training: string): void {
  const { pairs, timeframe } = deps.strategies.settingsOf(doc);
  const size = { epochs: settings.epochs, timerange: training, timeframe, pairs };
  const need = searchSeconds(size);
  if (need <= MAX_OPTIMISE_SECONDS) return;
  const hours = (s: number) => `${Number((s / 3600).toFixed(1))} hours`;
  throw new AppError(
    'BAD_INPUT',
    `That search could need up to ${hours(need)} (${settings.epochs} epochs, each a backtest of ${searchCandles(size).toLocaleString('en-US')} candles); an optimisation may take at most ${hours(MAX_OPTIMISE_SECONDS)}. Ask for fewer epochs, a shorter range or fewer pairs. Nothing was queued.`,
  );
}

/** The form's submit: checks every answer, then queues the run (a sentence for anything unreadable). */
export async function submitOptimise(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  strategyId: string,
  values: Record<string, string>,
): Promise<OutgoingMessage[]> {
  const doc = await deps.strategies.getById(ctx.ownerId, strategyId);
  const settings = readOptimiseForm(values, allowed(deps, doc));
  const range = values.range?.trim() || undefined;
  // The range as it would be tested (read, and cut to the data) is split here, so one too short is
  // said before anything is queued.
  const check = (tested: string, cut: boolean) => {
    try {
      tooBig(deps, doc, settings, splitRange(tested, settings.trainPercent / 100).inSample);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'BAD_TIMERANGE') throw err;
      const part = cut ? ` (the part of ${range} with candles)` : '';
      throw new AppError(
        'BAD_TIMERANGE',
        `The range ${tested}${part} is too short to split ${settings.trainPercent}/${100 - settings.trainPercent} into training and test parts of at least ${MIN_PART_DAYS} days each. Use a longer range. Nothing was queued.`,
      );
    }
  };
  return backtestDoc(deps, ctx, doc, range, undefined, 'optimise', { optimise: settings, check });
}

function finishedOptimisation(bt: FullBacktestDoc) {
  if (bt.kind !== 'optimise' || bt.status !== 'succeeded') {
    throw new AppError('BAD_INPUT', 'That optimisation has no result to save.');
  }
  return OptimisationSchema.parse(bt.optimisation);
}

/**
 * "Save as new version": the found values written into the spec of the version optimised, saved as
 * the strategy's next version; the reply shows what changed and the test part's figures.
 */
export async function saveOptimised(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  backtestId: string,
): Promise<OutgoingMessage[]> {
  const bt = await deps.backtests.getOwned(ctx.ownerId, backtestId);
  const found = finishedOptimisation(bt);
  const doc = await deps.strategies.getById(ctx.ownerId, bt.strategyId.toString());
  if ((bt.snapshot?.kind ?? doc.kind) === 'custom') return saveCustom(deps, ctx, bt, doc, found);
  const base = bt.snapshot?.spec ?? (doc.version === bt.strategyVersion ? doc.spec : null);
  if (!base) {
    throw new AppError(
      'NOT_FOUND',
      `I no longer have version ${bt.strategyVersion} of ${doc.name}, which was optimised.`,
    );
  }
  const spec = applyFound(deps.strategies.specOf({ ...doc, kind: 'spec', spec: base }), found.found);
  // A second press saves nothing new.
  if (doc.kind !== 'custom' && JSON.stringify(spec) === JSON.stringify(deps.strategies.specOf(doc))) {
    return [{ text: `${doc.name} version ${doc.version} already has these parameters.` }];
  }
  const updated = await deps.strategies.update(ctx.ownerId, doc._id.toString(), spec);
  return savedReply(deps, ctx, bt, doc, updated, found);
}

/**
 * Custom code: the found values written in as its parameters' defaults (and its stop-loss and ROI
 * table), checked like any pasted code, and saved as the next version.
 */
async function saveCustom(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  bt: FullBacktestDoc,
  doc: StrategyDoc,
  found: Optimisation,
): Promise<OutgoingMessage[]> {
  const source =
    bt.snapshot?.kind === 'custom' ? bt.snapshot : doc.version === bt.strategyVersion ? doc : null;
  if (!source) {
    throw new AppError(
      'NOT_FOUND',
      `I no longer have version ${bt.strategyVersion} of ${doc.name}, which was optimised.`,
    );
  }
  if (!deps.validator)
    throw new AppError('CONFIG', 'Saving code needs the Freqtrade engine, which this bot is not running.');
  const code = withFoundDefaults(source.code, found.found);
  if (code === doc.code)
    return [{ text: `${doc.name} version ${doc.version} already has these parameters.` }];
  await requireSandboxFor({ backtest: doc.name }, deps.sandbox);
  const verdict = await deps.validator.validate(code, { pairs: bt.pairs, correlationId: ctx.correlationId });
  if (!verdict.accepted) {
    const why = verdict.violations.map((v) => v.message).join(' ');
    throw new AppError(
      'STRATEGY_LOAD',
      `The code with the found values didn't pass the checks, so nothing was saved: ${why}`,
    );
  }
  const updated = await deps.strategies.replaceCode(
    ctx.ownerId,
    doc._id.toString(),
    { className: source.className, code, timeframe: bt.timeframe, pairs: bt.pairs },
    doc.version,
  );
  return savedReply(deps, ctx, bt, doc, updated, found);
}

/** The saved version's card, what it is built on, the test part's figures, and the change as /diff shows it. */
async function savedReply(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  bt: BacktestDoc,
  doc: StrategyDoc,
  updated: StrategyDoc,
  found: Optimisation,
): Promise<OutgoingMessage[]> {
  const msg = strategyMessage(view(updated, deps.strategies));
  const moved =
    doc.version === bt.strategyVersion
      ? ''
      : ` It is built on version ${bt.strategyVersion}, the version optimised; the changes of version ${doc.version} are not in it.`;
  const test = found.test;
  const figures = test
    ? ` On the test part (${found.testRange}, which the search never saw) Freqtrade's backtest made ${(test.profitTotal * 100).toFixed(2)}% in ${test.trades} trades.`
    : '';
  const verdict = testVerdict(found);
  const flag = verdict.holds ? '' : ` ${verdict.words}`;
  msg.text = `Saved the optimised parameters as ${updated.name} version ${updated.version}.${moved}${figures}${flag} /diff ${updated.name} shows the change.`;
  // The change as /diff shows it: the spec field by field, and the code as a diff file.
  const diff = await diffStrategy(deps, ctx, `${updated.name} ${bt.strategyVersion} ${updated.version}`);
  return [msg, ...diff];
}

/**
 * /show's lines for the strategy's optimisations: the latest that finished, with its card and Save, and
 * where a newer one stands (queued, running, failed or cancelled) when there is one.
 */
export async function latestOptimisation(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  doc: StrategyDoc,
): Promise<OutgoingMessage[]> {
  const [latest, done] = await Promise.all([
    deps.backtests.latestOfKind(ctx.ownerId, doc._id, 'optimise'),
    deps.backtests.latestOfKind(ctx.ownerId, doc._id, 'optimise', 'succeeded'),
  ]);
  const out: OutgoingMessage[] = [];
  const found = done ? OptimisationSchema.safeParse(done.optimisation) : undefined;
  if (done && found?.success) {
    const custom = done.snapshot?.kind === 'custom';
    const spec = custom
      ? null
      : deps.strategies.specOf({ ...doc, kind: 'spec', spec: done.snapshot?.spec ?? doc.spec });
    out.push({
      text: `Latest optimisation of ${doc.name} v${done.strategyVersion} ${done.timerange}:`,
      card: optimiseCard(doc.name, found.data, spec, done.snapshot?.code),
      buttons: [
        {
          label: 'Save as new version',
          action: encodeAction({ name: 'optimiseSave', backtestId: done._id.toString() }),
        },
        {
          label: 'Optimise again',
          action: encodeAction({ name: 'optimiseAgain', backtestId: done._id.toString() }),
        },
      ],
    });
  }
  if (latest && latest._id.toString() !== done?._id.toString()) {
    const state =
      latest.status === 'failed' ? `failed: ${latest.error?.message ?? 'no reason kept'}` : latest.status;
    out.push({
      text: `A newer optimisation of ${doc.name} v${latest.strategyVersion} ${latest.timerange}: ${state}.`,
    });
  }
  return out;
}

const OPTIMISE_TEXT =
  /^(?:please\s+)?(?:optimi[sz]e|tune|hyperopt)\s+(?:my\s+|the\s+)?(?:strategy\s+)?([a-z0-9][a-z0-9-]*)(?:\s+(?:on|over|for)\s+(\d{4}[\d.\-–]*))?(?:\s+please)?\s*[.!]*$/i;

/**
 * "optimise btc-rsi-30-70-1h", "optimize it", "tune my-strategy over 2024" typed as text: the /optimize
 * arguments when the name is one of the trader's strategies ("it": the one used last), else null (the
 * agent answers it, and a description is never taken for a name).
 */
export async function optimiseRequest(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  text: string,
): Promise<string | null> {
  const m = OPTIMISE_TEXT.exec(text.trim());
  if (!m?.[1]) return null;
  const named = m[1].toLowerCase();
  const doc =
    named === 'it' || named === 'this' || named === 'that'
      ? await deps.strategies.mostRecent(ctx.ownerId)
      : await deps.strategies.findByName(ctx.ownerId, named);
  if (!doc) return null;
  return m[2] ? `${doc.name} ${m[2]}` : doc.name;
}
