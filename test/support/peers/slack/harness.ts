// The adapter contract's harness for Slack, and the rig behind it: the real adapter (Bolt over HTTP,
// or Socket Mode) started against a fresh Slack peer and the test app, users acting through the peer
// with signed requests, and what they see read back from it. `handled` records every event the core
// receives.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pino from 'pino';
import { z } from 'zod';
import { createSlackAdapter, type SlackAdapter } from '../../../../adapters/slack/index.ts';
import { MANIFEST_PATH } from '../../../../adapters/slack/manifest.ts';
import type { Conversation } from '../../../../src/core/conversation.ts';
import type { IncomingEvent, OutgoingMessage } from '../../../../src/core/types.ts';
import type { AdapterHarness } from '../../../contract/adapter-contract.ts';
import type { TestApp } from '../../app.ts';
import { type SlackPeer, startSlackPeer } from './index.ts';

/** A request the peer sent was accepted (HTTP 200, or an acked envelope). */
async function ok(status: Promise<number>): Promise<void> {
  const code = await status;
  if (code !== 200) throw new Error(`the bot answered HTTP ${code}`);
}

const BOT_TOKEN = 'xoxb-peer-bot-token';
const APP_TOKEN = 'xapp-peer-app-token';
const SIGNING_SECRET = 'peer-signing-secret';

/** `replies` holds what the core answered each event in `handled`, in the same order once answered. */
export type Rig = {
  peer: SlackPeer;
  adapter: SlackAdapter;
  handled: IncomingEvent[];
  replies: OutgoingMessage[][];
};

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
export async function startRig(t: TestApp, mode: 'http' | 'socket'): Promise<Rig> {
  const peer = await startSlackPeer({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const port = await freePort();
  const handled: IncomingEvent[] = [];
  const replies: OutgoingMessage[][] = [];
  const conversation: Conversation = {
    async handle(event) {
      handled.push(event);
      const out = await t.app.conversation.handle(event);
      replies.push(out);
      return out;
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
  return { peer, adapter, handled, replies };
}

export const dmChannel = (userId: string) => `D0${userId.toUpperCase()}`;

export function slackHarness(): AdapterHarness & { peer(): SlackPeer } {
  let rig: Rig | undefined;
  const need = () => {
    if (!rig) throw new Error('harness not started');
    return rig;
  };
  return {
    platform: 'slack',
    peer: () => need().peer,
    // A file share can't carry the card's buttons: the chart is a message of its own beside its card.
    capabilities: { imageInCard: false },
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
    modals: () =>
      need()
        .peer.views()
        .map(({ view }) => ({
          title: view.title.text,
          submit: view.callback_id,
          fields: view.blocks.map((b) => ({
            key: b.block_id,
            label: b.label.text,
            value: b.element.initial_value ?? '',
          })),
        })),
    // The peer keeps no opener per view: tests open one modal at a time, so the last is the user's.
    submitModal: async (userId, values) => {
      const last = need().peer.views().at(-1);
      if (!last) throw new Error(`no modal open for ${userId}`);
      await ok(need().peer.submitView(userId, last.view, values));
    },
  };
}
