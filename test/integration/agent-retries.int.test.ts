// Model retries through the real @langchain/openai client against the local chat-completions server:
// a 500, a 429 that says "retry after 0 s" and a timed-out try are each tried again and the model's
// answer is used; a request the server refuses as bad is not retried; when every try fails, the offline
// classifier answers after exactly OPENAI_MAX_RETRIES + 1 requests. Every failed try leaves a log line
// with the turn's correlation id, what failed, the wait before the next try and the outcome; a 429 whose
// retry-after is longer than a chat can wait is not waited out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAI, modelEnv, type Scripted, startFakeOpenAI } from '../support/fake-openai.ts';

const MAX_RETRIES = 2;
// The offline classifier reads this as small talk; the model routes it to list_strategies.
const QUESTION = 'what have I got so far?';
const MODEL_ANSWER = 'You have no strategies yet.';
const OFFLINE_ANSWER = 'The language model is not answering right now';
const LIST = { tool: 'list_strategies', args: {} } satisfies Scripted;

describe('model retries', () => {
  let t: TestApp;
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    t = await startTestApp(modelEnv(llm, { timeoutMs: 1000, maxRetries: MAX_RETRIES }));
  });
  afterAll(async () => {
    await t?.stop();
    await llm?.close();
  });

  /** One turn with `script` queued; what it said and the requests the server saw for it. */
  async function turn(...script: Scripted[]) {
    llm.script.push(...script);
    const before = llm.requests.length;
    const logsBefore = t.logs.length;
    const out = await t.send(QUESTION);
    // Left-over answers are dropped so one failing case doesn't feed the next.
    expect(llm.script.splice(0), 'answers scripted but never asked for').toEqual([]);
    const logs = t.logs.slice(logsBefore);
    const correlationId = logs.find((l) => l.msg === 'handled')?.correlationId;
    expect(correlationId).toEqual(expect.any(String));
    return {
      text: out.map((m) => m.text).join('\n'),
      requests: llm.requests.slice(before),
      correlationId,
      // The model-call lines of this turn: one per failed try, and one for an answer after a retry.
      tries: logs.filter((l) => l.purpose === 'routing'),
    };
  }

  it.each<[string, Scripted, Record<string, unknown>]>([
    ['a 500', { status: 500 }, { failure: 'server error', status: 500, waitMs: expect.any(Number) }],
    [
      'a 429 with retry-after 0',
      { status: 429, headers: { 'retry-after': '0' } },
      { failure: 'rate-limited', status: 429, retryAfterMs: 0, waitMs: 0 },
    ],
    [
      'a 429 with retry-after 1',
      { status: 429, headers: { 'retry-after': '1' } },
      { failure: 'rate-limited', status: 429, retryAfterMs: 1000, waitMs: 1000 },
    ],
    [
      'a timeout',
      { delayMs: 2500, answer: { text: 'too late' } },
      { failure: 'timeout', waitMs: expect.any(Number) },
    ],
  ])('tries again after %s, uses the answer and logs both', async (_what, failure, logged) => {
    const { text, requests, correlationId, tries } = await turn(failure, LIST);
    expect(requests).toHaveLength(2);
    // The retry is the same request again.
    expect(requests[1]).toEqual(requests[0]);
    expect(text).toContain(MODEL_ANSWER);
    expect(text).not.toContain(OFFLINE_ANSWER);
    expect(text).not.toContain('too late');
    expect(tries).toEqual([
      expect.objectContaining({ correlationId, attempt: 1, outcome: 'retrying', ...logged }),
      expect.objectContaining({ correlationId, attempt: 2, outcome: 'answered' }),
    ]);
  });

  it('does not wait out a retry-after longer than a chat can wait, and says so in the log', async () => {
    const { text, requests, correlationId, tries } = await turn({
      status: 429,
      headers: { 'retry-after': '120' },
    });
    expect(requests).toHaveLength(1);
    expect(text).toContain(OFFLINE_ANSWER);
    expect(tries).toEqual([
      expect.objectContaining({
        correlationId,
        attempt: 1,
        failure: 'rate-limited',
        retryAfterMs: 120_000,
        waitMs: 0,
        outcome: 'gave up: the wait asked for is too long',
      }),
    ]);
  });

  it('does not retry a request the server refuses as bad', async () => {
    const { text, requests, tries } = await turn({ status: 400 });
    expect(requests).toHaveLength(1);
    expect(text).toContain(OFFLINE_ANSWER);
    expect(tries).toEqual([expect.objectContaining({ status: 400, outcome: 'gave up: not worth retrying' })]);
  });

  it(`falls back to the offline classifier after ${MAX_RETRIES + 1} failed tries`, async () => {
    const failures = Array.from({ length: MAX_RETRIES + 1 }, (): Scripted => ({ status: 500 }));
    const { text, requests, correlationId, tries } = await turn(...failures);
    expect(requests).toHaveLength(MAX_RETRIES + 1);
    expect(text).toContain(OFFLINE_ANSWER);
    expect(tries.map((l) => [l.correlationId, l.attempt, l.outcome])).toEqual([
      [correlationId, 1, 'retrying'],
      [correlationId, 2, 'retrying'],
      [correlationId, 3, `gave up after ${MAX_RETRIES + 1} tries`],
    ]);
    // The next turn asks the model afresh and gets its answer on the first try.
    const next = await turn(LIST);
    expect(next.requests).toHaveLength(1);
    expect(next.text).toContain(MODEL_ANSWER);
  });
});
