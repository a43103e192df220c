// What the conversation core needs from the agent side. The composition root wires the LangGraph
// agent in; the core never imports agents/ directly.
import type { Types } from 'mongoose';
import type { BacktestSummary } from '../backtest/summary.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import type { ChatAddress, OutgoingMessage } from './types.ts';

/**
 * Where a model draft is, for the trader's progress message: the model writes (`drafting`), the engine
 * tries the code (`checking`), a try was turned down and the model fixes it (`repairing`, naming what
 * kind of problem, never its text), or no try was usable and the offline parser takes over (`fallback`).
 */
export type DraftStage =
  | { stage: 'drafting' }
  | { stage: 'checking' }
  | { stage: 'repairing'; attempt: number; maxAttempts: number; problem: 'spec' | 'code' | 'no-trades' }
  | { stage: 'fallback' };

/**
 * Turns a description into a spec: the model's structured output when configured, else the offline parser.
 * `note` is a sentence for the trader about the draft (it made no trades in the engine's smoke backtest).
 * `onProgress` hears each stage of a model draft; it is never called when no model drafts (the offline
 * parser answers at once), and what it throws is ignored.
 */
export type SpecDrafter = {
  draft(
    description: string,
    ctx: { correlationId: string; onProgress?: (stage: DraftStage) => void },
  ): Promise<{
    spec: StrategySpec;
    name: string;
    note?: string;
    /** Each default filled in for something the description left out, one line each, for the card. */
    assumptions?: string[];
  }>;
};

export type AgentTurn = {
  threadId: string;
  ownerId: Types.ObjectId;
  text: string;
  address: ChatAddress;
  correlationId: string;
};

/** The conversational agent: free text in, neutral messages out. */
export type ConversationAgent = {
  respond(turn: AgentTurn): Promise<OutgoingMessage[]>;
  /** A Confirm/Cancel press on the agent's question; `key` names the question it answers. */
  resume(turn: Omit<AgentTurn, 'text'> & { key: string; approve: boolean }): Promise<OutgoingMessage[]>;
  /** Cancels the agent's waiting question, if any (a command or another button superseded it). */
  cancelPending(turn: Omit<AgentTurn, 'text'>): Promise<OutgoingMessage[]>;
  /**
   * A command was about strategy `name` (/new, /show, /backtest ...): "it" in the next words means it.
   * Never fails: a focus not saved only leaves "it" meaning what it meant before (the failure is logged).
   */
  focusOn(turn: Omit<AgentTurn, 'text'>, name: string): Promise<void>;
};

/**
 * A strategy as the agent sees it: enough to name it, confirm a change and check nothing moved meanwhile.
 * `spec` is null for custom (imported) code, which the agent can show, backtest and delete but not edit.
 */
export type StrategyRef = { id: string; name: string; version: number; spec: StrategySpec | null };

/** A strategy's latest finished backtest; `result` is null with a sentence saying why there is none. */
export type LatestResult =
  | {
      name: string;
      /** `strategyVersion` is the version the backtest ran, `currentVersion` the strategy's version now. */
      result: {
        timerange: string;
        pairs: string[];
        summary: BacktestSummary;
        strategyVersion: number;
        currentVersion: number;
        /** Why it made no trades, as its card said; null when it traded or no diagnosis was made. */
        diagnosis: string | null;
      };
    }
  | { name: string; result: null; reason: string };

/**
 * What the agent may do on the user's behalf; the composition root binds these to the core's handlers.
 * A `name` of null means the user's most recently used strategy.
 */
export type AgentActions = {
  create(ctx: AgentContext, description: string): Promise<{ name: string; messages: OutgoingMessage[] }>;
  list(ctx: AgentContext): Promise<OutgoingMessage[]>;
  /** `timerange` is a YYYYMMDD-YYYYMMDD range or words ("last 6 months"), anchored at the end of the data. */
  /** `pairs`, when given, replace the strategy's own for this run ("backtest it on ETH/USDT"). */
  backtest(
    ctx: AgentContext,
    name: string | null,
    timerange?: string,
    pairs?: string[],
  ): Promise<OutgoingMessage[]>;
  help(): OutgoingMessage[];
  show(ctx: AgentContext, name: string | null): Promise<OutgoingMessage[]>;
  compare(ctx: AgentContext, first: string, second: string): Promise<OutgoingMessage[]>;
  /** The named strategy (AppError NOT_FOUND when missing), or the most recent one; null when there is none. */
  find(ctx: AgentContext, name: string | null): Promise<StrategyRef | null>;
  /** Deletes the strategy, refusing when it moved past `basedOn` since the user was asked. */
  remove(ctx: AgentContext, id: string, basedOn: number): Promise<OutgoingMessage[]>;
  /** Saves `spec` as the next version, refusing when the strategy moved past `basedOn` meanwhile. */
  saveSpec(ctx: AgentContext, id: string, spec: unknown, basedOn: number): Promise<OutgoingMessage[]>;
  latestResult(ctx: AgentContext, name: string): Promise<LatestResult>;
};

export type AgentContext = { ownerId: Types.ObjectId; address: ChatAddress; correlationId: string };

/** The engine's account of its OS sandbox (the warm server's ready line), as the core needs it. */
export type SandboxReport = { isolated: boolean; reason: string | null };

/** Where strategy code runs: whether the engine isolates it from the machine, and why not. */
export type SandboxStatus = {
  /** Waits for the engine's report, starting the engine if needed. */
  report(): Promise<SandboxReport>;
  /** The report once the engine gave one; undefined while it has not started. */
  known(): SandboxReport | undefined;
};

/** A platform's webhook request as it arrived: headers (lower-case names) and the body exactly as sent. */
export type WebhookRequest = { headers: Record<string, string>; body: string };
export type WebhookResponse = { status: number; headers?: Record<string, string>; body?: string };

/**
 * The platforms' webhook routes on the app's one HTTP server. Each platform's route exists from the
 * start (answering 503) and is served once its adapter mounts a handler.
 */
export type WebhookMount = {
  /** The path the platform's route listens on, when the server has one for it. */
  pathOf(platform: string): string | undefined;
  mount(platform: string, handle: (req: WebhookRequest) => Promise<WebhookResponse>): void;
  unmount(platform: string): void;
};
