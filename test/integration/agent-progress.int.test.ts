// The progress message of a model draft, end to end: /new over the Telegram Bot API peer, the real
// @langchain/openai client against a scripted chat-completions server, the real engine. The chat gets
// one message as drafting starts, edited in place when a try fails validation and the model repairs
// it, closed before the strategy card; plain words, never the validator's text. Without a model the
// offline parser answers at once and no progress message appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeOpenAI, modelEnv, type Scripted, startFakeOpenAI } from '../support/fake-openai.ts';
import { dmAddress, telegramHarness } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

/** An RSI strategy on BTC/USDT 1h that trades on the sample data; a `period` of 0 breaks the language. */
function rsiDraft(name: string, period = 14): Scripted {
  const rsi = { kind: 'rsi', period };
  return {
    json: {
      name,
      spec: {
        specVersion: 2,
        timeframe: '1h',
        pairs: ['BTC/USDT'],
        entry: { all: [{ op: 'below', left: rsi, right: 30 }] },
        exit: { all: [{ op: 'above', left: { kind: 'rsi', period: 14 }, right: 70 }] },
        stoploss: -0.05,
        minimalRoi: { '0': 10 },
      },
    },
  };
}

const RETRY = /\(try 2 of 3\)…$/;

describe('draft progress with a model', () => {
  let t: TestApp;
  let llm: FakeOpenAI;
  const h = telegramHarness();
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    t = await startTestApp(modelEnv(llm, { timeoutMs: 20000 }));
    await h.start(t);
  });
  afterAll(async () => {
    await h.stop();
    await t?.stop();
    await llm?.close();
  });

  it('posts one progress message, edits it for the repair, and closes it before the card', async () => {
    const chat = dmAddress('p1').conversationId;
    const before = h.messages().length;
    const calls = llm.requests.length;
    // The repaired answer comes slowly, so the chat can be read while the model works on try 2.
    llm.script.push(rsiDraft('btc-rsi-progress', 0), { delayMs: 4000, answer: rsiDraft('btc-rsi-progress') });
    const handled = h.command('p1', 'new', 'BTC buy when RSI is low, sell when high, on 1h');

    const first = await until('the progress message', () =>
      h.messages().find((m, i) => i >= before && m.chatId === chat),
    );
    // The model's first try is under way or done: the message is the opening line or already the repair.
    expect(first.text).toMatch(/^Drafting your strategy…$|\(try 2 of 3\)…$/);
    const retry = await until('the repair shown in place', () =>
      h.messages().find((m) => m.id === first.id && RETRY.test(m.text)),
    );
    expect(retry.text).toBe('The draft broke a rule of the strategy language; fixing it (try 2 of 3)…');
    expect(retry.edits).toBeGreaterThanOrEqual(1);
    // Only the progress message exists while the model repairs: the card waits for the result.
    expect(
      h
        .messages()
        .slice(before)
        .filter((m) => m.chatId === chat),
    ).toHaveLength(1);

    await handled;
    expect(llm.requests.length - calls).toBe(2);
    const shown = h
      .messages()
      .slice(before)
      .filter((m) => m.chatId === chat);
    const [progress, card, ...rest] = shown;
    // Edited in place from the repair through the engine's check to the closing line: one message.
    expect(progress?.id).toBe(first.id);
    expect(progress?.text).toBe('Drafted btc-rsi-progress.');
    expect(progress?.edits).toBeGreaterThanOrEqual(3);
    expect(card?.text).toMatch(/^Created btc-rsi-progress\. Backtest it with \/backtest btc-rsi-progress/);
    expect(rest.map((m) => m.files.map((f) => f.filename))).toEqual([['BtcRsiProgress.py']]);
    expect(Number(progress?.id)).toBeLessThan(Number(card?.id));
    // The trader never sees the validator's own words.
    for (const m of [first, retry, progress]) expect(m?.text).not.toMatch(/period|2\.\.200|entry\.all/);
    expect(h.peer().attempts(chat)).toEqual([
      'sendMessage',
      ...Array.from({ length: progress?.edits ?? 0 }, () => 'editMessageText'),
      'sendMessage',
      'sendDocument',
    ]);
  });

  it('shows the same progress for a create the agent picks from free text', async () => {
    // p1 was met in the first test, so no welcome message comes first.
    const chat = dmAddress('p1').conversationId;
    const before = h.messages().length;
    const description = 'BTC RSI dip buyer on 1h';
    llm.script.push(
      { tool: 'create_strategy', args: { description } },
      rsiDraft('btc-rsi-chat', 0),
      rsiDraft('btc-rsi-chat'),
    );
    await h.dm('p1', `please create a ${description}`);
    const [progress, card] = h
      .messages()
      .slice(before)
      .filter((m) => m.chatId === chat);
    expect(progress).toMatchObject({ text: 'Drafted btc-rsi-chat.' });
    expect(progress?.edits).toBeGreaterThanOrEqual(3);
    expect(card?.text).toMatch(/^Created btc-rsi-chat\./);
  });

  it('closes the progress message when the draft fails, and the reason follows it', async () => {
    const chat = dmAddress('p2').conversationId;
    const before = h.messages().length;
    const bad = rsiDraft('moon', 0);
    llm.script.push(bad, bad, bad);
    await h.command('p2', 'new', 'buy whenever the moon looks favourable');
    const [progress, reason, ...rest] = h
      .messages()
      .slice(before)
      .filter((m) => m.chatId === chat);
    expect(rest).toHaveLength(0);
    expect(progress?.text).toBe("I couldn't create that strategy; the reason is below.");
    expect(reason?.text).toMatch(/^I couldn't turn that into a valid strategy: /);
  });
});

describe('no progress message without a model', () => {
  let t: TestApp;
  const h = telegramHarness();
  beforeAll(async () => {
    t = await startTestApp();
    await h.start(t);
  });
  afterAll(async () => {
    await h.stop();
    await t?.stop();
  });

  it('answers /new with the card alone', async () => {
    const chat = dmAddress('p3').conversationId;
    const before = h.messages().length;
    await h.command('p3', 'new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
    const shown = h
      .messages()
      .slice(before)
      .filter((m) => m.chatId === chat);
    expect(shown[0]?.text).toMatch(/^Created btc-sma-20-50-1h\./);
    expect(shown.map((m) => m.text).join('\n')).not.toMatch(/Draft|…/);
    expect(h.peer().attempts(chat)).not.toContain('editMessageText');
    expect(await t.app.models.Delivery.countDocuments({ progressKey: /^draft:/ })).toBe(0);
  });
});
