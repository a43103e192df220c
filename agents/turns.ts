// Per-turn context that must not go into the checkpoint: who is asking (ids, chat address) and the
// messages produced so far. Nodes find their turn through `turn_id` in the run's configurable.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { AgentContext } from '../src/core/ports.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { AppError } from '../src/errors.ts';

export type Turn = { ctx: AgentContext; replies: OutgoingMessage[]; modelFailed: boolean };

export type TurnRegistry = {
  open(ctx: AgentContext): Turn;
  close(ctx: AgentContext): void;
  of(config: LangGraphRunnableConfig): Turn;
};

export function createTurnRegistry(): TurnRegistry {
  const turns = new Map<string, Turn>();
  return {
    open(ctx) {
      const turn: Turn = { ctx, replies: [], modelFailed: false };
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
