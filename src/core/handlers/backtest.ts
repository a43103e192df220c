// Backtest requests from commands, buttons and the agent: by name with a period in words or dates, from
// the preset buttons (ending where the market data ends), or again with a finished run's settings.
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
import type { StrategyDoc } from '../../storage/models.ts';
import { encodeAction } from '../actions.ts';
import { requireSandboxFor } from '../sandbox.ts';
import type { OutgoingMessage } from '../types.ts';
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
) {
  if (timerange === undefined) return queueBacktest(deps, ctx, doc, undefined, pairs, kind);
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
  const queued = await queueBacktest(deps, ctx, doc, range.text, pairs, kind);
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
  kind: BacktestKind = 'backtest',
): Promise<OutgoingMessage[]> {
  // Code a person pasted runs only where the engine isolates it; stored before, it still may not run here.
  if (isCustom(doc)) await requireSandboxFor({ backtest: doc.name }, deps.sandbox);
  await deps.strategies.touch(ctx.ownerId, doc._id);
  const { backtest: bt, created } = await deps.backtests.request({
    ownerId: ctx.ownerId,
    strategy: doc,
    timerange,
    pairs,
    replyTo: ctx.address,
    correlationId: ctx.correlationId,
    kind,
  });
  // A robustness report is queued and followed like a backtest, under its own name and button.
  const label = kind === 'robustness' ? 'robustness report' : 'backtest';
  const again = kind === 'robustness' ? 'robust' : 'rerun';
  const what = `${doc.name} ${bt.timerange} on ${bt.pairs.join(', ')} (${bt.timeframe})`;
  // Joining a run already under way: a plain sentence, no progress key. A "queued" state for a run that
  // is already "running" would be dropped as stale by every adapter, and the user would get no reply.
  if (!created) {
    return [{ text: `A ${label} of ${what} is already ${bt.status}; its result will be posted here.` }];
  }
  // Counted in the order workers take runs (round-robin across users); 1 starts as a slot frees.
  const position = await deps.backtests.queuePosition(bt._id.toString()).catch(() => null);
  const place = position !== null && position > 1 ? ` Position ${position} in the queue.` : '';
  return [
    {
      text: `${label[0]?.toUpperCase()}${label.slice(1)} of ${what}: queued.${place}`,
      progress: { key: bt._id.toString(), state: 'queued' },
      buttons: [
        {
          label: 'Run again',
          action: encodeAction({ name: again, backtestId: bt._id.toString() }),
          disabled: true,
        },
      ],
    },
  ];
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
