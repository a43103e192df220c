// Turns a Telegram update into an IncomingEvent, or null for what the bot should not answer: other
// bots, group chatter that doesn't address it, commands meant for another bot. Pure: the bot's own
// identity comes in as an argument. Telegram has no forms, so nothing here opens one. A document
// (a .py strategy file) arrives with its caption as the message text and is downloaded only if the
// core wants it.
import type { Chat, MaybeInaccessibleMessage, Message, MessageEntity, Update, User } from 'grammy/types';
import type { ChatAddress, InboundAttachment, IncomingEvent, Sender } from '../../src/core/types.ts';
import type { TelegramDownload } from './download.ts';

export const TELEGRAM_PLATFORM = 'telegram';

type BotIdentity = { id: number; username: string };

function address(chat: Chat, from: User, msg: MaybeInaccessibleMessage): ChatAddress {
  const out: ChatAddress = {
    platform: TELEGRAM_PLATFORM,
    conversationId: String(chat.id),
    userId: String(from.id),
  };
  // Only forum topics are threads we can post into; a reply chain's thread id is refused by sendMessage.
  if ('is_topic_message' in msg && msg.is_topic_message && msg.message_thread_id !== undefined) {
    out.threadId = String(msg.message_thread_id);
  }
  return out;
}

/** A user's private chat with the bot has the user's id (it exists once they have started the bot). */
function directChat(from: User): ChatAddress {
  return { platform: TELEGRAM_PLATFORM, conversationId: String(from.id), userId: String(from.id) };
}

function sender(from: User): Sender {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return {
    platformUserId: String(from.id),
    displayName: name || from.username || String(from.id),
    isBot: from.is_bot,
  };
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/;

/** "/backtest@GenTradeBot s 20240101-20240701" -> name and args; null when it names another bot. */
export function parseCommand(text: string, me: BotIdentity): { name: string; args: string } | null {
  const m = COMMAND.exec(text.trim());
  if (!m?.[1]) return null;
  if (m[2] && m[2].toLowerCase() !== me.username.toLowerCase()) return null;
  return { name: m[1].toLowerCase(), args: (m[3] ?? '').trim() };
}

/** The text with mentions of this bot removed, or null when the message doesn't mention it. */
function withoutMention(entities: MessageEntity[], text: string, me: BotIdentity): string | null {
  const ours = entities.filter((e) => {
    const word = text.slice(e.offset, e.offset + e.length);
    if (e.type === 'mention') return word.toLowerCase() === `@${me.username.toLowerCase()}`;
    return e.type === 'text_mention' && e.user.id === me.id;
  });
  if (ours.length === 0) return null;
  let out = text;
  // Entity offsets are UTF-16 positions, like JavaScript string indices; cut from the end backwards.
  for (const e of [...ours].sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, e.offset) + out.slice(e.offset + e.length);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The document as a lazy attachment; its file_size lets the core refuse a big file unfetched. */
function documentOf(msg: Message, download: TelegramDownload | undefined): InboundAttachment[] {
  const doc = msg.document;
  if (!doc || !download) return [];
  const filename = doc.file_name ?? 'document';
  return [{ filename, size: doc.file_size ?? 0, fetch: () => download(doc.file_id, doc.file_size) }];
}

function messageToEvent(
  msg: Message,
  me: BotIdentity,
  receivedAt: Date,
  download: TelegramDownload | undefined,
): IncomingEvent | null {
  const { from } = msg;
  const attachments = documentOf(msg, download);
  // A document's words are its caption, with their own entities.
  const text = msg.text ?? (attachments.length > 0 ? (msg.caption ?? '') : undefined);
  const entities = msg.entities ?? msg.caption_entities ?? [];
  if (!from || from.is_bot || text === undefined) return null;
  const base = {
    address: address(msg.chat, from, msg),
    sender: sender(from),
    receivedAt,
    direct: directChat(from),
  };
  if (attachments.length === 0 && COMMAND.test(text.trim())) {
    const cmd = parseCommand(text, me);
    return cmd ? { ...base, kind: 'command', ...cmd } : null; // null: a command for another bot
  }
  const message = (words: string): IncomingEvent => ({
    ...base,
    kind: 'message',
    text: words,
    ...(attachments.length > 0 ? { attachments } : {}),
  });
  if (msg.chat.type === 'private') return message(text);
  const stripped = withoutMention(entities, text, me);
  if (stripped !== null) return message(stripped);
  if (msg.reply_to_message?.from?.id === me.id) return message(text);
  return null; // group chatter that isn't for us
}

export function updateToEvent(
  update: Update,
  me: BotIdentity,
  receivedAt = new Date(),
  download?: TelegramDownload,
): IncomingEvent | null {
  const q = update.callback_query;
  const m = update.message;
  const event = q ? callbackToEvent(q, receivedAt) : m ? messageToEvent(m, me, receivedAt, download) : null;
  // Update ids count up per bot; Telegram posts an update again, same id, when its webhook got no answer.
  return event && { ...event, deliveryId: `telegram:${me.id}:${update.update_id}` };
}

function callbackToEvent(q: NonNullable<Update['callback_query']>, receivedAt: Date): IncomingEvent | null {
  // Buttons on inline-mode messages have no chat to answer in; ours are always in a chat.
  if (q.data === undefined || !q.message || q.from.is_bot) return null;
  const base = { address: address(q.message.chat, q.from, q.message), sender: sender(q.from), receivedAt };
  return { ...base, kind: 'action', payload: q.data };
}
