// Command and button handlers. Each returns neutral messages; the conversation core owns errors.

import type { Types } from 'mongoose';
import { BacktestSummarySchema } from '../../backtest/summary.ts';
import { AppError } from '../../errors.ts';
import type { BacktestService } from '../../services/backtests.ts';
import type { MarketCatalog } from '../../services/market-catalog.ts';
import { isCustom, type StrategyService } from '../../services/strategies.ts';
import type { BacktestDoc, StrategyDoc } from '../../storage/models.ts';
import { type ButtonAction, encodeAction } from '../button-codec.ts';
import {
  brokenStrategyMessage,
  olderVersion,
  type StrategyView,
  strategyMessage,
  summaryLine,
} from '../cards.ts';
import { COMMANDS, parseBacktestArgs } from '../commands.ts';
import { type DraftProgressDeps, withDraftProgress } from '../draft-progress.ts';
import type { SpecDrafter } from '../ports.ts';
import { sandboxHelpLine } from '../sandbox.ts';
import type { ChatAddress, OutgoingMessage } from '../types.ts';
import { customRangeMessage, presetMessage, queueBacktest } from './backtest.ts';
import { compare } from './compare.ts';
import { diffStrategy } from './diff.ts';
import { applyEdit, editMessage } from './edit.ts';
import { confirmImport, type ImportDeps } from './import.ts';

export type HandlerDeps = {
  strategies: StrategyService;
  backtests: BacktestService;
  drafter: SpecDrafter;
  catalog: MarketCatalog;
  /** Draws the strategies' equity curves overlaid, for /compare. */
  compareChart?: (series: { name: string; equity: unknown }[]) => Promise<Uint8Array>;
} & ImportDeps &
  DraftProgressDeps;
export type HandlerCtx = {
  ownerId: Types.ObjectId;
  address: ChatAddress;
  correlationId: string;
  /** The platform opens forms (modals); otherwise the core asks field by field. */
  forms?: boolean;
};

const SUGGESTIONS = [
  'Create a BTC SMA 20/50 cross strategy on 1h with a 5% stop',
  'Buy ETH when RSI(14) is below 30, sell above 70 on 4h',
];

/** The command list; on a machine without the OS sandbox, a line saying what that means. */
export function helpMessage(deps: Pick<HandlerDeps, 'sandbox'>, greeting?: string): OutgoingMessage {
  const lines = COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''} - ${c.description}`);
  const sandbox = sandboxHelpLine(deps.sandbox);
  return {
    text: [
      greeting ?? 'I turn trading ideas into Freqtrade strategies and backtest them.',
      '',
      ...lines,
      '',
      'Or just describe a strategy, for example: "BTC SMA 20/50 cross on 1h with a 5% stop".',
      ...(sandbox ? ['', sandbox] : []),
    ].join('\n'),
    buttons: SUGGESTIONS.map((text) => ({ label: text, action: encodeAction({ verb: 'say', text }) })),
  };
}

export function view(doc: StrategyDoc, strategies: StrategyService): StrategyView {
  return {
    id: doc._id.toString(),
    name: doc.name,
    version: doc.version,
    description: doc.description,
    ...strategies.settingsOf(doc),
    spec: isCustom(doc) ? null : strategies.specOf(doc),
    className: doc.className,
  };
}

export async function createFromDescription(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  description: string,
): Promise<{ name: string; messages: OutgoingMessage[] }> {
  if (!description.trim()) {
    throw new AppError(
      'BAD_COMMAND',
      'Describe the strategy after /new, for example: /new BTC SMA 20/50 cross on 1h with a 5% stop',
    );
  }
  // A model draft can take tens of seconds: the chat sees its progress, closed before the card goes out.
  const { doc, note } = await withDraftProgress(
    deps,
    ctx,
    async (onProgress) => {
      const draft = await deps.drafter.draft(description, { correlationId: ctx.correlationId, onProgress });
      const spec = draft.spec;
      const created = await deps.strategies.create(ctx.ownerId, { name: draft.name, spec, description });
      return { doc: created, note: draft.note ? ` ${draft.note}` : '' };
    },
    (made) => made.doc.name,
  );
  const msg = strategyMessage(view(doc, deps.strategies));
  msg.text = `Created ${doc.name}.${note} Backtest it with /backtest ${doc.name} or the button below.`;
  msg.code = { language: 'python', content: doc.code, filename: `${doc.className}.py` };
  return { name: doc.name, messages: [msg] };
}

export async function listStrategies(deps: HandlerDeps, ctx: HandlerCtx): Promise<OutgoingMessage[]> {
  const docs = await deps.strategies.list(ctx.ownerId);
  if (docs.length === 0) return [helpMessage(deps, 'You have no strategies yet.')];
  const lines = docs.map((d) => {
    // One strategy whose stored spec no longer reads must not hide the others.
    if (deps.strategies.storedProblem(d) !== undefined)
      return `- ${d.name} (v${d.version}, stored spec needs attention: use /show ${d.name} or /delete ${d.name})`;
    const { timeframe, pairs } = deps.strategies.settingsOf(d);
    const custom = isCustom(d) ? ', custom code' : '';
    return `- ${d.name} (v${d.version}, ${timeframe}, ${pairs.join(', ')}${custom})`;
  });
  return [
    {
      text: `Your strategies:\n${lines.join('\n')}`,
      buttons: docs.slice(0, 5).map((d) => ({
        label: d.name,
        action: encodeAction({ verb: 'show', strategyId: d._id.toString() }),
      })),
    },
  ];
}

/** The latest backtest in one line, naming its version when it is not the strategy's current one. */
function latestLine(bt: BacktestDoc | null, currentVersion: number): string | undefined {
  if (!bt) return undefined;
  const older = olderVersion({ run: bt.strategyVersion, current: currentVersion });
  const run = older ? `${older}, ${bt.timerange}` : bt.timerange;
  if (bt.status === 'succeeded') {
    const parsed = BacktestSummarySchema.safeParse(bt.summary);
    return parsed.success ? `${run}: ${summaryLine(parsed.data)}` : undefined;
  }
  if (bt.status === 'failed') return `${run}: failed - ${bt.error?.message ?? 'unknown error'}`;
  return `${run}: ${bt.status}`;
}

export async function showDoc(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  doc: StrategyDoc,
): Promise<OutgoingMessage[]> {
  await deps.strategies.touch(ctx.ownerId, doc._id);
  const problem = deps.strategies.storedProblem(doc);
  if (problem !== undefined) {
    return [brokenStrategyMessage({ id: doc._id.toString(), name: doc.name, version: doc.version }, problem)];
  }
  const latest = await deps.backtests.latestFor(ctx.ownerId, doc._id);
  return [strategyMessage(view(doc, deps.strategies), latestLine(latest, doc.version))];
}

function confirmDelete(doc: StrategyDoc): OutgoingMessage {
  const id = doc._id.toString();
  return {
    text: `Delete ${doc.name}? This cannot be undone.`,
    buttons: [
      {
        label: `Delete ${doc.name}`,
        action: encodeAction({ verb: 'delok', strategyId: id }),
        style: 'danger',
      },
      { label: 'Keep it', action: encodeAction({ verb: 'cancel' }) },
    ],
  };
}

export async function runCommand(deps: HandlerDeps, ctx: HandlerCtx, name: string, args: string) {
  switch (name) {
    case 'help':
    case 'start':
      return [helpMessage(deps)];
    case 'new':
      return (await createFromDescription(deps, ctx, args)).messages;
    case 'strategies':
    case 'list':
      return listStrategies(deps, ctx);
    case 'show':
      return showDoc(deps, ctx, await deps.strategies.getByName(ctx.ownerId, args));
    case 'backtest': {
      const parsed = parseBacktestArgs(args);
      if (!parsed) throw new AppError('BAD_COMMAND', 'Usage: /backtest <name> [YYYYMMDD-YYYYMMDD] [pairs]');
      const doc = await deps.strategies.getByName(ctx.ownerId, parsed.name);
      return queueBacktest(deps, ctx, doc, parsed.timerange, parsed.pairs);
    }
    case 'delete':
      return [confirmDelete(await deps.strategies.getByName(ctx.ownerId, args))];
    case 'edit':
      return [editMessage(deps, await deps.strategies.getByName(ctx.ownerId, args))];
    case 'compare':
      return compare(deps, ctx, args);
    case 'diff':
      return diffStrategy(deps, ctx, args);
    default:
      throw new AppError(
        'BAD_COMMAND',
        `I don't know the command /${name}. Type /help to see what I can do.`,
      );
  }
}

export async function runAction(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  action: Exclude<ButtonAction, { verb: 'say' | 'agok' | 'agno' }>,
): Promise<OutgoingMessage[]> {
  switch (action.verb) {
    case 'help':
      return [helpMessage(deps)];
    case 'list':
      return listStrategies(deps, ctx);
    case 'cancel':
      return [{ text: 'Cancelled; nothing was changed.' }];
    case 'show':
      return showDoc(deps, ctx, await deps.strategies.getById(ctx.ownerId, action.strategyId));
    case 'code': {
      const doc = await deps.strategies.getById(ctx.ownerId, action.strategyId);
      return [
        {
          text: `${doc.name} v${doc.version}`,
          code: { language: 'python', content: doc.code, filename: `${doc.className}.py` },
        },
      ];
    }
    case 'bt': {
      const doc = await deps.strategies.getById(ctx.ownerId, action.strategyId);
      if (!action.timerange) return [presetMessage(deps, doc)];
      return queueBacktest(deps, ctx, doc, action.timerange, undefined);
    }
    case 'btask':
      return [customRangeMessage(deps, await deps.strategies.getById(ctx.ownerId, action.strategyId))];
    case 'edit':
    case 'editok':
      return [editMessage(deps, await deps.strategies.getById(ctx.ownerId, action.strategyId))];
    case 'impok':
      return confirmImport(deps, ctx, action.importId);
    case 'del':
      return [confirmDelete(await deps.strategies.getById(ctx.ownerId, action.strategyId))];
    case 'rerun': {
      const bt = await deps.backtests.getOwned(ctx.ownerId, action.backtestId);
      const doc = await deps.strategies.getById(ctx.ownerId, bt.strategyId.toString());
      return queueBacktest(deps, ctx, doc, bt.timerange, bt.pairs);
    }
    case 'delok':
      return deleteStrategy(deps, ctx, action.strategyId);
  }
}

/** Deletes a strategy the user confirmed, cancelling its queued backtests. */
export async function deleteStrategy(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  id: string,
): Promise<OutgoingMessage[]> {
  const doc = await deps.strategies.remove(ctx.ownerId, id);
  const cancelled = await deps.backtests.cancelQueued(ctx.ownerId, doc._id);
  const note = cancelled > 0 ? ` Cancelled ${cancelled} queued backtest${cancelled > 1 ? 's' : ''}.` : '';
  return [{ text: `Deleted ${doc.name}.${note}` }];
}

/** A submitted form. Forms are built by the core, so an unknown submit action is a stale form. */
export async function runForm(
  deps: HandlerDeps,
  ctx: HandlerCtx,
  action: ButtonAction,
  values: Record<string, string>,
): Promise<OutgoingMessage[]> {
  switch (action.verb) {
    case 'editok':
      return applyEdit(deps, ctx, action.strategyId, values);
    default:
      throw new AppError('BAD_INPUT', 'That form has expired. Open it again.');
  }
}
