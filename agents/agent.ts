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

// Checkpoint once per run (at its end or at an interrupt), not after every step: a turn that dies midway
// is lost either way, and each write costs a round trip (a collection scan on the embedded FerretDB).
type RunConfig = { configurable: { thread_id: string; turn_id: string }; durability: 'exit' };

function questionOf(interrupts: { value?: unknown }[]) {
  for (const i of interrupts) {
    const q = QuestionSchema.safeParse(i.value);
    if (q.success) return q.data;
  }
  return null;
}

async function pendingQuestion(graph: AgentGraph, config: RunConfig) {
  const snapshot = await graph.getState(config);
  return questionOf(snapshot.tasks.flatMap((task) => task.interrupts));
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

  /**
   * Runs `fn` with the turn registered; returns its replies plus the question its last graph run left
   * waiting, if any (read from the run's output, which saves reading the checkpoint back).
   */
  async function inTurn(ctx: AgentContext, threadId: string, fn: (config: RunConfig) => Promise<unknown>) {
    const turn = turns.open(ctx);
    const config: RunConfig = {
      configurable: { thread_id: threadId, turn_id: ctx.correlationId },
      durability: 'exit',
    };
    try {
      const output = await fn(config);
      const question = graph.isInterrupted(output) ? questionOf(output.__interrupt__) : null;
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
          const resumed = await resumeWith(config, { key: waiting.key, approve: answer === 'yes' });
          if (answer !== null) return resumed;
        }
        return graph.invoke({ messages: [new HumanMessage(turn.text)], intent: null, pending: null }, config);
      });
    },
    resume(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config) => {
        const waiting = await pendingQuestion(graph, config);
        if (!waiting || waiting.key !== turn.key) {
          throw new AppError('BAD_INPUT', 'That question has expired; nothing was changed.');
        }
        return resumeWith(config, { key: turn.key, approve: turn.approve });
      });
    },
  };
}
