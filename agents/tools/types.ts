// The contract between the graph and its tools: a tool gets the turn's context and answers with
// messages for the user, the strategy now talked about, and possibly a change awaiting confirmation.
import type { AgentContext } from '../../src/core/ports.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import type { ToolIntent } from '../intent/schema.ts';
import type { Pending } from '../state.ts';

/** `gone` is the strategy "it" meant until the conversation deleted it. */
export type ToolTurn = { ctx: AgentContext; focus: string | null; gone?: string | null };
export type ToolOutcome = { replies: OutgoingMessage[]; focus?: string | null; pending?: Pending };

/** OpenAI-style function definition offered to the model. */
export type ToolDefinition = {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
};

export type AgentTools = {
  definitions: ToolDefinition[];
  run(intent: ToolIntent, turn: ToolTurn): Promise<ToolOutcome>;
  /** Carries out a change the user confirmed. */
  commit(pending: Pending, ctx: AgentContext): Promise<ToolOutcome>;
};
