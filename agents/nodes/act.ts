// Runs the turn's intents through the typed tools, in order (the model may call several at once: "show it
// and backtest it"); small talk is answered here. A proposal for a destructive change is left in `pending`
// for the confirm node, and whatever was asked after it, or past the limit of calls a turn runs, or after
// a call that was refused, is named in a line as not done: nothing asked for disappears silently.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { isAppError } from '../../src/errors.ts';
import { describeIntent } from '../intent/describe.ts';
import type { ToolIntent } from '../intent/schema.ts';
import { offlineFallback } from '../intent/unclear.ts';
import type { Pending, State } from '../state.ts';
import type { AgentTools } from '../tools/types.ts';
import type { TurnRegistry } from '../turns.ts';

/** The most tool calls one message runs; a model asking for more is told which were left. */
const MAX_CALLS = 3;

const MODEL_DOWN =
  'The language model is not answering right now, so I can only follow plain requests such as ' +
  '"backtest it last 6 months", "show it", "make the stop 3%" or a strategy description. Please try again later.';

/** Said when the model's tool calls could not be read twice and the offline reader found no request. */
const UNREADABLE =
  "I couldn't make out what to do from that. Write it the way I also read without a model, for example " +
  '"backtest it last 6 months", "show it", "make the stop 3%", "why so few trades?" or a strategy ' +
  'description such as "BTC SMA 20/50 cross on 1h with a 5% stop", or type /help.';

function lastText(state: State): string {
  const last = state.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

function notDone(left: ToolIntent[], why: 'question' | 'refused' | 'limit'): string {
  const what = left.map(describeIntent).join('; ');
  if (why === 'question') return `Not done yet: ${what}. Answer the question first, then ask for it again.`;
  if (why === 'refused') return `Not done: ${what}, since the step before it could not be done.`;
  return `I do at most ${MAX_CALLS} things per message. Not done: ${what}. Ask for it again.`;
}

export function createActNode(deps: { tools: AgentTools; turns: TurnRegistry; hasModel: boolean }) {
  return async (state: State, config: LangGraphRunnableConfig) => {
    const turn = deps.turns.of(config);
    const intent = state.intent;
    if (!intent || intent.tool === 'smalltalk') {
      const reply = intent?.tool === 'smalltalk' ? intent.args.reply : null;
      const fallback =
        turn.modelFailure === 'unreadable'
          ? UNREADABLE
          : deps.hasModel
            ? MODEL_DOWN
            : offlineFallback(lastText(state));
      turn.replies.push({ text: reply ?? fallback });
      return { pending: null, queued: null };
    }
    const calls = [intent, ...(state.queued ?? [])];
    let focus = state.focus ?? null;
    let gone = state.gone ?? null;
    let pending: Pending | null = null;
    for (const [i, call] of calls.entries()) {
      if (i === MAX_CALLS) {
        turn.replies.push({ text: notDone(calls.slice(i), 'limit') });
        break;
      }
      let outcome: Awaited<ReturnType<AgentTools['run']>>;
      try {
        outcome = await deps.tools.run(call, { ctx: turn.ctx, focus, gone });
      } catch (err) {
        // One request alone: the core says the refusal. One of several: the earlier ones' answers stay.
        if (!isAppError(err) || calls.length === 1) throw err;
        turn.replies.push({ text: err.userMessage });
        if (i + 1 < calls.length) turn.replies.push({ text: notDone(calls.slice(i + 1), 'refused') });
        break;
      }
      turn.replies.push(...outcome.replies);
      const moved = outcome.focus !== undefined && outcome.focus !== null;
      if (outcome.focus !== undefined) focus = outcome.focus;
      if (moved) gone = null;
      if (outcome.pending) {
        pending = outcome.pending;
        if (i + 1 < calls.length) turn.replies.push({ text: notDone(calls.slice(i + 1), 'question') });
        break;
      }
    }
    return { focus, gone, pending, queued: null };
  };
}
