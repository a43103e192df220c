// Routing: the model picks a typed tool (tool calling) when one is configured; the offline classifier
// decides when there is none, or when the model errors, times out or answers something unusable.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Logger } from 'pino';
import { classifyIntent } from '../intent/classify.ts';
import { type Intent, intentFromToolCall } from '../intent/schema.ts';
import { ROUTE_SYSTEM } from '../prompts.ts';
import type { State } from '../state.ts';
import type { ToolDefinition } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

const HISTORY = 12;

function lastHumanText(state: State): string {
  const last = state.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

async function modelIntent(
  model: BaseChatModel,
  definitions: ToolDefinition[],
  state: State,
): Promise<Intent | null> {
  if (!model.bindTools) return null;
  const focus = state.focus ? `\nThe strategy being discussed: ${state.focus}.` : '';
  const ai = await model
    .bindTools(definitions)
    .invoke([new SystemMessage(ROUTE_SYSTEM + focus), ...state.messages.slice(-HISTORY)]);
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
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    let intent: Intent | null = null;
    if (deps.model) {
      try {
        intent = await modelIntent(deps.model, deps.definitions, state);
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
    return { intent: intent ?? classifyIntent(lastHumanText(state)) };
  };
}
