// The Bot API methods GenTrade calls, as Telegram answers them: its limits (4,096 characters of
// visible text, 1,024 of caption, 64-byte callback data), "message is not modified", edits of deleted
// messages and text edits of photos refused, and 403 for a chat whose user blocked the bot.
import { z } from 'zod';
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import { visible } from './html.ts';
import type { PeerUser, Store } from './store.ts';
import { bad, Caption, ChatTarget, FileRef, type Json, jsonText, Markup, Target, Text } from './wire.ts';

/** What the methods change besides the messages, for the test-facing peer to read. */
export type Registry = {
  commands: string[];
  hook: { url: string; secret: string | undefined } | undefined;
  answered: string[];
  /** Every edit Telegram made, in order, with when it arrived (the bot's edit pace is checked on it). */
  edited: { messageId: string; at: number; text: string }[];
};

const limit = (text: string, max: number, what: string) => {
  if (text.length > max) throw bad(what);
  return text;
};

function buttonsOf(markup: z.infer<typeof Markup>): PeerMessage['buttons'] {
  const keyboard = markup && 'inline_keyboard' in markup ? markup.inline_keyboard : [];
  return keyboard.flat().map((b) => {
    if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64)
      throw bad('BUTTON_DATA_INVALID');
    return { label: b.text, payload: b.callback_data ?? '' };
  });
}

const CommandList = z.object({
  commands: z.preprocess(jsonText, z.array(z.object({ command: z.string(), description: z.string() }))),
});

export function createMethods(
  store: Store,
  botUser: PeerUser,
  reg: Registry,
): Record<string, (p: Json) => unknown> {
  /** The chat a write goes to, refused with 403 when its user blocked the bot. */
  const writable = (p: Json) => {
    const { chat_id } = ChatTarget.parse(p);
    store.checkWritable(chat_id);
    return chat_id;
  };
  return {
    getMe: () => ({
      ...botUser,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    setMyCommands(p) {
      const { commands } = CommandList.parse(p);
      for (const c of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(c.command) || !c.description || c.description.length > 256)
          throw bad('BOT_COMMAND_INVALID');
      }
      reg.commands = commands.map((c) => c.command);
      return true;
    },
    setWebhook(p) {
      const parsed = z.object({ url: z.string(), secret_token: z.string().optional() }).parse(p);
      reg.hook = { url: parsed.url, secret: parsed.secret_token };
      return true;
    },
    deleteWebhook() {
      reg.hook = undefined;
      return true;
    },
    sendMessage(p) {
      const chatId = writable(p);
      const m = Text.parse(p);
      const text = limit(visible(m.text, m.parse_mode), 4096, 'message is too long');
      if (!text.trim()) throw bad('message text is empty');
      return store.record(chatId, { text, buttons: buttonsOf(m.reply_markup) });
    },
    sendPhoto(p) {
      const chatId = writable(p);
      const m = Caption.extend({ photo: FileRef }).parse(p);
      const text = limit(visible(m.caption ?? '', m.parse_mode), 1024, 'message caption is too long');
      return store.record(chatId, { text, buttons: buttonsOf(m.reply_markup), images: [m.photo] });
    },
    sendDocument(p) {
      const chatId = writable(p);
      const m = Caption.extend({ document: FileRef }).parse(p);
      const text = limit(visible(m.caption ?? '', m.parse_mode), 1024, 'message caption is too long');
      return store.record(chatId, { text, buttons: buttonsOf(m.reply_markup), files: [m.document] });
    },
    editMessageText(p) {
      writable(p);
      const e = Text.extend(Target.shape).parse(p);
      const m = store.find(e.chat_id, e.message_id);
      if (m.images.length > 0 || m.files.length > 0) throw bad('there is no text in the message to edit');
      const text = limit(visible(e.text, e.parse_mode), 4096, 'MESSAGE_TOO_LONG');
      const buttons = buttonsOf(e.reply_markup);
      if (text === m.text && JSON.stringify(buttons) === JSON.stringify(m.buttons))
        throw bad(
          'message is not modified: specified new message content and reply markup are exactly the same',
        );
      Object.assign(m, { text, buttons, edits: m.edits + 1 });
      reg.edited.push({ messageId: m.id, at: Date.now(), text });
      return store.result(m);
    },
    editMessageReplyMarkup(p) {
      writable(p);
      const e = Target.extend({ reply_markup: Markup }).parse(p);
      const m = store.find(e.chat_id, e.message_id);
      const buttons = buttonsOf(e.reply_markup);
      if (JSON.stringify(buttons) === JSON.stringify(m.buttons)) throw bad('message is not modified');
      Object.assign(m, { buttons, edits: m.edits + 1 });
      reg.edited.push({ messageId: m.id, at: Date.now(), text: m.text });
      return store.result(m);
    },
    answerCallbackQuery(p) {
      reg.answered.push(z.object({ callback_query_id: z.string() }).parse(p).callback_query_id);
      return true;
    },
  };
}
