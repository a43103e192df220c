// Tools about strategies themselves: create, show, list, delete (proposed; carried out on Confirm).
import { randomBytes } from 'node:crypto';
import type { AgentActions, AgentContext, StrategyRef } from '../../src/core/ports.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { isAppError } from '../../src/errors.ts';
import type { ToolOutcome, ToolTurn } from './types.ts';

export const NO_STRATEGIES =
  'You have no strategies yet. Describe one, for example: BTC SMA 20/50 cross on 1h.';

/** A short random key for the Confirm/Cancel buttons (fits the 64-byte button payload). */
export const questionKey = () => randomBytes(6).toString('base64url');

/** A strategy a request is about; `note` says which one "it" now means when that changed under it. */
export type Target = StrategyRef & { note?: string };

/** What "it" is taken to mean once the strategy it meant is gone: said, never silently assumed. */
async function instead(actions: AgentActions, turn: ToolTurn, why: string): Promise<Target | null> {
  const recent = await actions.find(turn.ctx, null);
  if (!recent) return null;
  return { ...recent, note: `${why}, so I take "it" to mean ${recent.name}, your most recent strategy.` };
}

/**
 * The strategy a request is about: the one named, else the one the conversation last talked about,
 * else the user's most recent. When "it" meant a strategy that is gone (deleted here or elsewhere), the
 * most recent one is taken with a note that says so.
 */
export async function resolveTarget(
  actions: AgentActions,
  turn: ToolTurn,
  name: string | null,
): Promise<Target | null> {
  if (name) return actions.find(turn.ctx, name);
  if (turn.focus) {
    const focus = turn.focus;
    try {
      return await actions.find(turn.ctx, focus);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'NOT_FOUND') throw err;
      return instead(actions, turn, `${focus} no longer exists`);
    }
  }
  if (turn.gone) return instead(actions, turn, `${turn.gone} was deleted`);
  return actions.find(turn.ctx, null);
}

/** The target's note, if any, before the replies about it. */
export const noted = (target: Target, replies: OutgoingMessage[]): OutgoingMessage[] =>
  target.note ? [{ text: target.note }, ...replies] : replies;

export async function createTool(
  actions: AgentActions,
  ctx: AgentContext,
  description: string,
): Promise<ToolOutcome> {
  const created = await actions.create(ctx, description);
  return { replies: created.messages, focus: created.name };
}

export async function showTool(
  actions: AgentActions,
  turn: ToolTurn,
  name: string | null,
): Promise<ToolOutcome> {
  const target = await resolveTarget(actions, turn, name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  return { replies: noted(target, await actions.show(turn.ctx, target.name)), focus: target.name };
}

export async function deleteTool(
  actions: AgentActions,
  turn: ToolTurn,
  name: string | null,
): Promise<ToolOutcome> {
  const target = await resolveTarget(actions, turn, name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  return {
    replies: noted(target, []),
    focus: target.name,
    pending: {
      kind: 'delete',
      key: questionKey(),
      id: target.id,
      name: target.name,
      version: target.version,
      askedAt: Date.now(),
    },
  };
}
