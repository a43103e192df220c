// Runs the turn's intent through the typed tools; small talk is answered here. A proposal for a
// destructive change is left in `pending` for the confirm node.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { offlineFallback } from '../intent/unclear.ts';
import type { State } from '../state.ts';
import type { AgentTools } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

const MODEL_DOWN =
  'The language model is not answering right now, so I can only follow plain requests such as ' +
  '"backtest it last 6 months", "show it", "make the stop 3%" or a strategy description. Please try again later.';

function lastText(state: State): string {
  const last = state.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

export function createActNode(deps: { tools: AgentTools; turns: TurnRegistry; hasModel: boolean }) {
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    const intent = state.intent;
    if (!intent || intent.tool === 'smalltalk') {
      const reply = intent?.tool === 'smalltalk' ? intent.args.reply : null;
      turn.replies.push({ text: reply ?? (deps.hasModel ? MODEL_DOWN : offlineFallback(lastText(state))) });
      return { pending: null };
    }
    const outcome = await deps.tools.run(intent, {
      ctx: turn.ctx,
      focus: state.focus ?? null,
      gone: state.gone ?? null,
    });
    turn.replies.push(...outcome.replies);
    const moved = outcome.focus !== undefined && outcome.focus !== null;
    return {
      focus: outcome.focus === undefined ? (state.focus ?? null) : outcome.focus,
      gone: moved ? null : (state.gone ?? null),
      pending: outcome.pending ?? null,
    };
  };
}
