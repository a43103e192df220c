// The conversational agent the core talks to: runs a turn through the graph, turns a pending question
// into a message with Confirm/Cancel buttons, and resumes the graph when a button is pressed or the user
// types yes/no. Any other text while a question waits counts as "no" and is then handled as usual.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage } from '@langchain/core/messages';
import { type BaseCheckpointSaver, Command } from '@langchain/langgraph';
import type { Logger } from 'pino';
import { encodeAction } from '../src/core/button-codec.ts';
import type { AgentActions, AgentContext, ConversationAgent } from '../src/core/ports.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { AppError, isAppError } from '../src/errors.ts';
import { type AgentGraph, createAgentGraph } from './graph.ts';
import { readConfirmation } from './intent/answer.ts';
import { QuestionSchema, type ResumeValue } from './state.ts';
import { createAgentTools } from './tools/index.ts';
import { createTurnRegistry } from './turns.ts';

export type AgentDeps = {
  model: BaseChatModel | undefined;
  checkpointer: BaseCheckpointSaver;
  actions: AgentActions;
  logger: Logger;
};

type RunConfig = { configurable: { thread_id: string; turn_id: string } };

async function pendingQuestion(graph: AgentGraph, config: RunConfig) {
  const snapshot = await graph.getState(config);
  for (const task of snapshot.tasks) {
    for (const i of task.interrupts) {
      const q = QuestionSchema.safeParse(i.value);
      if (q.success) return q.data;
    }
  }
  return null;
}

function questionMessage(q: { key: string; question: string }): OutgoingMessage {
  return {
    text: q.question,
    buttons: [
      { label: 'Confirm', action: encodeAction({ verb: 'agok', key: q.key }), style: 'danger' },
      { label: 'Cancel', action: encodeAction({ verb: 'agno', key: q.key }) },
    ],
  };
}

export function createAgent(deps: AgentDeps): ConversationAgent {
  const turns = createTurnRegistry();
  const tools = createAgentTools({ actions: deps.actions, model: deps.model, logger: deps.logger });
  const graph = createAgentGraph({
    model: deps.model,
    tools,
    checkpointer: deps.checkpointer,
    turns,
    logger: deps.logger,
  });

  /** Runs `fn` with the turn registered; returns its replies plus the question it left waiting, if any. */
  async function inTurn(ctx: AgentContext, threadId: string, fn: (config: RunConfig) => Promise<void>) {
    const turn = turns.open(ctx);
    const config: RunConfig = { configurable: { thread_id: threadId, turn_id: ctx.correlationId } };
    try {
      await fn(config);
      const question = await pendingQuestion(graph, config);
      return question ? [...turn.replies, questionMessage(question)] : turn.replies;
    } catch (err) {
      if (isAppError(err)) throw err;
      throw new AppError('INTERNAL', 'I could not handle that message. Please try again.', { cause: err });
    } finally {
      turns.close(ctx);
    }
  }

  const resumeWith = (config: RunConfig, value: ResumeValue) =>
    graph.invoke(new Command({ resume: value }), config);

  return {
    respond(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config) => {
        const waiting = await pendingQuestion(graph, config);
        if (waiting) {
          const answer = readConfirmation(turn.text);
          await resumeWith(config, { key: waiting.key, approve: answer === 'yes' });
          if (answer !== null) return;
        }
        await graph.invoke({ messages: [new HumanMessage(turn.text)], intent: null, pending: null }, config);
      });
    },
    resume(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config) => {
        const waiting = await pendingQuestion(graph, config);
        if (!waiting || waiting.key !== turn.key) {
          throw new AppError('BAD_INPUT', 'That question has expired; nothing was changed.');
        }
        await resumeWith(config, { key: turn.key, approve: turn.approve });
      });
    },
  };
}
