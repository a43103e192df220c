// A Telegram outage loses no result: a real backtest started through the Bot API peer finishes while
// the peer is down, its result card waits in the outbox and arrives, chart and all, once Telegram is
// back. And what retrying can't fix isn't retried: a user who blocked the bot gets one attempt, and a
// deleted progress message gets the next state posted anew.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { dmAddress, telegramHarness } from '../support/peers/telegram/harness.ts';
import { until } from '../support/wait.ts';

const ParkedResult = z.object({
  progress: z.object({ state: z.literal('succeeded') }),
  card: z.object({ title: z.string(), image: z.object({ filename: z.string() }) }),
});

describe('telegram going down and coming back', () => {
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

  const inChat = (chatId: string) => h.messages().filter((m) => m.chatId === chatId);
  /** Makes every waiting message due now and drains the outbox, as the periodic drain would later. */
  const drainNow = async () => {
    await t.app.models.Outbox.updateMany({ platform: 'telegram' }, { $set: { nextAttemptAt: new Date(0) } });
    await t.app.notifier.drainOutbox();
  };

  it('delivers a result that finished during an outage once Telegram is back, and /show has it', async () => {
    const peer = h.peer();
    const chat = dmAddress('o1').conversationId;
    await h.command('o1', 'new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
    await until('the strategy', () => inChat(chat).find((m) => m.text.includes('Created btc-sma-20-50-1h')));
    await h.command('o1', 'backtest', 'btc-sma-20-50-1h 20240101-20240701');
    const progress = await until('the progress message', () =>
      inChat(chat).find((m) => m.text.includes('Backtest of btc-sma-20-50-1h')),
    );
    await peer.goDown();
    const running = await t.app.models.Backtest.findOne().lean();
    expect(running?.status).not.toBe('succeeded'); // Telegram went down before the result was ready

    const parked = await until(
      'the result card in the outbox',
      async () => {
        const waiting = await t.app.models.Outbox.find({ platform: 'telegram' }).lean();
        return waiting.map((w) => ParkedResult.safeParse(w.message).data).find(Boolean);
      },
      180_000,
    );
    expect(parked.card.title).toContain('btc-sma-20-50-1h');
    expect(inChat(chat).some((m) => m.images.length > 0)).toBe(false);

    await peer.comeBack();
    // One drain sends it (unless the periodic drain claimed it first and is sending it right now).
    await drainNow();
    const result = await until('the result card at the peer', () =>
      inChat(chat).find((m) => m.images.length > 0),
    );
    expect(result.images[0]?.bytes).toBeGreaterThan(1000);
    const bt = await withPayload(
      t.app.models,
      await t.app.models.Backtest.findOne({ status: 'succeeded' }).lean(),
    );
    const trades = Number(bt?.summary?.trades);
    expect(result.text).toMatch(new RegExp(`Trades[^0-9]{0,40}${trades}(?![0-9])`));
    expect(await t.app.models.Outbox.countDocuments({ platform: 'telegram' })).toBe(0);
    // Still one progress message, edited to its final state.
    const shown = inChat(chat).filter((m) => m.text.includes('Backtest of btc-sma-20-50-1h'));
    expect(shown.map((m) => m.id)).toEqual([progress.id]);
    expect(shown[0]?.text).toContain('done');

    // Polling resumed too: /show answers, with the result.
    const before = inChat(chat).length;
    await h.command('o1', 'show', 'btc-sma-20-50-1h');
    const reply = await until('the /show reply', () => inChat(chat).slice(before)[0]);
    expect(reply.text).toContain(`20240101-20240701: ${trades} trades`);
  }, 240_000);

  it('tries a parked result once for a user who blocked the bot meanwhile, then drops it', async () => {
    const peer = h.peer();
    const address = dmAddress('o2');
    const chat = address.conversationId;
    const result: OutgoingMessage = {
      text: 'Backtest of demo: done.',
      progress: { key: 'bt-blocked', state: 'succeeded' },
      card: { title: 'Backtest: demo', fields: [{ name: 'Trades', value: '3' }] },
    };
    await peer.goDown();
    expect(await t.app.notifier.notify(address, result)).toBe(false);
    expect(await t.app.models.Outbox.countDocuments({ 'address.conversationId': chat })).toBe(1);
    peer.block(chat);
    await peer.comeBack();
    const parked = () => t.app.models.Outbox.countDocuments({ 'address.conversationId': chat });
    await until('the parked result to be tried', async () => {
      await drainNow();
      return (await parked()) === 0;
    });
    expect(peer.attempts(chat)).toEqual(['sendMessage']);
    // Nothing is left to retry, and a new message for that chat is refused without being parked.
    await drainNow();
    expect(await t.app.notifier.notify(address, { text: 'later' })).toBe(false);
    expect(peer.attempts(chat)).toEqual(['sendMessage', 'sendMessage']);
    expect(await parked()).toBe(0);
    expect(inChat(chat)).toHaveLength(0);
  });

  it('posts the next state anew when the user deleted the progress message', async () => {
    const peer = h.peer();
    const address = dmAddress('o3');
    const chat = address.conversationId;
    const state = (s: 'queued' | 'running' | 'succeeded') => ({ key: 'bt-deleted', state: s });
    await t.app.notifier.notify(address, { text: 'Backtest of demo: queued.', progress: state('queued') });
    const [queued] = inChat(chat);
    if (!queued) throw new Error('no progress message');
    peer.deleteMessage(chat, queued.id);

    expect(
      await t.app.notifier.notify(address, {
        text: 'Backtest of demo: running...',
        progress: state('running'),
      }),
    ).toBe(true);
    const [running, ...others] = inChat(chat);
    expect(others).toHaveLength(0);
    expect(running).toMatchObject({ text: 'Backtest of demo: running...', edits: 0 });
    expect(running?.id).not.toBe(queued.id);
    expect(peer.attempts(chat)).toEqual(['sendMessage', 'editMessageText', 'sendMessage']);

    // The new message is the one later states edit.
    await t.app.notifier.notify(address, { text: 'Backtest of demo: done.', progress: state('succeeded') });
    expect(inChat(chat)).toEqual([
      expect.objectContaining({ id: running?.id, text: 'Backtest of demo: done.', edits: 1 }),
    ]);
  });
});
