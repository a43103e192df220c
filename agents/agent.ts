// The conversational agent the core talks to: runs a turn through the graph, turns a pending question
// into a message with Confirm/Cancel buttons, and resumes the graph when a button is pressed or the user
// types an answer that fits the question. While a question waits, a clear new request cancels it and is
// then handled; anything unclear gets the question again. Questions expire after 10 minutes, and turns
// on one thread run one at a time.
import { HumanMessage } from '@langchain/core/messages';
import { type BaseCheckpointSaver, Command } from '@langchain/langgraph';
import type { Logger } from 'pino';
import { encodeAction } from '../src/core/actions.ts';
import type { AgentActions, AgentContext, ConversationAgent } from '../src/core/ports.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { AppError, isAppError } from '../src/errors.ts';
import { type BotFacts, statedFacts } from './facts.ts';
import { type AgentGraph, createAgentGraph } from './graph.ts';
import { readConfirmation } from './intent/answer.ts';
import { classifyIntent } from './intent/classify.ts';
import type { AgentModel } from './model.ts';
import { QUESTION_TTL_MS, type Question, QuestionSchema, type ResumeValue } from './state.ts';
import { createThreadLock } from './thread-lock.ts';
import { createAgentTools } from './tools/index.ts';
import { createTurnRegistry, type Turn } from './turns.ts';

export type AgentDeps = {
  model: AgentModel | undefined;
  checkpointer: BaseCheckpointSaver;
  actions: AgentActions;
  logger: Logger;
  /** Facts about the bot a chat answer may state (pairs, limits); timeframes and the help are known here. */
  facts?: BotFacts;
};

// Checkpoint once per run (at its end or at an interrupt), not after every step: a turn that dies midway
// is lost either way, and each write costs a round trip (a collection scan on the embedded FerretDB).
type RunConfig = { configurable: { thread_id: string; turn_id: string }; durability: 'exit' };

const ANSWERED = 'That question was already answered.';
const GONE = 'That question has expired; nothing was changed.';

function questionOf(interrupts: { value?: unknown }[]) {
  for (const i of interrupts) {
    const q = QuestionSchema.safeParse(i.value);
    if (q.success) return q.data;
  }
  return null;
}

/** The question waiting on this thread, if any, and the keys of the questions answered lately. */
async function threadState(graph: AgentGraph, config: RunConfig) {
  const snapshot = await graph.getState(config);
  const answered: unknown = snapshot.values?.answered;
  return {
    waiting: questionOf(snapshot.tasks.flatMap((task) => task.interrupts)),
    answered: Array.isArray(answered) ? answered.filter((k) => typeof k === 'string') : [],
  };
}

const expired = (q: Question) => Date.now() - q.askedAt > QUESTION_TTL_MS;

function questionMessage(q: { key: string; question: string }): OutgoingMessage {
  return {
    text: q.question,
    buttons: [
      { label: 'Confirm', action: encodeAction({ name: 'agentApprove', key: q.key }), style: 'danger' },
      { label: 'Cancel', action: encodeAction({ name: 'agentDecline', key: q.key }) },
    ],
  };
}

export function createAgent(deps: AgentDeps): ConversationAgent {
  const turns = createTurnRegistry();
  const locked = createThreadLock();
  const tools = createAgentTools({ actions: deps.actions, model: deps.model, logger: deps.logger });
  const graph = createAgentGraph({
    model: deps.model,
    tools,
    checkpointer: deps.checkpointer,
    turns,
    logger: deps.logger,
    stated: statedFacts(
      deps.facts,
      deps.actions.help().map((m) => m.text),
    ),
  });

  /**
   * Runs `fn` with the turn registered and the thread locked; returns its replies plus the question its
   * last graph run left waiting, if any (read from the run's output, which saves reading the checkpoint).
   */
  function inTurn(
    ctx: AgentContext,
    threadId: string,
    fn: (config: RunConfig, turn: Turn) => Promise<unknown>,
  ): Promise<OutgoingMessage[]> {
    return locked(threadId, async () => {
      const turn = turns.open(ctx);
      const config: RunConfig = {
        configurable: { thread_id: threadId, turn_id: ctx.correlationId },
        durability: 'exit',
      };
      try {
        const output = await fn(config, turn);
        const question = graph.isInterrupted(output) ? questionOf(output.__interrupt__) : null;
        return question ? [...turn.replies, questionMessage(question)] : turn.replies;
      } catch (err) {
        if (isAppError(err)) throw err;
        throw new AppError('INTERNAL', 'I could not handle that message. Please try again.', { cause: err });
      } finally {
        turns.close(ctx);
      }
    });
  }

  const resumeWith = (config: RunConfig, value: ResumeValue) =>
    graph.invoke(new Command({ resume: value }), config);

  return {
    respond(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config, current) => {
        const { waiting } = await threadState(graph, config);
        if (waiting) {
          const answer = readConfirmation(turn.text, waiting);
          if (expired(waiting)) {
            // A late yes or no is told the question is gone; other text just clears it and goes on.
            const resumed = await resumeWith(config, {
              key: waiting.key,
              approve: false,
              why: answer === null ? 'quiet' : 'expired',
            });
            if (answer !== null) return resumed;
          } else if (answer !== null) {
            return resumeWith(config, { key: waiting.key, approve: answer === 'yes' });
          } else if (classifyIntent(turn.text).tool === 'smalltalk') {
            // Not an answer and not a clear new request: ask again rather than guess.
            current.replies.push(questionMessage(waiting));
            return null;
          } else {
            await resumeWith(config, { key: waiting.key, approve: false });
          }
        }
        return graph.invoke({ messages: [new HumanMessage(turn.text)], intent: null, pending: null }, config);
      });
    },
    resume(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config) => {
        // Read under the lock: a press that waited behind another answer finds the question gone.
        const { waiting, answered } = await threadState(graph, config);
        if (!waiting || waiting.key !== turn.key) {
          throw new AppError('BAD_INPUT', answered.includes(turn.key) ? ANSWERED : GONE);
        }
        if (expired(waiting)) return resumeWith(config, { key: turn.key, approve: false, why: 'expired' });
        return resumeWith(config, { key: turn.key, approve: turn.approve });
      });
    },
    focusOn(turn, name) {
      const config = { configurable: { thread_id: turn.threadId } };
      // Under the thread's lock, so the next turn on this thread reads it.
      return locked(turn.threadId, async () => {
        const snapshot = await graph.getState(config);
        if (snapshot.values?.focus === name) return;
        // As if the graph's last node had set it: the next turn starts from the top with this focus.
        await graph.updateState(config, { focus: name, gone: null }, 'remember');
      }).catch((err: unknown) =>
        deps.logger.warn({ err, correlationId: turn.correlationId }, 'agent focus not saved'),
      );
    },
    cancelPending(turn) {
      const ctx = { ownerId: turn.ownerId, address: turn.address, correlationId: turn.correlationId };
      return inTurn(ctx, turn.threadId, async (config) => {
        const { waiting } = await threadState(graph, config);
        if (!waiting) return null;
        return resumeWith(config, {
          key: waiting.key,
          approve: false,
          why: expired(waiting) ? 'quiet' : 'answer',
        });
      });
    },
  };
}
