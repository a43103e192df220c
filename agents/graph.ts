// The LangGraph agent graph: route (model tool call or offline classifier) -> act (typed tools) ->
// confirm (interrupt before delete or a replaced spec) -> remember. Built by a factory from the model,
// the tools and the checkpointer; conversation state is checkpointed per chat thread.
import { AIMessage, RemoveMessage } from '@langchain/core/messages';
import {
  type BaseCheckpointSaver,
  END,
  type LangGraphRunnableConfig,
  START,
  StateGraph,
} from '@langchain/langgraph';
import type { Logger } from 'pino';
import type { StatedFacts } from './explain/grounding.ts';
import type { AgentModel } from './model.ts';
import { createActNode } from './nodes/act.ts';
import { createConfirmNode } from './nodes/confirm.ts';
import { createRouteNode, HISTORY } from './nodes/route.ts';
import { AgentState, type State } from './state.ts';
import type { AgentTools } from './tools/types.ts';
import type { TurnRegistry } from './turns.ts';

/**
 * Messages kept in the checkpoint: what routing reads, no more. Without a cap every turn adds two, and
 * every checkpoint write and read carries (and (de)serializes) the whole conversation.
 */
const KEEP_MESSAGES = HISTORY;

export type AgentGraphDeps = {
  model: AgentModel | undefined;
  tools: AgentTools;
  checkpointer: BaseCheckpointSaver;
  turns: TurnRegistry;
  logger: Logger;
  stated: StatedFacts;
};

export function createAgentGraph(deps: AgentGraphDeps) {
  const { turns } = deps;
  return (
    new StateGraph(AgentState)
      .addNode(
        'route',
        createRouteNode({
          model: deps.model,
          definitions: deps.tools.definitions,
          turns,
          logger: deps.logger,
          stated: deps.stated,
        }),
      )
      .addNode('act', createActNode({ tools: deps.tools, turns, hasModel: deps.model !== undefined }))
      .addNode('confirm', createConfirmNode({ tools: deps.tools, turns }))
      // The history keeps a short record of what the bot answered, for the model's next turn, and drops
      // the oldest messages beyond the cap.
      .addNode('remember', (s: State, config: LangGraphRunnableConfig) => {
        const text = turns
          .of(config)
          .replies.map((r) => r.text)
          .join('\n')
          .slice(0, 1000);
        const dropped = s.messages
          .slice(0, Math.max(0, s.messages.length + 1 - KEEP_MESSAGES))
          .flatMap((m) => (m.id ? [new RemoveMessage({ id: m.id })] : []));
        return { messages: [...dropped, new AIMessage(text || '(no reply)')] };
      })
      .addEdge(START, 'route')
      .addEdge('route', 'act')
      .addConditionalEdges('act', (s: State) => (s.pending ? 'confirm' : 'remember'), ['confirm', 'remember'])
      .addEdge('confirm', 'remember')
      .addEdge('remember', END)
      .compile({ checkpointer: deps.checkpointer })
  );
}

export type AgentGraph = ReturnType<typeof createAgentGraph>;
