// The Telegram adapter end to end: grammY against a Bot API peer on loopback, the real core, FerretDB
// and the Freqtrade engine. The shared contract over long polling, then what only Telegram has:
// webhooks with a secret token, 429 retry_after, the 4,096-character limit and /cmd@BotName in groups.
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.ts';
import type { Config } from '../../src/config.ts';
import type { CardImage } from '../../src/core/types.ts';
import { type AdapterHarness, runAdapterContract } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  type PeerChat,
  type PeerUser,
  startTelegramPeer,
  type TelegramPeer,
} from '../support/peers/telegram-peer.ts';
import { until } from '../support/wait.ts';

const TOKEN = '123456:TEST-token_abc';
const GROUP: PeerChat = { id: -1001234567890, type: 'supergroup', title: 'Traders' };
const silent = pino({ level: 'silent' });

// Telegram ids are numbers; the contract names users "u1", "u2".
const userIds = new Map<string, number>();
function user(name: string): PeerUser {
  const id = userIds.get(name) ?? 5_000_000 + userIds.size + 1;
  userIds.set(name, id);
  return { id, is_bot: false, first_name: name };
}
const dmChat = (u: PeerUser): PeerChat => ({ id: u.id, type: 'private', first_name: u.first_name });

type TelegramConfig = NonNullable<Config['platforms']['telegram']>;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function startAdapter(t: TestApp, config: TelegramConfig): TelegramAdapter {
  return createTelegramAdapter({
    config,
    conversation: t.app.conversation,
    notifier: t.app.notifier,
    logger: silent,
  });
}

function telegramHarness(): AdapterHarness & { peer(): TelegramPeer } {
  let peer: TelegramPeer | undefined;
  let adapter: TelegramAdapter | undefined;
  const p = () => {
    if (!peer) throw new Error('harness not started');
    return peer;
  };
  return {
    platform: 'telegram',
    peer: p,
    async start(t) {
      peer = await startTelegramPeer({ token: TOKEN });
      adapter = startAdapter(t, { token: TOKEN, apiRoot: peer.apiRoot, webhook: undefined });
      await adapter.start();
    },
    async stop() {
      await adapter?.stop();
      await peer?.close();
    },
    registeredCommands: () => p().commands(),
    dm: (userId, text) => p().send({ chat: dmChat(user(userId)), from: user(userId), text }),
    channel: (userId, text, { mention }) =>
      p().send({ chat: GROUP, from: user(userId), text: mention ? `@${p().bot.username} ${text}` : text }),
    fromBot: (text) => {
      const other: PeerUser = { id: 6_000_000_001, is_bot: true, first_name: 'Other', username: 'OtherBot' };
      return p().send({ chat: dmChat(other), from: other, text });
    },
    command: (userId, name, args) =>
      p().send({ chat: dmChat(user(userId)), from: user(userId), text: `/${name}${args ? ` ${args}` : ''}` }),
    press: (userId, messageId, label) => p().press(user(userId), messageId, label),
    messages: () => p().messages(),
  };
}

describe('telegram over long polling', () => {
  runAdapterContract(telegramHarness);
});

describe('telegram specifics over long polling', () => {
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

  it('waits out a 429 with retry_after and then delivers the reply', async () => {
    const before = h.messages().length;
    const calls = h.peer().calls('sendMessage');
    h.peer().failNext('sendMessage', 1);
    const started = Date.now();
    // The peer confirms the update only once its handler finished: by then the reply went out in
    // that same send, waited out and retried, not later through the outbox.
    await h.command('u1', 'help', '');
    const [reply] = h.messages().slice(before);
    expect(await t.app.models.Outbox.countDocuments()).toBe(0);
    expect(reply?.text).toContain('/backtest');
    expect(h.peer().calls('sendMessage') - calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('splits a reply over 4,096 characters into several messages, losing nothing', async () => {
    const before = h.messages().length;
    const lines = Array.from(
      { length: 300 },
      (_, i) => `line ${String(i).padStart(3, '0')}: ${'<&>'.repeat(8)}`,
    );
    const u = user('u1');
    const address = { platform: 'telegram', conversationId: String(u.id), userId: String(u.id) };
    await t.app.notifier.notify(address, { text: lines.join('\n') });
    const parts = h.messages().slice(before);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((m) => m.text).join('\n')).toBe(lines.join('\n'));
  });

  it('edits a progress message in place, then sends the result card as a photo with its caption', async () => {
    const before = h.messages().length;
    const u = user('u1');
    const address = { platform: 'telegram', conversationId: String(u.id), userId: String(u.id) };
    const progress = (state: 'queued' | 'running' | 'succeeded') => ({ key: 'bt-photo-1', state });
    await t.app.notifier.notify(address, {
      text: 'Backtest of demo: queued.',
      progress: progress('queued'),
      buttons: [{ label: 'Cancel', action: 'cancel' }],
    });
    await t.app.notifier.notify(address, {
      text: 'Backtest of demo: running...',
      progress: progress('running'),
    });
    const image: CardImage = { filename: 'demo.png', contentType: 'image/png', data: new Uint8Array(5000) };
    await t.app.notifier.notify(address, {
      text: 'Backtest of demo: done.',
      progress: progress('succeeded'),
      card: { title: 'Backtest: demo <1h>', fields: [{ name: 'Trades', value: '42' }], image },
      buttons: [{ label: 'Run again', action: 'help' }],
    });
    const [status, photo, ...rest] = h.messages().slice(before);
    expect(rest).toHaveLength(0);
    expect(status).toMatchObject({ text: 'Backtest of demo: done.', edits: 2, buttons: [] });
    expect(photo?.images).toEqual([{ filename: 'demo.png', bytes: 5000 }]);
    expect(photo?.text).toBe('Backtest: demo <1h>\nTrades: 42');
    expect(photo?.buttons.map((b) => b.label)).toEqual(['Run again']);
  });

  it('answers /cmd@BotName in a group and ignores commands for another bot', async () => {
    const before = h.messages().length;
    await h.peer().send({ chat: GROUP, from: user('u3'), text: '/help@OtherBot' });
    expect(h.messages().length).toBe(before);
    await h.peer().send({ chat: GROUP, from: user('u3'), text: `/help@${h.peer().bot.username}` });
    const [reply] = h.messages().slice(before);
    expect(reply?.chatId).toBe(String(GROUP.id));
    expect(reply?.text).toContain('/backtest');
  });

  it('answers a reply to the bot in a group without a mention', async () => {
    const before = h.messages().length;
    await h.peer().send({ chat: GROUP, from: user('u3'), text: 'help', replyToBot: true });
    await until('the reply', () => h.messages().length > before);
    expect(h.messages()[before]?.chatId).toBe(String(GROUP.id));
  });

  it('answers the callback query of every button press', async () => {
    const help = h.messages().find((m) => m.text.includes('/backtest') && m.buttons.length > 0);
    if (!help) throw new Error('no help message');
    const answered = h.peer().answeredCallbacks().length;
    await h.press('u1', help.id, help.buttons[0]?.label ?? '');
    expect(h.peer().answeredCallbacks().length).toBe(answered + 1);
  });
});

describe('telegram over a webhook', () => {
  let t: TestApp;
  let peer: TelegramPeer;
  let adapter: TelegramAdapter;
  const secret = 'webhook_secret-123';
  beforeAll(async () => {
    t = await startTestApp();
    peer = await startTelegramPeer({ token: TOKEN });
    const port = await freePort();
    adapter = startAdapter(t, {
      token: TOKEN,
      apiRoot: peer.apiRoot,
      webhook: { url: `http://127.0.0.1:${port}/telegram`, secret, port, host: '127.0.0.1' },
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.close();
    await t?.stop();
  });

  const incoming = () => t.logs.filter((l) => l.event === 'incoming').length;
  const helpUpdate = (id: number) => {
    const u = user('w1');
    return {
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: dmChat(u),
        from: u,
        text: '/help',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    };
  };

  it('registers the webhook with its secret and answers an update Telegram posts', async () => {
    expect(peer.webhook()).toEqual({ url: expect.stringContaining('/telegram'), secret });
    expect(peer.commands()).toContain('backtest');
    await peer.send({ chat: dmChat(user('w1')), from: user('w1'), text: '/help' });
    const reply = await until('the help reply', () =>
      peer.messages().find((m) => m.text.includes('/backtest')),
    );
    expect(reply.chatId).toBe(String(user('w1').id));
  });

  it('refuses a forged or missing secret with 401 before any handler runs', async () => {
    const before = { handled: incoming(), sent: peer.messages().length };
    expect(await peer.postToWebhook(helpUpdate(900_001), 'forged-secret')).toBe(401);
    expect(await peer.postToWebhook(helpUpdate(900_002), undefined)).toBe(401);
    expect(await peer.postToWebhook(helpUpdate(900_003), `${secret}x`)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(incoming()).toBe(before.handled);
    expect(peer.messages().length).toBe(before.sent);
    // The same update with the right secret does reach the core: the refusals above were the secret's.
    expect(await peer.postToWebhook(helpUpdate(900_004), secret)).toBe(200);
    expect(incoming()).toBe(before.handled + 1);
  });
});
