// A loopback server that speaks OpenAI's chat-completions protocol with scripted answers, so the real
// @langchain/openai client code runs in tests. A script entry is either JSON to return as the
// structured answer (as a tool call when the request offers tools, else as message content), a
// plain text reply, a call of a named tool (with arguments as JSON or as raw, possibly malformed, text),
// several calls at once with text beside them (as hosted models send parallel tool calls), an HTTP status
// to fail with (optionally with headers, such as a 429's retry-after), or a delay before answering (to
// drive client timeouts). Every answer carries the extra fields hosted models add (system_fingerprint,
// service_tier, refusal, annotations, token details), which the client must ignore.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Scripted =
  | { json: unknown }
  | { text: string }
  | { tool: string; args: unknown }
  | { tool: string; rawArgs: string }
  | { calls: ({ tool: string; args: unknown } | { tool: string; rawArgs: string })[]; content?: string }
  | { status: number; body?: string; headers?: Record<string, string> }
  | { delayMs: number; answer: Scripted };

export type FakeOpenAI = {
  baseUrl: string;
  requests: unknown[];
  script: Scripted[];
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

type ChatRequest = {
  model?: string;
  tools?: { function?: { name?: string } }[];
  response_format?: { type?: string };
};

function completion(model: string, message: Record<string, unknown>, finish: string) {
  return {
    id: `chatcmpl-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: 'fp_test',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', refusal: null, annotations: [], ...message },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: 10,
      completion_tokens: 10,
      total_tokens: 20,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  };
}

/** A call as the wire carries it: arguments are a JSON string, or the raw (maybe broken) text given. */
function wireCall(call: { tool: string; args: unknown } | { tool: string; rawArgs: string }, i: number) {
  const args = 'rawArgs' in call ? call.rawArgs : JSON.stringify(call.args);
  return { id: `call_${i + 1}`, type: 'function', function: { name: call.tool, arguments: args } };
}

/** The app's settings for a model behind `llm` (the key it checks), no retries unless asked. */
export function modelEnv(
  llm: Pick<FakeOpenAI, 'baseUrl'>,
  opts: { timeoutMs?: number; maxRetries?: number } = {},
): NodeJS.ProcessEnv {
  return {
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: llm.baseUrl,
    OPENAI_MAX_RETRIES: String(opts.maxRetries ?? 0),
    ...(opts.timeoutMs ? { OPENAI_TIMEOUT_MS: String(opts.timeoutMs) } : {}),
  };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const state: FakeOpenAI = { baseUrl: '', requests: [], script: [], close: async () => undefined };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== 'Bearer test-key') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
      return;
    }
    const parsed: ChatRequest = JSON.parse(body);
    state.requests.push(parsed);
    let next = state.script.shift() ?? { text: 'OK.' };
    while ('delayMs' in next) {
      const { delayMs, answer } = next;
      await new Promise((r) => setTimeout(r, delayMs));
      next = answer;
    }
    // The client may have given up meanwhile (a timeout test): nothing left to answer.
    if (res.destroyed || req.socket.destroyed) return;
    const model = parsed.model ?? 'test-model';
    res.setHeader('content-type', 'application/json');
    if ('status' in next) {
      res.writeHead(next.status, next.headers).end(next.body ?? '{"error":{"message":"scripted failure"}}');
      return;
    }
    if ('text' in next) {
      res.end(JSON.stringify(completion(model, { content: next.text }, 'stop')));
      return;
    }
    if ('tool' in next) {
      const call = wireCall(next, 0);
      res.end(JSON.stringify(completion(model, { content: null, tool_calls: [call] }, 'tool_calls')));
      return;
    }
    if ('calls' in next) {
      const message = { content: next.content ?? null, tool_calls: next.calls.map(wireCall) };
      res.end(JSON.stringify(completion(model, message, 'tool_calls')));
      return;
    }
    const toolName = parsed.tools?.[0]?.function?.name;
    if (toolName) {
      const call = {
        id: 'call_1',
        type: 'function',
        function: { name: toolName, arguments: JSON.stringify(next.json) },
      };
      res.end(JSON.stringify(completion(model, { content: null, tool_calls: [call] }, 'tool_calls')));
      return;
    }
    res.end(JSON.stringify(completion(model, { content: JSON.stringify(next.json) }, 'stop')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fake OpenAI server has no TCP address');
  state.baseUrl = `http://127.0.0.1:${addr.port}/v1`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
