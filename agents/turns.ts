// Per-turn context that must not go into the checkpoint: who is asking (ids, chat address) and the
// messages produced so far. Nodes find their turn through `turn_id` in the run's configurable.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { AgentContext } from '../src/core/ports.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { AppError } from '../src/errors.ts';

/**
 * `modelFailure` says why the model did not route this turn: it failed to answer (`down`), or it answered
 * twice with tool calls that could not be read (`unreadable`).
 */
export type Turn = {
  ctx: AgentContext;
  replies: OutgoingMessage[];
  modelFailure: 'down' | 'unreadable' | null;
};

export type TurnRegistry = {
  open(ctx: AgentContext): Turn;
  close(ctx: AgentContext): void;
  of(config: LangGraphRunnableConfig): Turn;
};

export function createTurnRegistry(): TurnRegistry {
  const turns = new Map<string, Turn>();
  return {
    open(ctx) {
      const turn: Turn = { ctx, replies: [], modelFailure: null };
      turns.set(ctx.correlationId, turn);
      return turn;
    },
    close: (ctx) => {
      turns.delete(ctx.correlationId);
    },
    of(config) {
      const id = config.configurable?.turn_id;
      const turn = typeof id === 'string' ? turns.get(id) : undefined;
      if (!turn) {
        throw new AppError('INTERNAL', 'Something went wrong; please try again.', {
          detail: 'turn context lost',
        });
      }
      return turn;
    },
  };
}
