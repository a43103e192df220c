// The strategy commands and buttons: create from a description, list, show (with the latest result),
// show the code, and delete after asking.
import { AppError } from '../../errors.ts';
import type { BacktestRecord } from '../../services/backtest-record.ts';
import type { StrategyService } from '../../services/strategies.ts';
import { isCustom } from '../../services/strategy-docs.ts';
import type { StrategyDoc } from '../../storage/models.ts';
import { encodeAction } from '../actions.ts';
import {
  brokenStrategyMessage,
  olderVersion,
  type StrategyView,
  strategyMessage,
  summaryLine,
} from '../cards.ts';
import { withDraftProgress } from '../draft-progress.ts';
import type { OutgoingMessage } from '../types.ts';
import { askerOf, type HandlerCtx, type HandlerDeps } from './deps.ts';
import { helpMessage } from './help.ts';

export function view(doc: StrategyDoc, strategies: StrategyService): StrategyView {
  return {
    id: doc._id.toString(),
    name: doc.name,
    version: doc.version,
    description: doc.description,
    ...strategies.settingsOf(doc),
    spec: isCustom(doc) ? null : strategies.specOf(doc),
    className: doc.className,
    ...(doc.assumptions?.length ? { assumptions: doc.assumptions } : {}),
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
  await deps.quotas?.checkStrategy(ctx.ownerId, askerOf(ctx));
  // A model draft can take tens of seconds: the chat sees its progress, closed before the card goes out.
  const { doc, note } = await withDraftProgress(
    deps,
    ctx,
    async (onProgress) => {
      const draft = await deps.drafter.draft(description, { correlationId: ctx.correlationId, onProgress });
      const spec = draft.spec;
      const created = await deps.strategies.create(
        ctx.ownerId,
        { name: draft.name, spec, description, assumptions: draft.assumptions ?? [] },
        askerOf(ctx),
      );
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
        action: encodeAction({ name: 'show', strategyId: d._id.toString() }),
      })),
    },
  ];
}

/**
 * The latest backtest in one line, naming its version when it is not the strategy's current one and
 * its pairs when they are not the strategy's (a run on another coin beside "Pairs BTC/USDT" misleads).
 */
function latestLine(
  bt: BacktestRecord | null,
  current: { version: number; pairs: string[] },
): string | undefined {
  if (!bt) return undefined;
  const older = olderVersion({ run: bt.strategyVersion, current: current.version });
  const samePairs =
    bt.pairs.length === current.pairs.length && bt.pairs.every((p) => current.pairs.includes(p));
  const run = [older, samePairs ? '' : bt.pairs.join(', '), bt.timerange].filter(Boolean).join(', ');
  if (bt.status === 'succeeded') {
    return bt.summary ? `${run}: ${summaryLine(bt.summary)}` : undefined;
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
  const shown = view(doc, deps.strategies);
  return [strategyMessage(shown, latestLine(latest, shown))];
}

export function confirmDelete(doc: StrategyDoc): OutgoingMessage {
  const yes = encodeAction({ name: 'deleteConfirm', strategyId: doc._id.toString() });
  const no = encodeAction({ name: 'cancel' });
  return {
    text: `Delete ${doc.name}? This cannot be undone.`,
    buttons: [
      { label: `Delete ${doc.name}`, action: yes, style: 'danger' },
      { label: 'Keep it', action: no },
    ],
    typedAnswers: { yes, no },
  };
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

/** The strategy's code as a file. */
export function showCode(doc: StrategyDoc): OutgoingMessage {
  return {
    text: `${doc.name} v${doc.version}`,
    code: { language: 'python', content: doc.code, filename: `${doc.className}.py` },
  };
}
