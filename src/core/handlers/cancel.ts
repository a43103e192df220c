// /cancel and the Cancel button on a backtest's progress message: stop one of the trader's queued or
// running backtests. `/cancel` alone takes the latest one, `/cancel <name>` the latest of that
// strategy, as /backtest and /show name strategies. The progress message, wherever the backtest was
// started, says "cancelled"; that is its final state, and a run that finished first keeps its own.
import type { BacktestDoc } from '../../storage/models.ts';
import { backtestWhat, cancelledMessage, runName } from '../backtest-messages.ts';
import type { ChatAddress, OutgoingMessage } from '../types.ts';
import type { HandlerCtx, HandlerDeps } from './deps.ts';

type Reply = Promise<OutgoingMessage[]>;

const ENDED: Record<string, string> = {
  succeeded: 'has already finished; its result is posted',
  failed: 'has already failed',
  cancelled: 'was already cancelled',
};

const sameChat = (a: ChatAddress, b: ChatAddress) =>
  a.platform === b.platform &&
  a.conversationId === b.conversationId &&
  (a.threadId ?? null) === (b.threadId ?? null);

/** Cancels one backtest of the asker's; `confirm` adds a sentence to the edited progress message. */
async function cancelOne(deps: HandlerDeps, ctx: HandlerCtx, id: string, confirm: boolean): Reply {
  const { cancelled, backtest } = await deps.backtests.cancel(ctx.ownerId, id);
  if (!cancelled) {
    const how = ENDED[backtest.status];
    // Still queued or running as read: its run recorded its end a moment before, not yet its status.
    if (!how)
      return [
        {
          text: `The ${runName(backtest)} of ${backtestWhat(backtest)} ended as you cancelled it; its own message says how.`,
        },
      ];
    return [{ text: `The ${runName(backtest)} of ${backtestWhat(backtest)} ${how}; nothing to cancel.` }];
  }
  const final = cancelledMessage(backtest);
  const said: OutgoingMessage = { text: `Cancelled the ${runName(backtest)} of ${backtestWhat(backtest)}.` };
  // The progress message lives in the chat the backtest was started from: edited there, from anywhere.
  const replyTo: ChatAddress = backtest.replyTo;
  if (sameChat(ctx.address, replyTo) || !deps.notifier) return confirm ? [final, said] : [final];
  await deps.notifier.notify(replyTo, final);
  return [said];
}

export function cancelButton(deps: HandlerDeps, ctx: HandlerCtx, backtestId: string): Reply {
  return cancelOne(deps, ctx, backtestId, false);
}

const CANCEL_TEXT =
  /^(?:please\s+)?(?:cancel|stop|abort|kill)\s+(?:my|the|this|that)?\s*(?:latest\s+|last\s+|current\s+|running\s+|queued\s+)?(?:backtest|optimi[sz]ation|robustness\s+report|report)(?:\s+(?:of|for)\s+([a-z0-9][a-z0-9-]*))?(?:\s+please)?\s*[.!]*$/i;

/**
 * "cancel my backtest", "stop the backtest of btc-sma-20-50-1h" typed as text: the /cancel arguments
 * ('' for the latest), or null when the text asks something else (the agent answers it).
 */
export function cancelRequest(text: string): string | null {
  const match = CANCEL_TEXT.exec(text.trim());
  return match ? (match[1] ?? '') : null;
}

export async function cancelCommand(deps: HandlerDeps, ctx: HandlerCtx, args: string): Reply {
  const name = args.trim();
  const strategy = name ? await deps.strategies.getByName(ctx.ownerId, name) : null;
  const live: BacktestDoc[] = await deps.backtests.live(ctx.ownerId, strategy?._id);
  const [latest, ...others] = live;
  if (!latest) {
    const none = strategy
      ? `No backtest of ${strategy.name} is queued or running.`
      : 'You have no backtest queued or running.';
    return [{ text: none }];
  }
  const replies = await cancelOne(deps, ctx, latest._id.toString(), true);
  if (others.length === 0) return replies;
  const left = others.map((b) => `- ${backtestWhat(b)}: ${b.status}`).join('\n');
  const again = strategy ? `/cancel ${strategy.name}` : '/cancel';
  return [...replies, { text: `Still going:\n${left}\nSend ${again} again to cancel the next one.` }];
}
