// The conversation the agent-overhead bench replays: a realistic mix of what traders type (list, show,
// help, backtests with dates in words, explanations, an edit and a delete each answered "no", small
// talk), with the tool call a model would make for each line. Nothing here runs a backtest: the bench's
// app queues them without a worker.
import type { ChatAnswer, ChatRequest } from './chat-server.ts';

export const STRATEGIES = [
  'BTC SMA 20/50 cross on 1h with a 5% stop',
  'ETH EMA 12/26 cross on 4h with a 4% stop',
];

/** A line the trader types; `route` is the model's tool call for it, null when no model is asked. */
export type Step = { kind: string; text: string; route: ChatAnswer | null };

export function turnMix(first: string, second: string): Step[] {
  const call = (tool: string, args: Record<string, unknown>): ChatAnswer => ({ tool, args });
  return [
    { kind: 'list', text: 'list my strategies', route: call('list_strategies', {}) },
    { kind: 'show', text: `show ${first}`, route: call('show_strategy', { name: first }) },
    { kind: 'help', text: 'help', route: call('help', {}) },
    {
      kind: 'backtest',
      text: 'backtest it 2024',
      route: call('backtest_strategy', { name: null, period: '2024' }),
    },
    {
      kind: 'explain',
      text: 'why so few trades?',
      route: call('explain_result', { name: null, question: 'why so few trades?' }),
    },
    { kind: 'show', text: `show ${second}`, route: call('show_strategy', { name: second }) },
    {
      kind: 'backtest',
      text: 'backtest it last 6 months',
      route: call('backtest_strategy', { name: null, period: 'last 6 months' }),
    },
    {
      kind: 'explain',
      text: 'is it any good?',
      route: call('explain_result', { name: null, question: 'is it any good?' }),
    },
    {
      kind: 'edit',
      text: 'make the stop 3%',
      route: call('edit_strategy', { name: null, change: 'make the stop 3%' }),
    },
    { kind: 'answer', text: 'no', route: null },
    { kind: 'delete', text: 'delete it', route: call('delete_strategy', { name: null }) },
    { kind: 'answer', text: 'no', route: null },
    { kind: 'chat', text: 'thanks, that helps', route: { text: 'Glad it helps.' } },
    { kind: 'list', text: 'what are my strategies', route: call('list_strategies', {}) },
    { kind: 'show', text: 'show it', route: call('show_strategy', { name: null }) },
  ];
}

function lastUserText(req: ChatRequest): string {
  const user = (req.messages ?? []).filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : '';
}

/**
 * Answers a request the way a cooperative model would: routing requests (they offer the agent's tools)
 * get the current step's tool call; an edit gets the current spec with a 3% stop; an explanation gets
 * a sentence without numbers; a strategy draft gets nothing usable (the offline parser takes over).
 */
export function modelAnswer(req: ChatRequest, current: () => Step | undefined): ChatAnswer {
  const tools = (req.tools ?? []).map((t) => t.function?.name);
  if (tools.includes('list_strategies')) return current()?.route ?? { text: 'OK.' };
  if (tools.includes('changed_spec')) {
    const json = /Current spec: (.*)\nChange:/s.exec(lastUserText(req))?.[1];
    const spec: unknown = json ? JSON.parse(json) : null;
    const base = typeof spec === 'object' && spec !== null ? spec : {};
    return { tool: 'changed_spec', args: { spec: { ...base, stoploss: -0.03 } } };
  }
  if (tools.length === 0) return { text: 'Few entries: the cross is rare on this timeframe.' };
  return { text: 'OK.' };
}
