// Tools about results: backtest over a timerange in words, compare two strategies, explain the latest result.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Logger } from 'pino';
import type { AgentActions } from '../../src/core/ports.ts';
import { explainResult } from '../explain/explain.ts';
import { NO_STRATEGIES, noted, resolveTarget } from './strategy-tools.ts';
import type { ToolOutcome, ToolTurn } from './types.ts';

export async function backtestTool(
  actions: AgentActions,
  turn: ToolTurn,
  args: { name: string | null; timerange: string | null; pairs?: string[] | null },
): Promise<ToolOutcome> {
  const target = await resolveTarget(actions, turn, args.name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  const pairs = args.pairs && args.pairs.length > 0 ? args.pairs : undefined;
  return {
    replies: noted(target, await actions.backtest(turn.ctx, target.name, args.timerange ?? undefined, pairs)),
    focus: target.name,
  };
}

export async function compareTool(
  actions: AgentActions,
  turn: ToolTurn,
  args: { first: string | null; second: string | null },
): Promise<ToolOutcome> {
  const first = await resolveTarget(actions, turn, args.first);
  if (!first || !args.second || first.name === args.second) {
    return {
      replies: [{ text: 'Which two strategies? For example: compare btc-sma-20-50-1h with eth-rsi-4h.' }],
    };
  }
  return {
    replies: noted(first, await actions.compare(turn.ctx, first.name, args.second)),
    focus: first.name,
  };
}

export async function explainTool(
  deps: { actions: AgentActions; model: BaseChatModel | undefined; logger: Logger },
  turn: ToolTurn,
  args: { name: string | null; question: string },
): Promise<ToolOutcome> {
  const target = await resolveTarget(deps.actions, turn, args.name);
  if (!target) return { replies: [{ text: NO_STRATEGIES }] };
  const latest = await deps.actions.latestResult(turn.ctx, target.name);
  if (!latest.result) return { replies: noted(target, [{ text: latest.reason }]), focus: target.name };
  const explained = await explainResult(
    { model: deps.model, logger: deps.logger },
    { name: latest.name, ...latest.result },
    args.question,
  );
  return { replies: noted(target, [{ text: explained.text }]), focus: target.name };
}
