// The Telegram adapter against the Bot API peer, as the adapter contract's harness and for tests of
// what only Telegram has. Telegram ids are numbers; tests name users "u1", "u2".
import pino from 'pino';
import { createTelegramAdapter, type TelegramAdapter } from '../../../../adapters/telegram/index.ts';
import type { Config } from '../../../../src/config.ts';
import type { ChatAddress } from '../../../../src/core/types.ts';
import type { AdapterHarness } from '../../../contract/adapter-contract.ts';
import type { TestApp } from '../../app.ts';
import { until } from '../../wait.ts';
import { type PeerChat, type PeerUser, startTelegramPeer, type TelegramPeer } from './peer.ts';

export const TOKEN = '123456:TEST-token_abc';
export const GROUP: PeerChat = { id: -1001234567890, type: 'supergroup', title: 'Traders' };

const userIds = new Map<string, number>();
export function user(name: string): PeerUser {
  const id = userIds.get(name) ?? 5_000_000 + userIds.size + 1;
  userIds.set(name, id);
  return { id, is_bot: false, first_name: name };
}
export const dmChat = (u: PeerUser): PeerChat => ({ id: u.id, type: 'private', first_name: u.first_name });
/** Where the notifier sends to user `name`'s private chat. */
export function dmAddress(name: string): ChatAddress {
  const id = String(user(name).id);
  return { platform: 'telegram', conversationId: id, userId: id };
}

export function startAdapter(
  t: TestApp,
  config: NonNullable<Config['platforms']['telegram']>,
): TelegramAdapter {
  return createTelegramAdapter({
    config,
    conversation: t.app.conversation,
    notifier: t.app.notifier,
    logger: pino({ level: 'silent' }),
  });
}

export function telegramHarness(): AdapterHarness & { peer(): TelegramPeer } {
  let peer: TelegramPeer | undefined;
  let adapter: TelegramAdapter | undefined;
  const p = () => {
    if (!peer) throw new Error('harness not started');
    return peer;
  };
  const a = () => {
    if (!adapter) throw new Error('harness not started');
    return adapter;
  };
  // The peer's send resolves once the bot polled the update; with chats handled concurrently, wait
  // until the bot is done with it too, so a test's next step sees every reply it caused.
  const handled = async (sent: Promise<void>) => {
    await sent;
    await until('the bot to handle the update', () => a().pending() === 0);
  };
  const dm = (userId: string, text: string) =>
    handled(p().send({ chat: dmChat(user(userId)), from: user(userId), text }));
  return {
    platform: 'telegram',
    peer: p,
    // No modals in Telegram: the core asks a form's fields one by one in the chat.
    capabilities: { modals: false },
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
    dm,
    channel: (userId, text, { mention }) =>
      handled(
        p().send({ chat: GROUP, from: user(userId), text: mention ? `@${p().bot.username} ${text}` : text }),
      ),
    fromBot: (text) => {
      const other: PeerUser = { id: 6_000_000_001, is_bot: true, first_name: 'Other', username: 'OtherBot' };
      return handled(p().send({ chat: dmChat(other), from: other, text }));
    },
    command: (userId, name, args) => dm(userId, `/${name}${args ? ` ${args}` : ''}`),
    press: (userId, messageId, label) => handled(p().press(user(userId), messageId, label)),
    messages: () => p().messages(),
    modals: () => [],
    submitModal: async () => {
      throw new Error('Telegram has no modals');
    },
  };
}
