// The LangGraph agent: classify the turn, then create / list / backtest / help / chat. Conversation
// state (messages, the strategy last talked about) is checkpointed per chat thread, so a restart of
// the bot loses nothing. Built by a factory from the model, the actions and the checkpointer.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import {
  Annotation,
  type BaseCheckpointSaver,
  END,
  type LangGraphRunnableConfig,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import type { Logger } from 'pino';
import type { AgentActions, AgentContext, ConversationAgent } from '../src/core/ports.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { AppError, isAppError } from '../src/errors.ts';
import { classifyIntent, type Intent } from './intent.ts';
import { CHAT_SYSTEM } from './prompts.ts';

const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  intent: Annotation<Intent | null>(),
  replies: Annotation<OutgoingMessage[]>(),
});
type State = typeof AgentState.State;

const HISTORY = 12;
const OFFLINE_CHAT =
  'I can do that once a language model is configured (set OPENAI_API_KEY). Without one I understand strategy ' +
  'descriptions like "BTC SMA 20/50 cross on 1h with a 5% stop", "backtest <name> 20240101-20240701", ' +
  '"list my strategies" and the commands in /help.';

export type AgentDeps = {
  model: BaseChatModel | undefined;
  checkpointer: BaseCheckpointSaver;
  actions: AgentActions;
  logger: Logger;
};

function summarise(replies: OutgoingMessage[]): string {
  return replies
    .map((r) => r.text)
    .join('\n')
    .slice(0, 1000);
}

export function createAgent(deps: AgentDeps): ConversationAgent {
  const turns = new Map<string, AgentContext>();
  const ctxOf = (config: LangGraphRunnableConfig): AgentContext => {
    const id = config.configurable?.turn_id;
    const ctx = typeof id === 'string' ? turns.get(id) : undefined;
    if (!ctx)
      throw new AppError('INTERNAL', 'Something went wrong; please try again.', {
        detail: 'turn context lost',
      });
    return ctx;
  };
  const lastText = (state: State): string => {
    const last = state.messages.at(-1);
    return typeof last?.content === 'string' ? last.content : '';
  };

  const graph = new StateGraph(AgentState)
    .addNode('classify', (state: State) => ({ intent: classifyIntent(lastText(state)) }))
    .addNode('help', () => ({ replies: deps.actions.help() }))
    .addNode('list', async (_s: State, config: LangGraphRunnableConfig) => ({
      replies: await deps.actions.list(ctxOf(config)),
    }))
    .addNode('create', async (state: State, config: LangGraphRunnableConfig) => {
      const created = await deps.actions.create(ctxOf(config), lastText(state));
      return { replies: created.messages };
    })
    .addNode('backtest', async (state: State, config: LangGraphRunnableConfig) => {
      // No name ("backtest it"): the strategy the user last created, showed or backtested, whatever the channel.
      const intent = state.intent?.kind === 'backtest' ? state.intent : null;
      const replies = await deps.actions.backtest(
        ctxOf(config),
        intent?.name ?? null,
        intent?.timerange ?? undefined,
      );
      return { replies };
    })
    .addNode('smalltalk', async (state: State) => {
      if (!deps.model) return { replies: [{ text: OFFLINE_CHAT }] };
      const answer = await deps.model.invoke([
        new SystemMessage(CHAT_SYSTEM),
        ...state.messages.slice(-HISTORY),
      ]);
      const text = typeof answer.content === 'string' ? answer.content : OFFLINE_CHAT;
      return { replies: [{ text: text || OFFLINE_CHAT }] };
    })
    .addNode('remember', (state: State) => ({ messages: [new AIMessage(summarise(state.replies))] }))
    .addEdge(START, 'classify')
    .addConditionalEdges('classify', (state: State) => state.intent?.kind ?? 'smalltalk', [
      'help',
      'list',
      'create',
      'backtest',
      'smalltalk',
    ])
    .addEdge('help', 'remember')
    .addEdge('list', 'remember')
    .addEdge('create', 'remember')
    .addEdge('backtest', 'remember')
    .addEdge('smalltalk', 'remember')
    .addEdge('remember', END)
    .compile({ checkpointer: deps.checkpointer });

  return {
    async respond(turn) {
      turns.set(turn.correlationId, {
        ownerId: turn.ownerId,
        address: turn.address,
        correlationId: turn.correlationId,
      });
      try {
        const out = await graph.invoke(
          { messages: [new HumanMessage(turn.text)], replies: [], intent: null },
          { configurable: { thread_id: turn.threadId, turn_id: turn.correlationId } },
        );
        return out.replies;
      } catch (err) {
        if (isAppError(err)) throw err;
        throw new AppError('INTERNAL', 'I could not handle that message. Please try again.', { cause: err });
      } finally {
        turns.delete(turn.correlationId);
      }
    },
  };
}
