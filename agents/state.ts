// The agent's checkpointed state: the conversation so far, the strategy it is about, what this turn asks
// for, and a change waiting for the user's confirmation. All of it is plain JSON in the checkpoint, so a
// restart loses nothing, a pending question included.
import { Annotation, MessagesAnnotation } from '@langchain/langgraph';
import { z } from 'zod';
import type { Intent, ToolIntent } from './intent/schema.ts';

/** How long a question may wait for its answer; after that a yes can't act on it. */
export const QUESTION_TTL_MS = 10 * 60_000;

/**
 * A destructive step proposed and waiting for Confirm/Cancel; `key` ties the buttons to this question,
 * `version` is the strategy's version when asked (the step is refused if it moved), `askedAt` (epoch ms)
 * lets the question expire.
 */
export const PendingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('delete'),
    key: z.string(),
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    askedAt: z.number(),
  }),
  z.object({
    kind: z.literal('edit'),
    key: z.string(),
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    askedAt: z.number(),
    spec: z.unknown(),
    changes: z.array(z.string()),
  }),
]);
export type Pending = z.infer<typeof PendingSchema>;

/**
 * What `interrupt()` carries to the caller. A question stored before `kind` and `askedAt` existed reads
 * as asked at time 0, so it counts as expired rather than as an open door.
 */
export const QuestionSchema = z.object({
  key: z.string(),
  question: z.string(),
  kind: z.enum(['delete', 'edit']).optional(),
  name: z.string().optional(),
  askedAt: z.number().default(0),
});
export type Question = z.infer<typeof QuestionSchema>;

/**
 * What resumes it. `why` says what the user is told of a "no": "Cancelled; ..." for an answer (or a
 * command that superseded the question), that it expired, or nothing (`quiet`).
 */
export const ResumeSchema = z.object({
  key: z.string(),
  approve: z.boolean(),
  why: z.enum(['answer', 'expired', 'quiet']).default('answer'),
});
export type ResumeValue = z.input<typeof ResumeSchema>;

/** How many answered question keys the state keeps, to tell a second press "already answered". */
const KEEP_ANSWERED = 20;

export const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  intent: Annotation<Intent | null>(),
  /** The model's further tool calls of this turn ("show it and backtest it"), run in order after `intent`. */
  queued: Annotation<ToolIntent[] | null>(),
  /** The strategy the conversation last talked about: the target of "backtest it", "delete it". */
  focus: Annotation<string | null>(),
  /**
   * The strategy "it" meant until this conversation deleted it: the next "it" says which strategy it
   * takes instead (or that none is left) rather than quietly acting on another one.
   */
  gone: Annotation<string | null>(),
  pending: Annotation<Pending | null>(),
  /** Keys of the questions answered lately, newest last. */
  answered: Annotation<string[]>({
    reducer: (a, b) => [...a, ...b].slice(-KEEP_ANSWERED),
    default: () => [],
  }),
});
export type State = typeof AgentState.State;
