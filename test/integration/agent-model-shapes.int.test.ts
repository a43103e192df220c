// The agent against answers shaped the way hosted models send them, through the real @langchain/openai
// client and the local chat-completions server: several tool calls at once with text beside them, extra
// argument fields and "null" written as a string, a tool call cut off mid-JSON (sent back once with its problem), and chat answers
// that repeat what the bot states about itself or invent figures in words.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAI, modelEnv, type Scripted, startFakeOpenAI } from '../support/fake-openai.ts';

const NAME = 'btc-sma-20-50-1h';
const texts = (msgs: OutgoingMessage[]) => msgs.map((m) => m.text);
const SHOW = { tool: 'show_strategy', args: { name: null } };
const LIST = { tool: 'list_strategies', args: {} };
const CUT_OFF = { tool: 'backtest_strategy', rawArgs: '{"name": null, "timerange": "last mon' };

describe('agent with answers shaped like hosted models', () => {
  let t: TestApp;
  let llm: FakeOpenAI;
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    t = await startTestApp(modelEnv(llm, { timeoutMs: 5000 }));
    llm.script.push({ status: 500 }); // the drafter falls back to the offline parser
    await t.send(`/new BTC SMA 20/50 cross on 1h with a 5% stop`);
  });
  afterAll(async () => {
    await t?.stop();
    await llm?.close();
  });

  /** One turn with `script` queued: its replies, and the requests and log lines it caused. */
  async function turn(text: string, ...script: Scripted[]) {
    llm.script.push(...script);
    const [requests, logs] = [llm.requests.length, t.logs.length];
    const out = await t.send(text);
    expect(llm.script.splice(0), 'answers scripted but never asked for').toEqual([]);
    return { out, requests: llm.requests.slice(requests), logs: t.logs.slice(logs) };
  }

  it('runs two tool calls of one answer in order, ignoring the text beside them and extra fields', async () => {
    const { out } = await turn('show it and backtest it early 2024', {
      content: 'Sure! It made about 40% last year, let me show it and run it.',
      calls: [
        // "null" as a string, and fields the tool doesn't have, as hosted models write them.
        { ...SHOW, args: { name: 'null', confidence: '0.9' } },
        { tool: 'backtest_strategy', args: { name: 'None', timerange: '20240101-20240301', priority: '1' } },
      ],
    });
    expect(out[0]?.card?.title).toBe(`${NAME} (v1)`);
    expect(out.at(-1)?.text).toContain(`Backtest of ${NAME} 20240101-20240301`);
    expect(texts(out).join(' ')).not.toContain('40%');
  });

  it('stops at a question and says which call was not done', async () => {
    const { out } = await turn('show it, delete it, then list them', {
      calls: [SHOW, { tool: 'delete_strategy', args: { name: null } }, LIST],
    });
    expect(out[0]?.card?.title).toBe(`${NAME} (v1)`);
    expect(texts(out).slice(-2)).toEqual([
      'Not done yet: list your strategies. Answer the question first, then ask for it again.',
      `Delete ${NAME}? This cannot be undone.`,
    ]);
    const cancel = out.at(-1)?.buttons?.[1]?.action ?? '';
    expect(texts(await t.click(cancel))).toEqual([`Cancelled; ${NAME} was kept.`]);
  });

  it('runs at most three calls and names the rest', async () => {
    const { out } = await turn('everything at once', { calls: [LIST, SHOW, LIST, SHOW] });
    expect(out.at(-1)?.text).toBe('I do at most 3 things per message. Not done: show it. Ask for it again.');
  });

  it('sends a call cut off mid-JSON back once with the problem and runs the corrected one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { out, requests, logs } = await turn('what have I got so far?', CUT_OFF, LIST);
      expect(requests).toHaveLength(2);
      const retry = JSON.stringify(requests[1]);
      expect(retry).toContain('"role":"tool"');
      expect(retry).toContain('not valid JSON');
      expect(out.at(-1)?.text).toContain('Your strategies');
      const correlationId = logs.find((l) => l.msg === 'handled')?.correlationId;
      expect(logs.map((l) => [l.correlationId, l.outcome])).toEqual(
        expect.arrayContaining([
          [correlationId, 'asking again'],
          [correlationId, 'corrected'],
        ]),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('sends every call of an answer back when one of them is unreadable', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { out, requests } = await turn(
        'show it and backtest it',
        { calls: [SHOW, CUT_OFF] },
        { calls: [SHOW, { tool: 'backtest_strategy', args: { name: null, timerange: 'last month' } }] },
      );
      const retry = JSON.stringify(requests[1]);
      expect(retry).toContain('Not run, because another call in the same answer could not be read');
      expect(retry).toContain('Not run: backtest_strategy: the arguments are not valid JSON');
      expect(out[0]?.card?.title).toBe(`${NAME} (v1)`);
      expect(texts(out).join('\n')).toContain(`Backtest of ${NAME} 20251101-20251201`);
    } finally {
      warn.mockRestore();
    }
  });

  it('says what to write when neither the model nor the offline reader can read the request', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { out } = await turn('what have I got so far?', CUT_OFF, CUT_OFF);
      expect(texts(out)).toEqual([
        expect.stringMatching(
          /^I couldn't make out what to do from that\. Write it .*"backtest it last 6 months"/,
        ),
      ]);
      expect(texts(out).join(' ')).not.toContain('not answering');
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps a chat answer that states what the bot itself says: its timeframes and its help', async () => {
    const reply =
      'I build Freqtrade strategies from your words and backtest them on 10 timeframes (1m to 1d), ' +
      'for example a BTC SMA 20/50 cross on 1h with a 5% stop.';
    const { out } = await turn('what are you good for?', { text: reply });
    expect(texts(out)).toEqual([reply]);
  });

  it.each([
    'BTC is up roughly forty-two percent this month.',
    'BTC has about doubled since January.',
    'ETH made three times what BTC did.',
  ])('replaces a chat answer with figures in words: %s', async (reply) => {
    const { out } = await turn('what do you think of btc?', { text: reply });
    expect(texts(out)).toEqual([expect.stringContaining('I only quote figures from your own backtests')]);
  });
});
