// What happens when things stop: a worker stopped mid-backtest puts it back in the queue and the next
// worker finishes it; a platform that is down gets its result from the outbox once it is back; a result
// for a platform another process hosts waits for that process.
import { afterAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { MessageGoneError, UndeliverableError } from '../../src/delivery-errors.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps.reverse()) await a.stop();
});

describe('a worker stopped during a backtest', () => {
  it('puts the backtest back in the queue and the next worker completes it', async () => {
    const first = await startTestApp();
    apps.push(first);
    await first.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const queued = await first.send('/backtest btc-sma-20-50-1h 20240101-20240701');
    const key = String(queued[0]?.progress?.key);
    await until(
      'running',
      async () => (await first.app.models.Backtest.findById(key).lean())?.status === 'running',
    );
    await first.stop({ keepStore: true });

    const stopped = await first.app.models.Backtest.findById(key)
      .lean()
      .catch(() => null);
    expect(stopped).toBeNull(); // the first app's connection is closed

    const second = await startTestApp({}, { takeOver: first.store });
    apps.push(second);
    // Its events in order (a job handed out twice at once logs a warning without one, and is left alone).
    expect(first.logs.filter((l) => l.backtestId === key && l.event).map((l) => l.event)).toEqual([
      'backtest_queued',
      'backtest_started',
      'backtest_requeued',
    ]);
    const done = await until(
      'the successor to finish',
      async () => {
        const bt = await second.app.models.Backtest.findById(key).lean();
        return bt?.status === 'succeeded' || bt?.status === 'failed' ? bt : undefined;
      },
      180_000,
    );
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(second.logs.some((l) => l.event === 'backtest_started' && l.backtestId === key)).toBe(true);
  }, 240_000);
});

describe('delivery when the platform is down or elsewhere', () => {
  it('keeps the result in the outbox and delivers it, in order, when the platform is back', async () => {
    const t = await startTestApp();
    apps.push(t);
    const address = { platform: 'flaky', conversationId: 'c1', userId: 'u1' };
    const got: OutgoingMessage[] = [];
    let up = false;
    t.app.notifier.register('flaky', {
      async deliver(_a, msg) {
        if (!up) throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
        got.push(msg);
        return { messageId: String(got.length) };
      },
    });
    expect(await t.app.notifier.notify(address, { text: 'first' })).toBe(false);
    expect(await t.app.notifier.notify(address, { text: 'second' })).toBe(false);
    expect(await t.app.models.Outbox.countDocuments({ platform: 'flaky' })).toBe(2);
    up = true;
    // The first retry waits for its backoff; drain until both are through.
    await until('delivery', async () => {
      await t.app.models.Outbox.updateMany({ platform: 'flaky' }, { $set: { nextAttemptAt: new Date(0) } });
      await t.app.notifier.drainOutbox();
      return got.length === 2;
    });
    expect(got.map((m) => m.text)).toEqual(['first', 'second']);
    expect(await t.app.models.Outbox.countDocuments({ platform: 'flaky' })).toBe(0);
  });

  it('hands a message for a platform this process does not host to the process that does', async () => {
    const worker = await startTestApp();
    apps.push(worker);
    const bot = await startTestApp({}, { takeOver: worker.store });
    apps.push(bot);
    const address = { platform: 'elsewhere', conversationId: 'c2', userId: 'u2' };
    const got: OutgoingMessage[] = [];
    bot.app.notifier.register('elsewhere', {
      async deliver(_a, msg) {
        got.push(msg);
        return { messageId: 'm1' };
      },
    });
    expect(
      await worker.app.notifier.notify(address, {
        text: 'result',
        progress: { key: 'k1', state: 'succeeded' },
      }),
    ).toBe(false);
    await until('the bot to deliver', async () => got.length === 1, 10_000);
    expect(got[0]?.text).toBe('result');
    // The delivered message is remembered (after the send returns), so a later state edits it in place.
    const delivery = await until('the delivery record', () =>
      bot.app.models.Delivery.findOne({ progressKey: 'k1' }).lean(),
    );
    expect(delivery).toMatchObject({ platform: 'elsewhere', messageId: 'm1', state: 'succeeded' });
  });

  it('sends one message per backtest and edits it, even when its states race', async () => {
    const t = await startTestApp();
    apps.push(t);
    const calls: { text: string; replace: string | undefined }[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    t.app.notifier.register('racy', {
      async deliver(_a, msg, opts) {
        calls.push({ text: msg.text, replace: opts?.replace?.messageId });
        if (calls.length === 1) await held; // the "queued" send is slow
        return { messageId: 'm-1' };
      },
    });
    const address = { platform: 'racy', conversationId: 'c3', userId: 'u3' };
    const queued = t.app.notifier.notify(address, {
      text: 'queued',
      progress: { key: 'k9', state: 'queued' },
    });
    await until('the first send', async () => calls.length === 1);
    const running = t.app.notifier.notify(address, {
      text: 'running',
      progress: { key: 'k9', state: 'running' },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toHaveLength(1); // "running" waits for "queued" to exist
    release();
    await Promise.all([queued, running]);
    expect(calls).toEqual([
      { text: 'queued', replace: undefined },
      { text: 'running', replace: 'm-1' },
    ]);
    // A late "queued" never overwrites "running".
    await t.app.notifier.notify(address, { text: 'queued again', progress: { key: 'k9', state: 'queued' } });
    expect(calls).toHaveLength(2);
  });

  it('drops a message the platform refuses for good instead of retrying it', async () => {
    const t = await startTestApp();
    apps.push(t);
    let refuse = false;
    const calls: string[] = [];
    t.app.notifier.register('blocked', {
      async deliver(_a, msg) {
        calls.push(msg.text);
        if (refuse) throw new UndeliverableError('Forbidden: bot was blocked by the user');
        throw new Error('502 Bad Gateway');
      },
    });
    const address = { platform: 'blocked', conversationId: 'c4', userId: 'u4' };
    // A transient failure parks the message; once the user blocks the bot, the retry drops it.
    expect(await t.app.notifier.notify(address, { text: 'result' })).toBe(false);
    expect(await t.app.models.Outbox.countDocuments({ platform: 'blocked' })).toBe(1);
    refuse = true;
    await t.app.models.Outbox.updateMany({ platform: 'blocked' }, { $set: { nextAttemptAt: new Date(0) } });
    await t.app.notifier.drainOutbox();
    expect(await t.app.models.Outbox.countDocuments({ platform: 'blocked' })).toBe(0);
    // A fresh message refused for good is not parked either.
    expect(await t.app.notifier.notify(address, { text: 'later' })).toBe(false);
    expect(await t.app.models.Outbox.countDocuments({ platform: 'blocked' })).toBe(0);
    expect(calls).toEqual(['result', 'result', 'later']);
  });

  it('posts a progress update anew when the message it would edit is gone', async () => {
    const t = await startTestApp();
    apps.push(t);
    const calls: { text: string; replace: string | undefined }[] = [];
    t.app.notifier.register('gone', {
      async deliver(_a, msg, opts) {
        calls.push({ text: msg.text, replace: opts?.replace?.messageId });
        if (opts?.replace) throw new MessageGoneError('Unknown Message');
        return { messageId: `m-${calls.length}` };
      },
    });
    const address = { platform: 'gone', conversationId: 'c5', userId: 'u5' };
    await t.app.notifier.notify(address, { text: 'queued', progress: { key: 'k5', state: 'queued' } });
    expect(
      await t.app.notifier.notify(address, { text: 'done', progress: { key: 'k5', state: 'succeeded' } }),
    ).toBe(true);
    expect(calls).toEqual([
      { text: 'queued', replace: undefined },
      { text: 'done', replace: 'm-1' },
      { text: 'done', replace: undefined },
    ]);
    const delivery = await t.app.models.Delivery.findOne({ progressKey: 'k5' }).lean();
    expect(delivery).toMatchObject({ messageId: 'm-3', state: 'succeeded' });
  });

  it("keeps each chat's order in the outbox without one chat holding up another", async () => {
    const t = await startTestApp();
    apps.push(t);
    const got: string[] = [];
    let failFor: string | undefined = 'a';
    t.app.notifier.register('ordered', {
      async deliver(address, msg) {
        if (address.conversationId === failFor) throw new Error('503 Service Unavailable');
        got.push(`${address.conversationId}:${msg.text}`);
        return { messageId: String(got.length) };
      },
    });
    const chat = (id: string) => ({ platform: 'ordered', conversationId: id, userId: id });
    // Chat a's first message fails and backs off; its second waits behind it; chat b is unaffected.
    expect(await t.app.notifier.notify(chat('a'), { text: 'a1' })).toBe(false);
    expect(await t.app.notifier.notify(chat('a'), { text: 'a2' })).toBe(false);
    await t.app.models.Outbox.updateOne({ 'message.text': 'a2' }, { $set: { nextAttemptAt: new Date(0) } });
    await t.app.models.Outbox.create({
      platform: 'ordered',
      address: chat('b'),
      message: { text: 'b1' },
      attempts: 0,
      nextAttemptAt: new Date(0),
    });
    await t.app.notifier.drainOutbox();
    expect(got).toEqual(['b:b1']); // a2 did not overtake a1, which is still backing off
    failFor = undefined;
    await t.app.models.Outbox.updateMany({ platform: 'ordered' }, { $set: { nextAttemptAt: new Date(0) } });
    await t.app.notifier.drainOutbox();
    expect(got).toEqual(['b:b1', 'a:a1', 'a:a2']);
  });

  it('sends two messages for one chat in the order they were given, even when sent at once', async () => {
    const t = await startTestApp();
    apps.push(t);
    const got: string[] = [];
    t.app.notifier.register('burst', {
      async deliver(_a, msg) {
        // The first send is the slow one: without per-chat order the second would arrive first.
        if (msg.text === 'one') await new Promise((r) => setTimeout(r, 100));
        got.push(msg.text);
        return { messageId: msg.text };
      },
    });
    const address = { platform: 'burst', conversationId: 'c6', userId: 'u6' };
    await Promise.all([
      t.app.notifier.notify(address, { text: 'one' }),
      t.app.notifier.notify(address, { text: 'two' }),
    ]);
    expect(got).toEqual(['one', 'two']);
  });
});
