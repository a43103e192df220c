// A model that can't be reached is tried again like a 5xx, and each try is logged, through the real
// @langchain/openai client against a loopback port nothing listens on.
import { createServer } from 'node:net';
import { HumanMessage } from '@langchain/core/messages';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createChatModel } from '../../../agents/model.ts';
import { callModel } from '../../../agents/model-call.ts';

/** A loopback port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('callModel', () => {
  it('tries an unreachable model again, logging each try with its wait and outcome', async () => {
    const model = createChatModel({
      apiKey: 'test-key',
      baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
      model: 'test-model',
      timeoutMs: 5000,
      maxRetries: 1,
    });
    if (!model) throw new Error('no model');
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) }).child({
      correlationId: 'turn-1',
    });
    const call = callModel({ retries: model.retries, log, purpose: 'routing' }, () =>
      model.chat.invoke([new HumanMessage('hi')]),
    );
    await expect(call).rejects.toThrow();
    expect(lines.map((l) => [l.correlationId, l.purpose, l.attempt, l.failure, l.outcome])).toEqual([
      ['turn-1', 'routing', 1, 'unreachable', 'retrying'],
      ['turn-1', 'routing', 2, 'unreachable', 'gave up after 2 tries'],
    ]);
    expect(lines[0]?.waitMs).toEqual(expect.any(Number));
  });
});
