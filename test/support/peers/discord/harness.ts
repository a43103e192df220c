// The adapter contract's harness for Discord: the real adapter (discord.js) started against a fresh
// Discord peer, users acting through the peer, and what they see read back from it.
import pino from 'pino';
import { createDiscordAdapter, type DiscordAdapter } from '../../../../adapters/discord/index.ts';
import type { AdapterHarness } from '../../../contract/adapter-contract.ts';
import { until } from '../../wait.ts';
import { type DiscordPeer, startDiscordPeer } from './index.ts';

export const TOKEN = 'peer-bot-token';
const logger = pino({ level: process.env.TEST_LOG ? 'debug' : 'silent' });

type DiscordHarness = AdapterHarness & { peer(): DiscordPeer };

export function discordHarness(): DiscordHarness {
  let peer: DiscordPeer | undefined;
  let adapter: DiscordAdapter | undefined;
  const p = () => {
    if (!peer) throw new Error('the Discord harness is not started');
    return peer;
  };
  return {
    platform: 'discord',
    peer: p,
    async start(t) {
      peer = await startDiscordPeer({ token: TOKEN });
      adapter = createDiscordAdapter({
        config: { token: TOKEN, applicationId: peer.applicationId, apiUrl: peer.apiUrl },
        conversation: t.app.conversation,
        notifier: t.app.notifier,
        logger,
      });
      await adapter.start();
      // Registered in the background once the bot is up; users can type them once Discord has them.
      const registered = peer;
      await until('the slash commands registered', () => registered.commands().length > 0);
    },
    async stop() {
      await adapter?.stop();
      await peer?.close();
    },
    registeredCommands: () =>
      p()
        .commands()
        .map((c) => c.name),
    dm: (user, text) => p().message({ user, text }),
    channel: (user, text, { mention }) => p().message({ user, text, guild: true, mention }),
    fromBot: (text) => p().message({ user: 'otherbot', text, bot: true }),
    command: async (user, name, args) => {
      await p().command(user, name, args);
    },
    press: async (user, messageId, label) => {
      await p().press(user, messageId, label);
    },
    messages: () => p().messages(),
    modals: () =>
      p()
        .interactions()
        .flatMap(({ modal }) =>
          modal
            ? [
                {
                  title: modal.title,
                  submit: modal.custom_id,
                  fields: modal.components.map(({ label, component: c }) => ({
                    key: c.custom_id,
                    label,
                    value: c.value ?? '',
                  })),
                },
              ]
            : [],
        ),
    submitModal: async (user, values) => {
      await p().submitModal(user, values);
    },
  };
}
