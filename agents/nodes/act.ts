// Runs the turn's intent through the typed tools; small talk is answered here. A proposal for a
// destructive change is left in `pending` for the confirm node.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { State } from '../state.ts';
import type { AgentTools } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

const OFFLINE_CHAT =
  'I can do that once a language model is configured (set OPENAI_API_KEY). Without one I understand strategy ' +
  'descriptions like "BTC SMA 20/50 cross on 1h with a 5% stop", "backtest it last 6 months", "make the stop 3%", ' +
  '"why so few trades?", "list my strategies" and the commands in /help.';
const MODEL_DOWN =
  'The language model is not answering right now, so I can only follow plain requests such as ' +
  '"backtest it last 6 months", "show it", "make the stop 3%" or a strategy description. Please try again later.';

export function createActNode(deps: { tools: AgentTools; turns: TurnRegistry; hasModel: boolean }) {
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    const intent = state.intent;
    if (!intent || intent.tool === 'smalltalk') {
      const reply = intent?.tool === 'smalltalk' ? intent.args.reply : null;
      turn.replies.push({ text: reply ?? (deps.hasModel ? MODEL_DOWN : OFFLINE_CHAT) });
      return { pending: null };
    }
    const outcome = await deps.tools.run(intent, { ctx: turn.ctx, focus: state.focus ?? null });
    turn.replies.push(...outcome.replies);
    return {
      focus: outcome.focus === undefined ? (state.focus ?? null) : outcome.focus,
      pending: outcome.pending ?? null,
    };
  };
}
