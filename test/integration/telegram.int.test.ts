// The Telegram adapter end to end: grammY against a Bot API peer on loopback, the real core, FerretDB
// and the Freqtrade engine. The shared contract over long polling, then what only Telegram has:
// webhooks with a secret token, 429 retry_after, the 4,096-character limit, /cmd@BotName in groups,
// and chats served concurrently with each chat's order kept.
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/index.ts';
import type { CardImage } from '../../src/core/types.ts';
import { runAdapterContract } from '../contract/adapter-contract.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  dmAddress,
  dmChat,
  GROUP,
  startAdapter,
  TOKEN,
  telegramHarness,
  user,
} from '../support/peers/telegram/harness.ts';
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
    await h.command('u1', 'help', '');
    const [reply] = await until(
      'the reply',
      () => h.messages().length > before && h.messages().slice(before),
    );
    // The reply went out in that same send, waited out and retried, not later through the outbox.
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
    await t.app.notifier.notify(dmAddress('u1'), { text: lines.join('\n') });
    const parts = h.messages().slice(before);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((m) => m.text).join('\n')).toBe(lines.join('\n'));
  });

  it('edits a progress message in place, then sends the result card as a photo with its caption', async () => {
    const before = h.messages().length;
    const address = dmAddress('u1');
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
    // One chat's updates are handled in order, so once this one is answered the other one was handled.
    await h.peer().send({ chat: GROUP, from: user('u3'), text: `/help@${h.peer().bot.username}` });
    const [reply] = await until(
      'the reply',
      () => h.messages().length > before && h.messages().slice(before),
    );
    expect(reply?.chatId).toBe(String(GROUP.id));
    expect(reply?.text).toContain('/backtest');
    expect(h.messages().slice(before)).toHaveLength(1);
  });

  it('serves chats concurrently while each chat keeps the order of its updates', async () => {
    const [a, b] = [dmAddress('c1').conversationId, dmAddress('c2').conversationId];
    const of = (chatId: string) => h.messages().filter((m) => m.chatId === chatId);
    // The peer's send resolves once the bot polled the update, not when it finished handling it.
    const send = (name: string, text: string) =>
      h.peer().send({ chat: dmChat(user(name)), from: user(name), text });
    // Telegram holds chat A's first reply, so its handler is stuck until the test lets it through.
    const slow = h.peer().hold('sendMessage', a);
    await send('c1', '/help');
    await slow.arrived;
    // The bot takes A's next command and B's while A's first is still running (a bot handling one
    // update at a time would never poll past it, and these would time out).
    await send('c1', '/strategies');
    await send('c2', '/help');
    const [forB] = await until("chat B's reply while chat A waits", () => of(b).length > 0 && of(b));
    expect(forB?.text).toContain('/backtest');
    expect(h.peer().attempts(a)).toEqual(['sendMessage']); // A's second command waits behind its first
    slow.release();
    const forA = await until("chat A's replies", () => of(a).length === 2 && of(a));
    expect(forA[0]?.text).toContain('/backtest');
    expect(forA[1]?.text).toMatch(/no strategies/i);
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
    await until('the answered callback', () => h.peer().answeredCallbacks().length === answered + 1);
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
    await until('the command menu', () => peer.commands().includes('backtest'));
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

describe("telegram's webhook on the app's one HTTP server", () => {
  let t: TestApp;
  let peer: TelegramPeer;
  let adapter: TelegramAdapter;
  let base: string;
  const secret = 'one_server-secret';
  beforeAll(async () => {
    peer = await startTelegramPeer({ token: TOKEN });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL: base,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: peer.apiRoot,
      TELEGRAM_WEBHOOK_URL: `${base}/telegram/updates`,
      TELEGRAM_WEBHOOK_SECRET: secret,
    };
    t = await startTestApp(env);
    const webhooks = t.app.webhooks;
    if (!webhooks) throw new Error('the app made no webhook routes');
    adapter = createTelegramAdapter({
      config: {
        token: TOKEN,
        apiRoot: peer.apiRoot,
        webhook: { url: env.TELEGRAM_WEBHOOK_URL, secret, port: 1, host: '127.0.0.1' },
      },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: 'silent' }),
      webhooks,
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.close();
    await t?.stop();
  });

  it('serves updates beside the health check, with the security headers, and refuses a forged secret', async () => {
    expect(peer.webhook()).toEqual({ url: `${base}/telegram/updates`, secret });
    await peer.send({ chat: dmChat(user('one1')), from: user('one1'), text: '/help' });
    await until('the help reply', () => peer.messages().find((m) => m.chatId === String(user('one1').id)));
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const before = t.logs.filter((l) => l.event === 'incoming').length;
    const update = {
      update_id: 990_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: dmChat(user('one2')),
        from: user('one2'),
        text: '/help',
      },
    };
    expect(await peer.postToWebhook(update, 'forged')).toBe(401);
    expect(await peer.postToWebhook(update, undefined)).toBe(401);
    expect(t.logs.filter((l) => l.event === 'incoming').length).toBe(before);
    const res = await fetch(`${base}/telegram/updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify({ ...update, update_id: 990_002 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(t.logs.filter((l) => l.event === 'incoming').length).toBe(before + 1);
  });
});
