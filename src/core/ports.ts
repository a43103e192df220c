// What the conversation core needs from the agent side. The composition root wires the LangGraph
// agent in; the core never imports agents/ directly.
import type { Types } from 'mongoose';
import type { StrategySpec } from '../strategy/spec.ts';
import type { ChatAddress, OutgoingMessage } from './types.ts';

/** Turns a description into a spec: the model's structured output when configured, else the offline parser. */
export type SpecDrafter = {
  draft(description: string, ctx: { correlationId: string }): Promise<{ spec: StrategySpec; name: string }>;
};

export type AgentTurn = {
  threadId: string;
  ownerId: Types.ObjectId;
  text: string;
  address: ChatAddress;
  correlationId: string;
};

/** The conversational agent: free text in, neutral messages out. */
export type ConversationAgent = { respond(turn: AgentTurn): Promise<OutgoingMessage[]> };

/** What the agent may do on the user's behalf; the composition root binds these to the core's handlers. */
export type AgentActions = {
  create(ctx: AgentContext, description: string): Promise<{ name: string; messages: OutgoingMessage[] }>;
  list(ctx: AgentContext): Promise<OutgoingMessage[]>;
  backtest(ctx: AgentContext, name: string | null, timerange?: string): Promise<OutgoingMessage[]>;
  help(): OutgoingMessage[];
};

export type AgentContext = { ownerId: Types.ObjectId; address: ChatAddress; correlationId: string };
