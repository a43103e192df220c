// Routing: the model picks a typed tool (tool calling) when one is configured; the offline classifier
// decides when there is none, or when the model errors, times out or answers something unusable. A chat
// answer of the model's may not state numbers of its own: one that does is replaced.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Logger } from 'pino';
import { numbersNotIn } from '../explain/grounding.ts';
import { classifyIntent } from '../intent/classify.ts';
import { type Intent, intentFromToolCall } from '../intent/schema.ts';
import { ROUTE_SYSTEM } from '../prompts.ts';
import type { State } from '../state.ts';
import type { ToolDefinition } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

/** Messages of the conversation the model sees when it routes a turn (the checkpoint keeps no more). */
export const HISTORY = 12;

/** Said instead of a chat answer that states numbers the user didn't. */
const NO_OWN_FIGURES =
  'I only quote figures from your own backtests, so I will not guess at numbers. Ask me to backtest a ' +
  'strategy ("backtest it last 6 months") and I will show its results, or say "help".';

function lastHumanText(state: State): string {
  const last = state.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

type Router = ReturnType<NonNullable<BaseChatModel['bindTools']>>;

async function modelIntent(router: Router, state: State): Promise<Intent | null> {
  const focus = state.focus ? `\nThe strategy being discussed: ${state.focus}.` : '';
  const ai = await router.invoke([
    new SystemMessage(ROUTE_SYSTEM + focus),
    ...state.messages.slice(-HISTORY),
  ]);
  const call = ai.tool_calls?.[0];
  if (call) return intentFromToolCall(call.name, call.args);
  if (ai.invalid_tool_calls?.length) return null;
  const reply = typeof ai.content === 'string' ? ai.content.trim() : '';
  return reply ? { tool: 'smalltalk', args: { reply } } : null;
}

export function createRouteNode(deps: {
  model: BaseChatModel | undefined;
  definitions: ToolDefinition[];
  turns: TurnRegistry;
  logger: Logger;
}) {
  // Bound once: binding makes a new chat model, and with it a new HTTP client, every time.
  const router = deps.model?.bindTools?.(deps.definitions);
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    let intent: Intent | null = null;
    if (deps.model) {
      try {
        intent = router ? await modelIntent(router, state) : null;
        if (!intent)
          deps.logger.warn(
            { correlationId: turn.ctx.correlationId },
            'model answer unusable; offline routing',
          );
      } catch (err) {
        deps.logger.warn(
          { err, correlationId: turn.ctx.correlationId },
          'model routing failed; offline routing',
        );
      }
      if (!intent) turn.modelFailed = true;
    }
    const text = lastHumanText(state);
    if (intent?.tool === 'smalltalk' && intent.args.reply) {
      const invented = numbersNotIn(intent.args.reply, text);
      if (invented.length > 0) {
        deps.logger.warn(
          { correlationId: turn.ctx.correlationId, invented },
          'model chat answer states numbers the user did not; offline reply',
        );
        const offline = classifyIntent(text);
        // Small talk the offline classifier answers itself ("thanks") keeps that answer.
        intent =
          offline.tool === 'smalltalk'
            ? { tool: 'smalltalk', args: { reply: offline.args.reply ?? NO_OWN_FIGURES } }
            : offline;
      }
    }
    return { intent: intent ?? classifyIntent(text) };
  };
}
