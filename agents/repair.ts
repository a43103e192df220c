// Generate, validate, repair: the model answers through one forced tool call, a judge checks the
// arguments, and what the judge found goes back to the model in the same conversation (its call, then a
// tool message with the problems), at most 3 tries. Drafting and editing share this loop; each brings
// its own tool, judge and wording. Model errors are not caught here: the caller falls back on them.
import { type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { Logger } from 'pino';
import type { AgentModel } from './model.ts';
import { callModel } from './model-call.ts';
import type { ToolDefinition } from './tools/types.ts';

const MAX_TRIES = 3;

/**
 * A judge's answer on one try: usable, or the problems with the sentence sent back to the model. `keep`
 * is a value good enough to use when no try does better (a valid spec that made no trades). null means
 * the answer is not worth repairing (arguments of the wrong shape altogether).
 */
export type Judgement<T> =
  | { ok: true; value: T }
  | { ok: false; problems: string[]; feedback: string; keep?: T }
  | null;

/**
 * After the loop: the value, or the last judged try's problems and its `keep`; null when the model's first
 * answer was garbage.
 */
export type Repaired<T> =
  | { ok: true; value: T; tries: number }
  | { ok: false; problems: string[]; keep: T | undefined; tries: number }
  | null;

export async function generateWithRepairs<T>(opts: {
  model: AgentModel;
  tool: ToolDefinition;
  /** The opening conversation (system prompt and request); repairs are appended to a copy. */
  messages: BaseMessage[];
  judge: (args: Record<string, unknown>, attempt: number) => Promise<Judgement<T>>;
  logger: Logger;
  /** Hears each try as it starts (1-based, of `maxTries`), for a progress message; must not throw. */
  onTry?: (attempt: number, maxTries: number) => void;
}): Promise<Repaired<T>> {
  const { chat, retries } = opts.model;
  if (!chat.bindTools) return null;
  const bound = chat.bindTools([opts.tool], { tool_choice: opts.tool.function.name });
  const messages = [...opts.messages];
  let last: Extract<Repaired<T>, { ok: false }> = { ok: false, problems: [], keep: undefined, tries: 0 };
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    opts.onTry?.(attempt, MAX_TRIES);
    const ai = await callModel({ retries, log: opts.logger, purpose: opts.tool.function.name }, () =>
      bound.invoke(messages),
    );
    const call = ai.tool_calls?.[0];
    const verdict = call ? await opts.judge(call.args, attempt) : null;
    if (!call || !verdict) {
      opts.logger.warn({ attempt, tool: opts.tool.function.name }, 'model returned no usable tool call');
      // Garbage ends the loop: nothing to repair, but what an earlier try found still stands.
      return attempt === 1 ? null : last;
    }
    if (verdict.ok) return { ok: true, value: verdict.value, tries: attempt };
    last = { ok: false, problems: verdict.problems, keep: verdict.keep, tries: attempt };
    opts.logger.info(
      { attempt, tool: opts.tool.function.name, problems: verdict.problems },
      'model answer rejected; asking it to repair',
    );
    messages.push(ai, new ToolMessage({ tool_call_id: call.id ?? 'call', content: verdict.feedback }));
  }
  return last;
}
