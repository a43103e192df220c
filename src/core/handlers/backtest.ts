// Backtest requests from commands, buttons and the agent: by name with a period in words or dates, from
// the preset buttons (ending where the market data ends), or again with a finished run's settings.
import type { OptimiseSettings } from '../../backtest/optimise.ts';
import { AppError } from '../../errors.ts';
import type { BacktestKind } from '../../services/backtests.ts';
import { dataStart } from '../../services/market-catalog.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import {
  clampToData,
  describeTimerangeWords,
  parseTimerangeWords,
  startAtData,
  fmt as ymd,
} from '../../services/timerange.ts';
import type { FullBacktestDoc, StrategyDoc } from '../../storage/models.ts';
import { encodeAction } from '../actions.ts';
import { backtestWhat, queuedMessage } from '../backtest-messages.ts';
import { requireSandboxFor } from '../sandbox.ts';
import type { OutgoingMessage } from '../types.ts';
import { cachedResultMessage } from './backtest-cached.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';

/**
 * Backtests a strategy by name, or the one the user used last when no name is given, on its own pairs
 * or the ones given. `timerange` is a
 * YYYYMMDD-YYYYMMDD range or words ("last 6 months", "2024"), read relative to the end of the data.
 */
export async function backtestByName(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  name: string | null,
  timerange?: string,
  pairs?: string[],
) {
  const doc = name
    ? await deps.strategies.getByName(ctx.ownerId, name)
    : await deps.strategies.mostRecent(ctx.ownerId);
  if (!doc)
    return [{ text: 'You have no strategies yet. Describe one, for example: BTC SMA 20/50 cross on 1h.' }];
  return backtestDoc(deps, ctx, doc, timerange, pairs);
}

/**
 * Backtests one strategy over a range typed as dates or words. The part of the range with candles is
 * tested, and the trader is told when that is less than they asked for: a range starting before the
 * data does, or ending after it.
 */
export async function backtestDoc(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  doc: StrategyDoc,
  timerange: string | undefined,
  pairs: string[] | undefined,
  kind: BacktestKind = 'backtest',
  /**
   * `optimise`: an optimisation's settings; `check`: refuses the range that would be tested (after it
   * is read and cut to the data; `cut` says the data made it shorter) before anything is queued.
   */
  extra: { optimise?: OptimiseSettings; check?: (timerange: string, cut: boolean) => void } = {},
) {
  const { optimise } = extra;
  const how = { kind, ...(optimise ? { optimise } : {}) };
  if (timerange === undefined) return queueBacktest(deps, ctx, doc, undefined, pairs, how);
  const settings = deps.strategies.settingsOf(doc);
  const tested = pairs && pairs.length > 0 ? pairs.map((p) => deps.catalog.resolvePair(p)) : settings.pairs;
  const end = dataEnd(deps, tested, settings.timeframe);
  const read = parseTimerangeWords(timerange, end ?? new Date());
  if (!read) {
    throw new AppError(
      'BAD_TIMERANGE',
      `I can't read the period "${timerange}". Say for example "last 6 months", "2024" or 20240101-20240701.`,
    );
  }
  // "next year", "2027": nothing to test before the candles exist.
  const limit = end ?? new Date();
  if (read.start.getTime() >= limit.getTime()) {
    throw new AppError(
      'BAD_TIMERANGE',
      end
        ? `The market data ends on ${day(end)}, so "${read.matched}" has no candles to test. Pick a period before that, for example "last 6 months".`
        : `"${read.matched}" hasn't happened yet. Pick a period in the past, for example "last 6 months".`,
    );
  }
  // "2024-2026": the part with candles, ending where the data ends (and starting where it starts: 1m
  // covers only the last 90 days, the sample data a few years), and the Period line says so.
  const ended = end ? clampToData(read, end) : read;
  const first = dataStart(deps.catalog, tested, settings.timeframe);
  const range = first ? startAtData(ended, first) : ended;
  extra.check?.(range.text, range.text !== read.text);
  const queued = await queueBacktest(deps, ctx, doc, range.text, pairs, how);
  // Words like "last 6 months" count back from the end of the data, not from today: say the dates.
  const note = describeTimerangeWords(range, end);
  return note ? [...queued, { text: note }] : queued;
}

export async function queueBacktest(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  doc: StrategyDoc,
  timerange: string | undefined,
  pairs: string[] | undefined,
  /**
   * `fresh`: run it even when an identical run's figures are cached (the Run again button); `kind`: a
   * robustness report is queued and followed like a backtest, under its own name and button.
   */
  opts: { fresh?: boolean; kind?: BacktestKind; optimise?: OptimiseSettings } = {},
): Promise<OutgoingMessage[]> {
  // Code a person pasted runs only where the engine isolates it; stored before, it still may not run here.
  if (isCustom(doc)) await requireSandboxFor({ backtest: doc.name }, deps.sandbox);
  await deps.strategies.touch(ctx.ownerId, doc._id);
  const {
    backtest: bt,
    created,
    cached,
  } = await deps.backtests.request({
    ownerId: ctx.ownerId,
    strategy: doc,
    timerange,
    pairs,
    replyTo: ctx.address,
    correlationId: ctx.correlationId,
    ...(opts.fresh ? { fresh: true } : {}),
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(opts.optimise ? { optimise: opts.optimise } : {}),
  });
  if (cached) return [await cachedResultMessage(deps, doc, bt, cached)];
  // Joining a run already under way: a plain sentence, no progress key. A "queued" state for a run that
  // is already "running" would be dropped as stale by every adapter, and the user would get no reply.
  if (!created) {
    const label =
      bt.kind === 'robustness' ? 'robustness report' : bt.kind === 'optimise' ? 'optimisation' : 'backtest';
    return [
      {
        text: `A ${label} of ${backtestWhat(bt)} is already ${bt.status}; its result will be posted here.`,
      },
    ];
  }
  // Counted in the order workers take runs (round-robin across users); 1 starts as a slot frees.
  const position = await deps.backtests.queuePosition(bt._id.toString()).catch(() => null);
  return [queuedMessage(bt, position)];
}

/**
 * "Run again" on a result card: its range and pairs, and the version on the card, not the strategy's
 * current one, saying so when they differ. Only when that version's code is gone (a backtest from
 * before runs kept a copy, and no kept version) does it run the current one, and it says that too.
 */
export async function rerunBacktest(deps: HandlerDeps, ctx: HandlerCtx, backtestId: string) {
  const bt = await deps.backtests.getOwned(ctx.ownerId, backtestId);
  const doc = await deps.strategies.getById(ctx.ownerId, bt.strategyId.toString());
  // A fresh run, even when an identical one's figures are cached: that is what the button is for.
  const rerun = (strategy: StrategyDoc) =>
    queueBacktest(deps, ctx, strategy, bt.timerange, bt.pairs, { fresh: true });
  if (bt.strategyVersion === doc.version) return rerun(doc);
  const [was, now] = [bt.strategyVersion, doc.version];
  const old = await versionOf(deps, doc, bt);
  if (!old) {
    const note = `I no longer have version ${was} of ${doc.name}, so this runs version ${now}, its current one.`;
    return [...(await rerun(doc)), { text: note }];
  }
  const note =
    `This runs version ${was}, the version on that card; ${doc.name} is now at version ${now}. ` +
    `To test version ${now}: /backtest ${doc.name} ${bt.timerange}`;
  return [...(await rerun(old)), { text: note }];
}

/** The strategy as it was at the backtest's version, from the copy the backtest kept or a kept version. */
async function versionOf(
  deps: HandlerDeps,
  doc: StrategyDoc,
  bt: FullBacktestDoc,
): Promise<StrategyDoc | null> {
  const settings = { version: bt.strategyVersion, timeframe: bt.timeframe, pairs: bt.pairs };
  if (bt.snapshot) {
    const { kind, className, code, spec } = bt.snapshot;
    return { ...doc, ...settings, kind, className, code, spec: spec ?? null };
  }
  // Custom code kept no class name with its versions before snapshots; spec code keeps its class for life.
  if (isCustom(doc)) return null;
  const kept = await deps.strategies.version(doc, bt.strategyVersion).catch(() => null);
  return kept ? { ...doc, ...settings, code: kept.code, spec: kept.spec } : null;
}

const PRESETS: [label: string, days: number][] = [
  ['1 month', 30],
  ['3 months', 91],
  ['6 months', 182],
  ['1 year', 365],
];
const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The last candle date for the first pair, so presets and ranges end where the data does. */
function dataEnd(deps: HandlerDeps, pairs: string[], timeframe: string): Date | undefined {
  const pair = pairs[0];
  return pair ? deps.catalog.coverage(pair, timeframe)?.last : undefined;
}

/** The last candle date for the strategy's own pairs. */
function strategyDataEnd(deps: HandlerDeps, doc: StrategyDoc): Date | undefined {
  const { timeframe, pairs } = deps.strategies.settingsOf(doc);
  return dataEnd(deps, pairs, timeframe);
}

export function presetMessage(deps: HandlerDeps, doc: StrategyDoc): OutgoingMessage {
  const id = doc._id.toString();
  const endDay = strategyDataEnd(deps, doc) ?? new Date();
  const end = new Date(Date.UTC(endDay.getUTCFullYear(), endDay.getUTCMonth(), endDay.getUTCDate()));
  return {
    text: `Backtest ${doc.name} over which period? (ending ${end.toISOString().slice(0, 10)})`,
    buttons: [
      ...PRESETS.map(([label, days]) => ({
        label,
        action: encodeAction({
          name: 'backtest',
          strategyId: id,
          timerange: `${ymd(new Date(end.getTime() - days * DAY_MS))}-${ymd(end)}`,
        }),
      })),
      { label: 'Custom', action: encodeAction({ name: 'askTimerange', strategyId: id }) },
    ],
  };
}

/** The Custom button's answer: how to type a range, and where the data ends. */
export function customTimerangeMessage(deps: HandlerDeps, doc: StrategyDoc): OutgoingMessage {
  const end = strategyDataEnd(deps, doc);
  return {
    text: `Type the range as: /backtest ${doc.name} YYYYMMDD-YYYYMMDD${end ? ` (data up to ${ymd(end)})` : ''}`,
  };
}
