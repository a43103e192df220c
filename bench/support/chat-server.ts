// A loopback chat-completions server for benchmarks: answers at once with whatever the bench decides
// for each request (a tool call or text), and adds up the time it spends on each request from arrival
// to the end of the response, so a bench can subtract the model's own time from a turn.
import { createServer, type IncomingMessage } from 'node:http';

export type ChatAnswer = { tool: string; args: unknown } | { text: string };

/** The parts of a chat-completions request a bench answers from. */
export type ChatRequest = {
  model?: string;
  tools?: { function?: { name?: string } }[];
  messages?: { role?: string; content?: unknown }[];
};

export type ChatServer = {
  baseUrl: string;
  /** Milliseconds spent answering so far, all requests together. */
  busyMs(): number;
  requests(): number;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

function completion(model: string, answer: ChatAnswer) {
  const message =
    'tool' in answer
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: answer.tool, arguments: JSON.stringify(answer.args) },
            },
          ],
        }
      : { role: 'assistant', content: answer.text };
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: 'tool' in answer ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

export async function startChatServer(answer: (req: ChatRequest) => ChatAnswer): Promise<ChatServer> {
  let busy = 0;
  let count = 0;
  const server = createServer((req, res) => {
    const arrived = performance.now();
    res.on('finish', () => {
      busy += performance.now() - arrived;
      count++;
    });
    readBody(req).then(
      (body) => {
        const parsed: ChatRequest = JSON.parse(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(completion(parsed.model ?? 'bench', answer(parsed))));
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('chat server has no TCP address');
  return {
    baseUrl: `http://127.0.0.1:${addr.port}/v1`,
    busyMs: () => busy,
    requests: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
