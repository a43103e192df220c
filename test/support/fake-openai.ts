// A loopback server that speaks OpenAI's chat-completions protocol with scripted answers, so the real
// @langchain/openai client code runs in tests. A script entry is either JSON to return as the
// structured answer (as a tool call when the request offers tools, else as message content), a
// plain text reply, a call of a named tool (with arguments as JSON or as raw, possibly malformed, text),
// an HTTP status to fail with (optionally with headers, such as a 429's retry-after), or a delay before
// answering (to drive client timeouts).
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Scripted =
  | { json: unknown }
  | { text: string }
  | { tool: string; args: unknown }
  | { tool: string; rawArgs: string }
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
    choices: [
      { index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, logprobs: null },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
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
      const args = 'rawArgs' in next ? next.rawArgs : JSON.stringify(next.args);
      const call = { id: 'call_1', type: 'function', function: { name: next.tool, arguments: args } };
      res.end(JSON.stringify(completion(model, { content: null, tool_calls: [call] }, 'tool_calls')));
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
