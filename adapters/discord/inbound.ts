// Pure translation of Discord events into IncomingEvents. The inputs are the few fields read from
// discord.js structures, so tests pass plain objects. The conversation is the channel (a DM channel
// for direct messages); channel chatter counts only when it mentions the bot; bots are never heard.
import { z } from 'zod';
import type { IncomingEvent } from '../../src/core/types.ts';

export const DISCORD_PLATFORM = 'discord';

type DiscordUser = { id: string; username: string; globalName?: string | null; bot: boolean };
type Where = { channelId: string | null; user: DiscordUser };

export type MessageInput = {
  content: string;
  channelId: string;
  guildId: string | null;
  author: DiscordUser;
  mentions: { users: { has(id: string): boolean } };
  /** discord.js' Collection of attachments (a Map). */
  attachments?: { values(): Iterable<{ name: string; size: number; url: string }> };
};

/** Downloads an attachment's CDN url (adapters/discord/index.ts). */
export type DiscordDownload = (url: string) => Promise<Uint8Array>;
export type CommandInput = Where & {
  commandName: string;
  options: { data: readonly { value?: string | number | boolean }[] };
};
export type ButtonInput = Where & { customId: string };
export type ModalInput = Where & { customId: string; fields: { fields: ReadonlyMap<string, unknown> } };

const TextInputValue = z.object({ value: z.string() });

/**
 * The chat, who wrote, and where a private answer reaches them: the DM they wrote in, or else their
 * DM with the bot, which the sink opens from the user id (a conversation id equal to the user's).
 */
function base(channelId: string, user: DiscordUser, inDm = false) {
  const address = { platform: DISCORD_PLATFORM, conversationId: channelId, userId: user.id };
  return {
    address,
    sender: { platformUserId: user.id, displayName: user.globalName || user.username, isBot: user.bot },
    receivedAt: new Date(),
    direct: inDm ? address : { platform: DISCORD_PLATFORM, conversationId: user.id, userId: user.id },
  };
}

/** The event with Discord's id for it (a message's or an interaction's snowflake), so a repeat is handled once. */
export const withDeliveryId = (event: IncomingEvent | null, id: string): IncomingEvent | null =>
  event && { ...event, deliveryId: `discord:${id}` };

/** A DM, or a channel message that mentions the bot (the mention removed); anything else is null. */
export function messageEvent(
  m: MessageInput,
  botId: string,
  download?: DiscordDownload,
): IncomingEvent | null {
  if (m.author.bot) return null;
  if (m.guildId !== null && !m.mentions.users.has(botId)) return null;
  const text = m.content.replace(new RegExp(`<@!?${botId.replace(/\D/g, '')}>`, 'g'), ' ');
  const files = download && m.attachments ? [...m.attachments.values()] : [];
  const attachments = download
    ? files.map((a) => ({ filename: a.name, size: a.size, fetch: () => download(a.url) }))
    : [];
  // Chat on one line is tidied; several lines are kept as they are: pasted Python needs its layout.
  const tidy = text.includes('\n') ? text.trim() : text.replace(/\s+/g, ' ').trim();
  return {
    ...base(m.channelId, m.author, m.guildId === null),
    kind: 'message',
    text: tidy,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** A slash command: its option values joined are the arguments the core parses. */
export function commandEvent(i: CommandInput): IncomingEvent | null {
  if (i.channelId === null || i.user.bot) return null;
  const args = i.options.data
    .map((o) => (o.value === undefined ? '' : String(o.value)))
    .filter(Boolean)
    .join(' ');
  return { ...base(i.channelId, i.user), kind: 'command', name: i.commandName, args };
}

/** A button press: the custom_id is the core's encoded action. */
export function buttonEvent(i: ButtonInput): IncomingEvent | null {
  if (i.channelId === null || i.user.bot) return null;
  return { ...base(i.channelId, i.user), kind: 'action', payload: i.customId };
}

/** A submitted modal: its custom_id is the form's submit action; text inputs map key -> value. */
export function formEvent(i: ModalInput): IncomingEvent | null {
  if (i.channelId === null || i.user.bot) return null;
  const values: Record<string, string> = {};
  for (const [key, field] of i.fields.fields) {
    const parsed = TextInputValue.safeParse(field);
    if (parsed.success) values[key] = parsed.data.value;
  }
  return { ...base(i.channelId, i.user), kind: 'form', submit: i.customId, values };
}
