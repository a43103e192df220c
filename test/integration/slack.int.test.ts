// The Slack adapter end to end: Bolt over HTTP against signed requests from a loopback Slack peer,
// and over Socket Mode, with the real app (FerretDB, engine). The shared contract runs first; then
// what only Slack has: signature checks, Retry-After, Block Kit limits, modals, answers through
// response_urls (ephemeral where others could see them) and Socket Mode.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.ts';
import { LATE_FORM } from '../../adapters/slack/interactions.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { runAdapterContract } from '../contract/adapter-contract.ts';
import type { TestApp } from '../support/app.ts';
import { startTestApp } from '../support/app.ts';
import { dmChannel, type Rig, slackHarness, startRig } from '../support/peers/slack/harness.ts';
import { type SlackPeer, startSlackPeer } from '../support/peers/slack/index.ts';
import { until } from '../support/wait.ts';

const ok = async (status: Promise<number>) => expect(await status).toBe(200);

runAdapterContract(slackHarness);

describe('slack specifics', () => {
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
  const help = (userId: string) => ({ userId, channelId: dmChannel(userId), command: '/help', text: '' });

  it('refuses forged, unsigned and stale requests with 401 before any handler runs', async () => {
    expect(await rig.peer.slashCommand(help('u5'), { signature: 'forged' })).toBe(401);
    expect(await rig.peer.slashCommand(help('u5'), { signature: 'missing' })).toBe(401);
    expect(await rig.peer.slashCommand(help('u5'), { ageSeconds: 6 * 60 })).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.handled).toHaveLength(0);
    expect(rig.peer.messages()).toHaveLength(0);
    // The same request signed properly goes through, so the refusals were the signature's doing.
    expect(await rig.peer.slashCommand(help('u5'))).toBe(200);
    await until('the help reply', () => rig.peer.messages()[0]);
    expect(rig.handled).toHaveLength(1);
  });

  it('waits out a 429 for as long as Retry-After says, then delivers', async () => {
    rig.peer.rateLimitNext('chat.postMessage', 3);
    const before = rig.peer.messages().length;
    // A DM has no response_url: its answer is posted with chat.postMessage.
    await ok(
      rig.peer.event({
        type: 'message',
        channel_type: 'im',
        channel: dmChannel('u6'),
        user: 'u6',
        text: 'help',
      }),
    );
    const reply = await until('the retried reply', () => rig.peer.messages()[before]);
    expect(reply.text).toContain('/backtest');
    const [limited, retried] = rig.peer.calls('chat.postMessage').slice(-2);
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    // The client's own backoff is 1 s; only Retry-After explains 3.
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(3000);
  });

  it('drops a message Slack will never take after one attempt, instead of keeping it in the outbox', async () => {
    rig.peer.leaveChannel('C0PRIVATE');
    const address = { platform: 'slack', conversationId: 'C0PRIVATE', userId: 'u10' };
    expect(await t.app.notifier.notify(address, { text: 'Backtest of x: done.' })).toBe(false);
    expect(await t.app.notifier.drainOutbox()).toBe(0);
    const attempts = rig.peer.calls('chat.postMessage').filter((c) => c.channel === 'C0PRIVATE');
    expect(attempts.map((c) => c.error)).toEqual(['not_in_channel']);
    expect(await t.app.models.Outbox.countDocuments({ 'address.conversationId': 'C0PRIVATE' })).toBe(0);
  });

  it('posts a progress update anew when its message was deleted, and edits the new one after', async () => {
    const address = { platform: 'slack', conversationId: 'D0PROGRESS', userId: 'u11' };
    const progress = (state: 'queued' | 'running' | 'succeeded'): OutgoingMessage => ({
      text: `Backtest of x: ${state}.`,
      progress: { key: 'deleted-progress', state },
    });
    const inChat = () => rig.peer.messages().filter((m) => m.chatId === 'D0PROGRESS');
    expect(await t.app.notifier.notify(address, progress('queued'))).toBe(true);
    const [queued] = inChat();
    if (!queued) throw new Error('no queued message');
    rig.peer.deleteMessage(queued.id);
    expect(await t.app.notifier.notify(address, progress('running'))).toBe(true);
    expect(rig.peer.calls('chat.update').at(-1)?.error).toBe('message_not_found');
    expect(inChat()).toMatchObject([{ text: 'Backtest of x: running.', edits: 0 }]);
    expect(await t.app.notifier.notify(address, progress('succeeded'))).toBe(true);
    expect(inChat()).toMatchObject([{ text: 'Backtest of x: succeeded.', edits: 1 }]);
  });

  it('splits an over-long reply into several messages within Block Kit limits', async () => {
    const lines = Array.from({ length: 700 }, (_, i) => `line ${i}: ${'x'.repeat(230)}`);
    const message: OutgoingMessage = {
      text: lines.join('\n'),
      card: {
        title: `A very long title ${'t'.repeat(300)}`,
        fields: Array.from({ length: 25 }, (_, i) => ({
          name: `Field ${i}`,
          value: 'v'.repeat(i === 0 ? 2500 : 20),
        })),
      },
      buttons: Array.from({ length: 30 }, (_, i) => ({
        label: `Button ${i} ${'b'.repeat(90)}`,
        action: `say|${i}`,
      })),
    };
    const before = rig.peer.messages().length;
    const address = { platform: 'slack', conversationId: 'D0LONG', userId: 'u9' };
    expect(await t.app.notifier.notify(address, message)).toBe(true);
    expect(rig.peer.calls().filter((c) => c.error === 'invalid_blocks')).toEqual([]);
    const sent = rig.peer.messages().slice(before);
    expect(sent.length).toBeGreaterThan(1);
    const text = sent.map((m) => m.text).join('\n');
    for (const line of [lines[0], lines[350], lines[699]]) expect(text).toContain(line);
    expect(text).toContain('Field 24');
    expect(sent.flatMap((m) => m.buttons.map((b) => b.payload))).toEqual(
      message.buttons?.map((b) => b.action),
    );
  });

  it('opens a form as a modal with the trigger id and hands the submission to the core', async () => {
    await ok(
      rig.peer.slashCommand({
        ...help('u7'),
        command: '/new',
        text: 'BTC SMA 20/50 cross on 1h with a 5% stop',
      }),
    );
    await until('the created strategy', () =>
      rig.peer.messages().find((m) => m.text.includes('Created btc-sma')),
    );
    await ok(rig.peer.slashCommand({ ...help('u7'), command: '/edit', text: 'btc-sma-20-50-1h' }));
    const opened = await until('the edit modal', () => rig.peer.views()[0]);
    expect(opened.view.blocks.length).toBeLessThanOrEqual(5);
    const mark = rig.handled.length;
    const sent = rig.peer.messages().length;
    await ok(rig.peer.submitView('u7', opened.view, {}));
    const form = await until('the form event', () => rig.handled.slice(mark).find((e) => e.kind === 'form'));
    expect(form).toMatchObject({
      submit: opened.view.callback_id,
      address: { platform: 'slack', conversationId: dmChannel('u7'), userId: 'u7' },
      values: Object.fromEntries(opened.view.blocks.map((b) => [b.block_id, b.element.initial_value ?? ''])),
    });
    // The core's answer goes back to the chat the modal was opened from.
    await until('the answer to the form', () =>
      rig.peer
        .messages()
        .slice(sent)
        .find((m) => m.chatId === dmChannel('u7')),
    );
  });

  it('answers a slash command where the bot is no member through its response_url, ephemeral', async () => {
    rig.peer.leaveChannel('G0PRIVATE');
    const posted = rig.peer.calls('chat.postMessage').length;
    await ok(rig.peer.slashCommand({ ...help('u12'), channelId: 'G0PRIVATE' }));
    const reply = await until('the ephemeral reply', () =>
      rig.peer.messages().find((m) => m.chatId === 'G0PRIVATE'),
    );
    expect(reply).toMatchObject({ via: 'response_url', visibleTo: 'u12' });
    expect(reply.text).toContain('/backtest');
    expect(rig.peer.calls('chat.postMessage').slice(posted)).toEqual([]);
  });

  it("answers in a DM between two people privately, and in the user's own DM for everyone", async () => {
    // D0PAIR is a DM between u13 and someone else; the bot's DM with u13 is D0U13.
    await ok(rig.peer.slashCommand({ ...help('u13'), channelId: 'D0PAIR' }));
    const pair = await until('the reply in the pair DM', () =>
      rig.peer.messages().find((m) => m.chatId === 'D0PAIR'),
    );
    expect(pair).toMatchObject({ via: 'response_url', visibleTo: 'u13' });
    await ok(rig.peer.slashCommand(help('u13')));
    const own = await until('the reply in the own DM', () =>
      rig.peer.messages().find((m) => m.chatId === dmChannel('u13')),
    );
    expect(own.via).toBe('response_url');
    expect(own.visibleTo).toBeUndefined();
  });

  it('answers in a channel privately, sending the code to the DM and saying so', async () => {
    const inTeam = () => rig.peer.messages().filter((m) => m.chatId === 'C0TEAM');
    const inDm = () => rig.peer.messages().filter((m) => m.chatId === dmChannel('u15'));
    await ok(
      rig.peer.slashCommand({
        userId: 'u15',
        channelId: 'C0TEAM',
        command: '/new',
        text: 'ETH EMA 12/26 cross on 4h with a 4% stop',
      }),
    );
    // The card (it carries the code) stays in the channel for u15 alone; the code file goes to the DM.
    const card = await until('the ephemeral strategy card', () =>
      inTeam().find((m) => m.buttons.some((b) => b.label === 'Show code')),
    );
    expect(card).toMatchObject({ visibleTo: 'u15', via: 'response_url', files: [] });
    const [code] = inDm().flatMap((m) => m.files);
    expect(code?.filename).toMatch(/\.py$/);
    expect(card.text).toContain(`I sent ${code?.filename} to you in a direct message.`);
    await ok(rig.peer.press('u15', card.id, 'Show code'));
    await until('the code again in the DM', () =>
      inDm().flatMap((m) => m.files).length === 2 ? true : undefined,
    );
    const note = await until('the note for the second file', () =>
      inTeam().find((m) => m !== card && m.text.includes('in a direct message')),
    );
    expect(note.visibleTo).toBe('u15');
    expect(rig.peer.calls('files.completeUploadExternal').some((c) => c.channel === 'C0TEAM')).toBe(false);
  });

  it('posts through the notifier when the response_url has run out', async () => {
    rig.peer.expireResponseUrls();
    try {
      await ok(rig.peer.slashCommand(help('u16')));
      const reply = await until('the posted reply', () =>
        rig.peer.messages().find((m) => m.chatId === dmChannel('u16')),
      );
      expect(reply.via).toBe('api');
      expect(reply.text).toContain('/backtest');
      expect(rig.peer.responses().at(-1)).toMatchObject({ status: 404, error: 'expired_url' });
    } finally {
      rig.peer.expireResponseUrls(false);
    }
  });

  it('tells the user to press again when the trigger id expired before the modal opened', async () => {
    // u7 made btc-sma-20-50-1h in the modal step above.
    const views = rig.peer.views().length;
    rig.peer.errorNext('views.open', 'expired_trigger_id');
    await ok(rig.peer.slashCommand({ ...help('u7'), command: '/edit', text: 'btc-sma-20-50-1h' }));
    const told = await until('the press-again answer', () =>
      rig.peer.messages().find((m) => m.text === LATE_FORM),
    );
    expect(told).toMatchObject({ chatId: dmChannel('u7'), via: 'response_url' });
    expect(rig.peer.calls('views.open').at(-1)?.error).toBe('expired_trigger_id');
    expect(rig.peer.views()).toHaveLength(views);
  });

  // Last: the Socket Mode adapter takes over the app's Slack sink.
  it('works over Socket Mode: connects, acks a slash command envelope and answers', async () => {
    const socket = await startRig(t, 'socket');
    try {
      expect(socket.peer.calls('apps.connections.open')).toHaveLength(1);
      expect(socket.peer.socketCount()).toBe(1);
      expect(await socket.peer.slashCommand(help('u8'))).toBe(200); // 200 once the envelope is acked
      const reply = await until('the socket-mode reply', () =>
        socket.peer.messages().find((m) => m.chatId === dmChannel('u8')),
      );
      expect(reply.text).toContain('/backtest');
      expect(socket.handled[0]).toMatchObject({ kind: 'command', name: 'help' });
    } finally {
      await socket.adapter.stop();
      await socket.peer.stop();
    }
  });
});

describe("slack on the app's one HTTP server", () => {
  const BOT = 'xoxb-one-server-bot';
  const SECRET = 'one-server-signing-secret';
  let t: TestApp;
  let peer: SlackPeer;
  let adapter: SlackAdapter;
  beforeAll(async () => {
    peer = await startSlackPeer({ botToken: BOT, appToken: 'xapp-unused' });
    t = await startTestApp({
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      PUBLIC_URL: 'https://bot.gentrade.test',
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: peer.apiUrl,
    });
    const webhooks = t.app.webhooks;
    if (!webhooks) throw new Error('the app made no webhook routes');
    adapter = createSlackAdapter({
      config: {
        botToken: BOT,
        signingSecret: SECRET,
        appToken: undefined,
        apiUrl: peer.apiUrl,
        port: 1,
        host: '127.0.0.1',
      },
      conversation: t.app.conversation,
      notifier: t.app.notifier,
      logger: pino({ level: 'silent' }),
      webhooks,
    });
    await adapter.start();
    peer.useReceiver(`http://127.0.0.1:${t.app.httpPort}/slack/events`, SECRET);
  });
  afterAll(async () => {
    await adapter?.stop();
    await peer?.stop();
    await t?.stop();
  });

  it('takes signed commands and events beside the health check, and refuses forged or stale ones', async () => {
    const incoming = () => t.logs.filter((l) => l.event === 'incoming').length;
    expect(
      await peer.slashCommand({ userId: 'U0ONE', channelId: dmChannel('U0ONE'), command: '/help', text: '' }),
    ).toBe(200);
    const help = await until('the help answer', () =>
      peer.messages().find((m) => m.text.includes('/backtest')),
    );
    expect(
      await peer.event({
        type: 'message',
        channel_type: 'im',
        channel: dmChannel('U0ONE'),
        user: 'U0ONE',
        text: 'thanks',
      }),
    ).toBe(200);
    await until('the event reached the core', () => incoming() >= 2);
    // A button press comes form-encoded, its JSON in `payload`.
    expect(await peer.press('U0ONE', help.id, help.buttons[0]?.label ?? '')).toBe(200);
    await until('the press reached the core', () => incoming() >= 3);
    // The suggestion pressed asks for a strategy: wait for it, so nothing runs on after the test.
    await until(
      'the suggested strategy',
      () => peer.messages().find((m) => m.text.startsWith('Created')),
      120_000,
    );
    const before = incoming();
    const args = { userId: 'U0ONE', channelId: dmChannel('U0ONE'), command: '/help', text: '' };
    expect(await peer.slashCommand(args, { signature: 'forged' })).toBe(401);
    expect(await peer.slashCommand(args, { signature: 'missing' })).toBe(401);
    expect(await peer.slashCommand(args, { ageSeconds: 600 })).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(incoming()).toBe(before);
    expect((await fetch(`http://127.0.0.1:${t.app.httpPort}/healthz`)).status).toBe(200);
  });
});
