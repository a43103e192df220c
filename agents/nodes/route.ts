// Routing: the model picks typed tools (tool calling, agents/nodes/route-model.ts) when one is
// configured; the offline classifier decides when there is none, or when the model errors, times out or
// answers something unusable. A chat answer of the model's may not state numbers of its own (in digits
// or words): one that does is replaced, unless the user typed them or the bot states them itself (its
// timeframes, pairs, limits, help).
import { SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Logger } from 'pino';
import { comparisonsWithHolding } from '../explain/comparisons.ts';
import { numbersNotIn, type StatedFacts } from '../explain/grounding.ts';
import { classifyIntent } from '../intent/classify.ts';
import type { Intent, ToolIntent } from '../intent/schema.ts';
import type { AgentModel } from '../model.ts';
import { ROUTE_SYSTEM } from '../prompts.ts';
import type { State } from '../state.ts';
import type { ToolDefinition } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';
import { routeWithModel } from './route-model.ts';

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

export function createRouteNode(deps: {
  model: AgentModel | undefined;
  definitions: ToolDefinition[];
  turns: TurnRegistry;
  logger: Logger;
  /** What the bot states itself (timeframes, pairs, limits, its help): a chat answer may repeat it. */
  stated: StatedFacts;
}) {
  // Bound once: binding makes a new chat model, and with it a new HTTP client, every time.
  const router = deps.model?.chat.bindTools?.(deps.definitions);
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    const log = deps.logger.child({ correlationId: turn.ctx.correlationId });
    let intent: Intent | null = null;
    let queued: ToolIntent[] = [];
    if (deps.model && router) {
      const focus = state.focus ? `\nThe strategy being discussed: ${state.focus}.` : '';
      try {
        const routed = await routeWithModel({
          router,
          retries: deps.model.retries,
          messages: [new SystemMessage(ROUTE_SYSTEM + focus), ...state.messages.slice(-HISTORY)],
          log,
        });
        if (routed.kind === 'tools') [intent = null, ...queued] = routed.intents;
        else if (routed.kind === 'chat') intent = { tool: 'smalltalk', args: { reply: routed.reply } };
        else if (routed.kind === 'unreadable') turn.modelFailure = 'unreadable';
        else log.warn('model answer unusable; offline routing');
      } catch (err) {
        log.warn({ err }, 'model routing failed; offline routing');
      }
      if (!intent) turn.modelFailure ??= 'down';
    } else if (deps.model) {
      turn.modelFailure = 'down';
    }
    const text = lastHumanText(state);
    if (intent?.tool === 'smalltalk' && intent.args.reply) {
      // A chat reply has no backtest's figures at hand: numbers the user didn't give, and any comparison
      // with holding ("yes, it comfortably beat buy and hold"), are the model's own.
      const invented = [
        ...numbersNotIn(intent.args.reply, text, deps.stated),
        ...comparisonsWithHolding(intent.args.reply),
      ];
      if (invented.length > 0) {
        log.warn({ invented }, 'model chat answer states numbers or comparisons of its own; offline reply');
        const offline = classifyIntent(text);
        // Small talk the offline classifier answers itself ("thanks") keeps that answer.
        intent =
          offline.tool === 'smalltalk'
            ? { tool: 'smalltalk', args: { reply: offline.args.reply ?? NO_OWN_FIGURES } }
            : offline;
      }
    }
    return { intent: intent ?? classifyIntent(text), queued };
  };
}
