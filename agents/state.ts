// The agent's checkpointed state: the conversation so far, the strategy it is about, what this turn asks
// for, and a change waiting for the user's confirmation. All of it is plain JSON in the checkpoint, so a
// restart loses nothing, a pending question included.
import { Annotation, MessagesAnnotation } from '@langchain/langgraph';
import { z } from 'zod';
import type { Intent } from './intent/schema.ts';

/** A destructive step proposed and waiting for Confirm/Cancel; `key` ties the buttons to this question. */
export const PendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delete'), key: z.string(), id: z.string(), name: z.string() }),
  z.object({
    kind: z.literal('edit'),
    key: z.string(),
    id: z.string(),
    name: z.string(),
    version: z.number().int(),
    spec: z.unknown(),
    changes: z.array(z.string()),
  }),
]);
export type Pending = z.infer<typeof PendingSchema>;

/** What `interrupt()` carries to the caller, and what resumes it. */
export const QuestionSchema = z.object({ key: z.string(), question: z.string() });
export const ResumeSchema = z.object({ key: z.string(), approve: z.boolean() });
export type ResumeValue = z.infer<typeof ResumeSchema>;

export const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  intent: Annotation<Intent | null>(),
  /** The strategy the conversation last talked about: the target of "backtest it", "delete it". */
  focus: Annotation<string | null>(),
  pending: Annotation<Pending | null>(),
});
export type State = typeof AgentState.State;
