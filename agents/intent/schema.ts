// What a turn asks for, as typed tool inputs. The model picks one of these tools by name (tool calling)
// and its arguments are parsed here; the offline classifier produces the same shapes, so everything
// after routing is the same code whether or not a model is configured.
import { z } from 'zod';

const NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
/** A strategy name, or null for "the one we were talking about". */
const Target = z
  .string()
  .trim()
  .toLowerCase()
  .regex(NAME)
  .nullish()
  .transform((v) => v ?? null)
  .describe('kebab-case strategy name, or null for the strategy the user last talked about');

/** Tool name -> input schema. Descriptions are what the model reads when it picks a tool. */
export const TOOL_INPUTS = {
  create_strategy: z.object({
    description: z.string().min(1).max(2000).describe("the trader's description of the strategy, verbatim"),
  }),
  edit_strategy: z.object({
    name: Target,
    change: z.string().min(1).max(500).describe('the requested change, in the user words'),
  }),
  show_strategy: z.object({ name: Target }),
  explain_result: z.object({
    name: Target,
    question: z.string().max(500).describe('what the user wants explained about the latest backtest'),
  }),
  backtest_strategy: z.object({
    name: Target,
    timerange: z
      .string()
      .max(60)
      .nullish()
      .transform((v) => v ?? null)
      .describe('date range as typed: "last 6 months", "2024", "since March", "20240101-20240701", or null'),
    pairs: z
      .array(z.string().min(2).max(30))
      .max(10)
      .nullish()
      .transform((v) => v ?? null)
      .describe('pairs to run it on instead of its own, as typed ("ETH/USDT"), or null for its own pairs'),
  }),
  compare_strategies: z.object({ first: Target, second: Target }),
  list_strategies: z.object({}),
  delete_strategy: z.object({ name: Target }),
  help: z.object({}),
};

export const TOOL_DESCRIPTIONS: Record<ToolName, string> = {
  create_strategy: 'Create a new strategy from a description of its rules.',
  edit_strategy: 'Change an existing strategy (stop, timeframe, take profit, pairs, indicators, conditions).',
  show_strategy: 'Show one strategy card with its latest result.',
  explain_result: "Explain a strategy's latest backtest result (why so few trades, is it any good).",
  backtest_strategy: 'Backtest a strategy over a date range, on its own pairs or others the user names.',
  compare_strategies: "Compare two strategies' latest backtest results.",
  list_strategies: "List the user's strategies.",
  delete_strategy: 'Delete a strategy (the user is asked to confirm).',
  help: 'Explain what the bot can do.',
};

export type ToolName = keyof typeof TOOL_INPUTS;
export const TOOL_NAMES = Object.keys(TOOL_INPUTS).filter((k): k is ToolName => k in TOOL_INPUTS);

export const IntentSchema = z.discriminatedUnion('tool', [
  z.object({ tool: z.literal('create_strategy'), args: TOOL_INPUTS.create_strategy }),
  z.object({ tool: z.literal('edit_strategy'), args: TOOL_INPUTS.edit_strategy }),
  z.object({ tool: z.literal('show_strategy'), args: TOOL_INPUTS.show_strategy }),
  z.object({ tool: z.literal('explain_result'), args: TOOL_INPUTS.explain_result }),
  z.object({ tool: z.literal('backtest_strategy'), args: TOOL_INPUTS.backtest_strategy }),
  z.object({ tool: z.literal('compare_strategies'), args: TOOL_INPUTS.compare_strategies }),
  z.object({ tool: z.literal('list_strategies'), args: TOOL_INPUTS.list_strategies }),
  z.object({ tool: z.literal('delete_strategy'), args: TOOL_INPUTS.delete_strategy }),
  z.object({ tool: z.literal('help'), args: TOOL_INPUTS.help }),
  /** No tool: chat. `reply` is the model's answer when it gave one. */
  z.object({ tool: z.literal('smalltalk'), args: z.object({ reply: z.string().nullable() }) }),
]);
export type Intent = z.infer<typeof IntentSchema>;

/** A model's tool call as an intent, or null when the name or arguments don't fit (the caller falls back). */
export function intentFromToolCall(name: string, args: unknown): Intent | null {
  const parsed = IntentSchema.safeParse({ tool: name, args });
  return parsed.success && parsed.data.tool !== 'smalltalk' ? parsed.data : null;
}
