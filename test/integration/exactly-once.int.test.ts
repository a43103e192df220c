// Deliveries handled once, and a start that doesn't hang on the optional: Telegram posting an update
// again with the same update_id, Slack retrying an event and a signed request replayed byte for byte
// within its 5 minutes (each answered by the first copy only, against the real core and FerretDB),
// and Telegram starting while setMyCommands answers 500 (the bot serves chats; the menu only warns).
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.ts';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.ts';
import {
  createInboundDeliveries,
  DELIVERY_CLAIM_BOUND_MS,
  DELIVERY_ID_LIFETIME_MS,
} from '../../src/services/inbound-deliveries.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TOKEN as DISCORD_TOKEN } from '../support/peers/discord/harness.ts';
import { type DiscordPeer, startDiscordPeer } from '../support/peers/discord/index.ts';
import { dmChannel, type Rig, startRig } from '../support/peers/slack/harness.ts';
import { dmChat, TOKEN, user } from '../support/peers/telegram/harness.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram/peer.ts';
import { until } from '../support/wait.ts';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const count = (t: TestApp, event: string) => t.logs.filter((l) => l.event === event).length;

describe('telegram over a webhook, with a failing command menu', () => {
  let t: TestApp;
  let peer: TelegramPeer;
  let adapter: TelegramAdapter;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    peer = await startTelegramPeer({ token: TOKEN });
    // Telegram answers 500 to setMyCommands alone, as the emulator did, however often it is asked.
    peer.breakMethod('setMyCommands', { status: 500 });
    const port = await freePort();
    adapter = createTelegramAdapter({
      config: {
        token: TOKEN,
        apiRoot: peer.apiRoot,
        webhook: { url: `http://127.0.0.1:${port}/tg`, secret: 'once-secret', port, host: '127.0.0.1' },
      },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.close();
    await t?.stop();
  });

  it('starts and serves chats while setMyCommands fails, and says so in a warning', async () => {
    expect(peer.webhook()?.secret).toBe('once-secret');
    await peer.send({ chat: dmChat(user('s1')), from: user('s1'), text: '/help' });
    await until('the help reply', () => peer.messages().find((m) => m.text.includes('/backtest')));
    const warning = await until('the warning', () =>
      lines.find((l) => String(l.msg).startsWith('telegram command menu not registered')),
    );
    expect(warning.level).toBe(40);
    expect(peer.commands()).toEqual([]);
  });

  it('handles an update Telegram posts again, same update_id, once', async () => {
    const chat = String(user('r1').id);
    const mine = () => peer.messages().filter((m) => m.chatId === chat);
    await peer.send({ chat: dmChat(user('r1')), from: user('r1'), text: '/help' });
    await until('the first answer', () => mine().length === 1);
    const duplicates = count(t, 'duplicate');
    // Telegram's webhook waits for the bot's answer to the POST, and the bot answers after handling.
    expect(await peer.redeliver()).toBe(200);
    expect(count(t, 'duplicate')).toBe(duplicates + 1);
    expect(mine()).toHaveLength(1);
    // A new update from the same chat is answered as usual.
    await peer.send({ chat: dmChat(user('r1')), from: user('r1'), text: '/help' });
    await until('the next answer', () => mine().length === 2);
  });

  it('takes an id as new again once its lifetime is over', async () => {
    const { InboundDelivery } = t.app.models;
    const kept = await InboundDelivery.countDocuments();
    expect(kept).toBeGreaterThan(0);
    await InboundDelivery.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    // An expired id is a new delivery again (platforms never repeat one that late).
    const chat = String(user('r1').id);
    const before = peer.messages().filter((m) => m.chatId === chat).length;
    expect(await peer.redeliver()).toBe(200);
    expect(peer.messages().filter((m) => m.chatId === chat)).toHaveLength(before + 1);
  });

  it('handles again a retry of an update whose handling failed, and answers it once', async () => {
    const chat = String(user('f1').id);
    const mine = () => peer.messages().filter((m) => m.chatId === chat);
    // The handler throws on the first delivery (after the delivery was claimed) and on no other.
    const findOne = vi.spyOn(t.app.models.PlatformIdentity, 'findOne');
    findOne.mockImplementationOnce(() => {
      throw new Error('crashed while handling');
    });
    try {
      await peer.send({ chat: dmChat(user('f1')), from: user('f1'), text: '/help' });
      await until('the apology', () => mine().length === 1);
    } finally {
      findOne.mockRestore();
    }
    expect(mine()[0]?.text).toContain('Something went wrong');
    // Telegram's retry of it is handled this time, and a retry of the handled one is dropped.
    expect(await peer.redeliver()).toBe(200);
    expect(mine()).toHaveLength(2);
    expect(mine()[1]?.text).toContain('/backtest');
    const duplicates = count(t, 'duplicate');
    expect(await peer.redeliver()).toBe(200);
    expect(count(t, 'duplicate')).toBe(duplicates + 1);
    expect(mine()).toHaveLength(2);
  });

  it('takes over a claim older than its bound (the process died handling it), not a fresh one', async () => {
    const chat = String(user('c1').id);
    const mine = () => peer.messages().filter((m) => m.chatId === chat);
    await peer.send({ chat: dmChat(user('c1')), from: user('c1'), text: '/help' });
    await until('the first answer', () => mine().length === 1);
    const { InboundDelivery } = t.app.models;
    const last = await InboundDelivery.findOne({}).sort({ claimedAt: -1 });
    expect(last?.state).toBe('done');
    // Still being handled (claimed a moment ago): the retry is dropped.
    await InboundDelivery.updateOne(
      { _id: last?._id },
      { $set: { state: 'claimed', claimedAt: new Date() } },
    );
    expect(await peer.redeliver()).toBe(200);
    expect(mine()).toHaveLength(1);
    // Claimed longer ago than any handling takes: the process that claimed it is gone.
    const longAgo = new Date(Date.now() - DELIVERY_CLAIM_BOUND_MS - 1000);
    await InboundDelivery.updateOne({ _id: last?._id }, { $set: { claimedAt: longAgo } });
    expect(await peer.redeliver()).toBe(200);
    expect(mine()).toHaveLength(2);
  });
});

describe('discord with a failing command registration', () => {
  let t: TestApp;
  let peer: DiscordPeer;
  let adapter: DiscordAdapter;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    peer = await startDiscordPeer({ token: DISCORD_TOKEN });
    peer.breakRoute('PUT', /^\/applications\/[^/]+\/commands$/, 500);
    adapter = createDiscordAdapter({
      config: { token: DISCORD_TOKEN, applicationId: peer.applicationId, apiUrl: peer.apiUrl },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.close();
    await t?.stop();
  });

  it('starts and answers DMs while the commands route answers 500, and warns', async () => {
    await peer.message({ user: 'dc1', text: 'help' });
    await until('the help reply', () => peer.messages().find((m) => m.text.includes('/backtest')));
    await until('the warning', () => lines.find((l) => l.msg === 'Discord slash commands not registered'));
    expect(peer.commands()).toEqual([]);
  });

  it('handles an interaction the gateway sends again, same id, once', async () => {
    const help = await until('the help reply', () => peer.messages().find((m) => m.buttons.length > 0));
    await peer.press('dc1', help.id, help.buttons[0]?.label ?? '');
    const created = await until(
      'the strategy from the suggestion',
      () => peer.messages().find((m) => m.text.startsWith('Created')),
      120_000,
    );
    const shown = peer.messages().length;
    const duplicates = count(t, 'duplicate');
    peer.redispatchInteraction();
    await until('the repeat reached the core', () => count(t, 'duplicate') === duplicates + 1);
    expect(peer.messages()).toHaveLength(shown);
    expect(peer.messages().filter((m) => m.text.startsWith('Created'))).toEqual([created]);
  });
});

describe('delivery ids kept for a bounded time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  it('deletes expired ids in code, the database having no TTL', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const ids = createInboundDeliveries({ models: t.app.models, now: () => now });
    await (await ids.claim('test:1'))?.done();
    expect(await ids.claim('test:2')).toBeDefined();
    expect(await ids.claim('test:1')).toBeUndefined();
    now = new Date(now.getTime() + DELIVERY_ID_LIFETIME_MS + 60_000);
    expect(await ids.claim('test:3')).toBeDefined();
    const left = await t.app.models.InboundDelivery.find({}).lean();
    expect(left.map((d) => d.deliveryId)).toEqual(['test:3']);
  });

  it('lets one copy take over a failed claim, and the taken-over claim no longer marks it', async () => {
    const ids = createInboundDeliveries({ models: t.app.models });
    const first = await ids.claim('test:f');
    expect(first).toBeDefined();
    expect(await ids.claim('test:f')).toBeUndefined();
    await first?.failed();
    const [a, b] = await Promise.all([ids.claim('test:f'), ids.claim('test:f')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    // The first copy's late word doesn't undo the claim of the one that took over.
    await first?.failed();
    expect(await ids.claim('test:f')).toBeUndefined();
  });
});

describe('slack retries and replays', () => {
  let t: TestApp;
  let rig: Rig;
  beforeAll(async () => {
    t = await startTestApp();
    rig = await startRig(t, 'http');
  });
  afterAll(async () => {
    await rig?.adapter.stop();
    await rig?.peer.stop();
    await t?.stop();
  });

  it('answers an exact replay of a signed slash command within its 5 minutes once', async () => {
    const args = { userId: 'U0RP', channelId: dmChannel('U0RP'), command: '/help', text: '' };
    expect(await rig.peer.slashCommand(args)).toBe(200);
    await until('the answer', () => rig.replies.length === 1);
    expect(rig.replies[0]?.[0]?.text).toContain('/backtest');
    // Same bytes, same timestamp and signature: Slack's signature check alone lets it through.
    expect(await rig.peer.replayLast()).toBe(200);
    await until('the replay reached the core', () => rig.replies.length === 2);
    expect(rig.replies[1]).toEqual([]);
    expect(count(t, 'duplicate')).toBe(1);
  });

  it("answers Slack's retry of an event (same event_id, signed anew) once", async () => {
    const dm = {
      type: 'message',
      channel_type: 'im',
      channel: dmChannel('U0EV'),
      user: 'U0EV',
      text: 'help',
    };
    const before = rig.replies.length;
    expect(await rig.peer.event(dm, { eventId: 'Ev0RETRY1', num: 0 })).toBe(200);
    await until('the answer', () => rig.replies.length === before + 1);
    expect(rig.replies[before]?.length).toBeGreaterThan(0);
    expect(await rig.peer.event(dm, { eventId: 'Ev0RETRY1', num: 1 })).toBe(200);
    await until('the retry reached the core', () => rig.replies.length === before + 2);
    expect(rig.replies[before + 1]).toEqual([]);
  });
});
