// The Slack adapter end to end: Bolt over HTTP against signed requests from a loopback Slack peer,
// and over Socket Mode, with the real app (FerretDB, engine). The shared contract runs first; then
// what only Slack has: signature checks, Retry-After, Block Kit limits, modals and Socket Mode.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.ts';
import { MANIFEST_PATH } from '../../adapters/slack/manifest.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import type { IncomingEvent, OutgoingMessage } from '../../src/core/types.ts';
import { type AdapterHarness, runAdapterContract } from '../contract/adapter-contract.ts';
import type { TestApp } from '../support/app.ts';
import { startTestApp } from '../support/app.ts';
import { type SlackPeer, startSlackPeer } from '../support/peers/slack/index.ts';
import { until } from '../support/wait.ts';

const BOT_TOKEN = 'xoxb-peer-bot-token';
const APP_TOKEN = 'xapp-peer-app-token';
const SIGNING_SECRET = 'peer-signing-secret';

type Rig = { peer: SlackPeer; adapter: SlackAdapter; handled: IncomingEvent[] };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = address && typeof address !== 'string' ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a peer and the adapter against the app; `handled` records every event the core receives. */
async function startRig(t: TestApp, mode: 'http' | 'socket'): Promise<Rig> {
  const peer = await startSlackPeer({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const port = await freePort();
  const handled: IncomingEvent[] = [];
  const conversation: Conversation = {
    handle(event) {
      handled.push(event);
      return t.app.conversation.handle(event);
    },
  };
  const adapter = createSlackAdapter({
    config: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: mode === 'socket' ? APP_TOKEN : undefined,
      apiUrl: peer.apiUrl,
      port,
      host: '127.0.0.1',
    },
    conversation,
    notifier: t.app.notifier,
    logger: pino({ level: process.env.TEST_LOG ? 'debug' : 'silent' }),
  });
  await adapter.start();
  if (mode === 'http') peer.useReceiver(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
  return { peer, adapter, handled };
}

const ok = async (status: Promise<number>) => expect(await status).toBe(200);
const dmChannel = (userId: string) => `D0${userId.toUpperCase()}`;

function slackHarness(): AdapterHarness {
  let rig: Rig | undefined;
  const need = () => {
    if (!rig) throw new Error('harness not started');
    return rig;
  };
  return {
    platform: 'slack',
    async start(t) {
      rig = await startRig(t, 'http');
    },
    async stop() {
      await rig?.adapter.stop();
      await rig?.peer.stop();
    },
    // Slack registers slash commands from the app manifest, so that is what Slack knows.
    registeredCommands() {
      const manifest = z
        .object({ features: z.object({ slash_commands: z.array(z.object({ command: z.string() })) }) })
        .parse(JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')));
      return manifest.features.slash_commands.map((c) => c.command.replace(/^\//, ''));
    },
    dm: (userId, text) =>
      ok(
        need().peer.event({
          type: 'message',
          channel_type: 'im',
          channel: dmChannel(userId),
          user: userId,
          text,
        }),
      ),
    channel: (userId, text, { mention }) =>
      ok(
        need().peer.event(
          mention
            ? {
                type: 'app_mention',
                channel: 'C0GENERAL',
                user: userId,
                text: `<@${need().peer.botUserId}> ${text}`,
              }
            : { type: 'message', channel_type: 'channel', channel: 'C0GENERAL', user: userId, text },
        ),
      ),
    fromBot: (text) =>
      ok(
        need().peer.event({
          type: 'message',
          subtype: 'bot_message',
          bot_id: 'B0OTHERBOT',
          channel_type: 'im',
          channel: 'D0OTHERBOT',
          text,
        }),
      ),
    command: (userId, name, args) =>
      ok(need().peer.slashCommand({ userId, channelId: dmChannel(userId), command: `/${name}`, text: args })),
    press: (userId, messageId, label) => ok(need().peer.press(userId, messageId, label)),
    messages: () => need().peer.messages(),
  };
}

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
    expect(await rig.peer.slashCommand(help('u6'))).toBe(200);
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
