// Routing through the model: one request with every typed tool offered. A reply may call several tools at
// once ("show it and backtest it"): all of them come back, in order, for the act node to run. A call the
// model wrote badly (arguments that aren't JSON, or don't fit the tool's schema) is sent back once with
// the problem, as tool messages, so the model can correct it; a second bad answer is "unreadable" and
// the caller turns to the offline reader. Text beside a tool call is dropped: it would be unchecked prose.
import { AIMessage, type AIMessageChunk, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import type { Logger } from 'pino';
import { readToolCall, type ToolIntent } from '../intent/schema.ts';
import { callModel } from '../model-call.ts';

export type ModelRoute =
  | { kind: 'tools'; intents: ToolIntent[] }
  | { kind: 'chat'; reply: string }
  | { kind: 'unreadable'; problems: string[] }
  | { kind: 'empty' };

type Router = Runnable<BaseMessage[], AIMessageChunk>;
type Bad = { id: string; problem: string };
/** A call as the chat-completions wire carries it, to send the model's answer back with the problems. */
type WireCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
type Read = { intents: ToolIntent[]; bad: Bad[]; wire: WireCall[]; text: string };

function readAnswer(ai: AIMessageChunk): Read {
  const out: Read = { intents: [], bad: [], wire: [], text: '' };
  out.text = typeof ai.content === 'string' ? ai.content.trim() : '';
  for (const [i, call] of (ai.tool_calls ?? []).entries()) {
    const id = call.id ?? `call_${i}`;
    out.wire.push({
      id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    });
    const read = readToolCall(call.name, call.args);
    if (read.ok) out.intents.push(read.intent);
    else out.bad.push({ id, problem: `${call.name}: ${read.problem}` });
  }
  for (const [i, call] of (ai.invalid_tool_calls ?? []).entries()) {
    const id = call.id ?? `invalid_${i}`;
    const name = call.name ?? 'unknown';
    out.wire.push({ id, type: 'function', function: { name, arguments: call.args ?? '' } });
    out.bad.push({
      id,
      problem: `${name}: the arguments are not valid JSON (${call.error ?? 'unparsable'})`,
    });
  }
  return out;
}

/** The model's answer and, for each of its calls, a tool message: the problem, or that it was not run. */
function feedback(read: Read): BaseMessage[] {
  const problems = new Map(read.bad.map((b) => [b.id, b.problem]));
  return [
    new AIMessage({ content: read.text, additional_kwargs: { tool_calls: read.wire } }),
    ...read.wire.map((call) => {
      const problem = problems.get(call.id);
      const content = problem
        ? `Not run: ${problem}. Call the tool again with complete JSON arguments that fit its schema.`
        : 'Not run, because another call in the same answer could not be read. Call it again with the corrected one.';
      return new ToolMessage({ tool_call_id: call.id, content });
    }),
  ];
}

/** One routing answer, with one more try when its tool calls can't be read. */
export async function routeWithModel(opts: {
  router: Router;
  retries: number;
  messages: BaseMessage[];
  log: Logger;
}): Promise<ModelRoute> {
  const ask = (messages: BaseMessage[]) =>
    callModel({ retries: opts.retries, log: opts.log, purpose: 'routing' }, () =>
      opts.router.invoke(messages),
    );
  let read = readAnswer(await ask(opts.messages));
  if (read.bad.length > 0) {
    opts.log.warn(
      { problems: read.bad.map((b) => b.problem), outcome: 'asking again' },
      'model tool call unreadable; asking the model again with the problem',
    );
    read = readAnswer(await ask([...opts.messages, ...feedback(read)]));
    if (read.bad.length > 0) {
      const problems = read.bad.map((b) => b.problem);
      opts.log.warn(
        { problems, outcome: 'offline reader' },
        'model tool call unreadable twice; offline reader',
      );
      return { kind: 'unreadable', problems };
    }
    opts.log.info({ outcome: 'corrected' }, 'model corrected its tool call');
  }
  if (read.intents.length > 0) return { kind: 'tools', intents: read.intents };
  return read.text ? { kind: 'chat', reply: read.text } : { kind: 'empty' };
}
