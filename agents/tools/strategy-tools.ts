// Tools about strategies themselves: create, show, list, delete (proposed; carried out on Confirm).
import { randomBytes } from 'node:crypto';
import type { AgentActions, AgentContext, StrategyRef } from '../../src/core/ports.ts';
import type { ToolOutcome, ToolTurn } from './types.ts';

export const NO_STRATEGIES =
  'You have no strategies yet. Describe one, for example: BTC SMA 20/50 cross on 1h.';

/** A short random key for the Confirm/Cancel buttons (fits the 64-byte button payload). */
export const questionKey = () => randomBytes(6).toString('base64url');

/**
 * The strategy a request is about: the one named, else the one the conversation last talked about,
 * else the user's most recent. A remembered name that no longer exists falls back to the most recent.
 */
export async function resolveTarget(
  actions: AgentActions,
  turn: ToolTurn,
  name: string | null,
): Promise<StrategyRef | null> {
  if (name) return actions.find(turn.ctx, name);
  if (turn.focus) return actions.find(turn.ctx, turn.focus).catch(() => actions.find(turn.ctx, null));
  return actions.find(turn.ctx, null);
}

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
  return { replies: await actions.show(turn.ctx, target.name), focus: target.name };
}

export async function deleteTool(
  actions: AgentActions,
  turn: ToolTurn,
  name: string | null,
): Promise<ToolOutcome> {
  const target = await resolveTarget(actions, turn, name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  return {
    replies: [],
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
