// The Telegram ChatSink: sends a rendered message, or edits the earlier message of the same progress
// key in place. A message that can no longer be edited (deleted, too old, a photo) is sent anew, so a
// result is never lost to an edit that Telegram refuses.
import { type Api, GrammyError, InputFile } from 'grammy';
import type { ForceReply, ParseMode } from 'grammy/types';
import type { Logger } from 'pino';
import type { ChatAddress } from '../../src/core/types.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { renderMessage, type TelegramSend } from './render.ts';

const FORCE_REPLY: ForceReply = { force_reply: true, selective: true };

const NOT_MODIFIED = /message is not modified/i;
const HTML: ParseMode = 'HTML';

function isBadRequest(err: unknown): err is GrammyError {
  return err instanceof GrammyError && err.error_code === 400;
}

export function createTelegramSink(api: Api, log: Logger): ChatSink {
  async function send(address: ChatAddress, item: TelegramSend): Promise<number> {
    const chatId = address.conversationId;
    const thread = address.threadId ? { message_thread_id: Number(address.threadId) } : {};
    if (item.kind === 'text') {
      const replyMarkup = item.keyboard ?? (item.forceReply ? FORCE_REPLY : undefined);
      const opts = { ...thread, parse_mode: HTML, reply_markup: replyMarkup };
      return (await api.sendMessage(chatId, item.html, opts)).message_id;
    }
    const file = new InputFile(item.file.data, item.file.filename);
    if (item.kind === 'photo') {
      const opts = { ...thread, caption: item.caption, parse_mode: HTML, reply_markup: item.keyboard };
      return (await api.sendPhoto(chatId, file, opts)).message_id;
    }
    return (await api.sendDocument(chatId, file, thread)).message_id;
  }

  /** Edits message `id` to show `item`; false when Telegram won't edit it and it must be sent anew. */
  async function edit(address: ChatAddress, id: number, item: TelegramSend | undefined): Promise<boolean> {
    const chatId = address.conversationId;
    try {
      if (item?.kind === 'text') {
        await api.editMessageText(chatId, id, item.html, { parse_mode: HTML, reply_markup: item.keyboard });
        return true;
      }
      // Nothing textual to put there (the new state is a photo or a file): just take its buttons away.
      await api.editMessageReplyMarkup(chatId, id, { reply_markup: { inline_keyboard: [] } });
      return false;
    } catch (err) {
      if (!isBadRequest(err)) throw err;
      if (NOT_MODIFIED.test(err.description)) return item?.kind === 'text';
      log.info({ err: err.description, messageId: id }, 'telegram refused the edit; sending a new message');
      return false;
    }
  }

  return {
    async deliver(address, message, opts) {
      const { sends, dropped } = renderMessage(message);
      if (dropped.length > 0)
        log.warn({ dropped }, 'buttons left out: their action is not valid callback_data');
      const replaceId = Number(opts?.replace?.messageId);
      let first: number | undefined;
      let rest = sends;
      if (opts?.replace && Number.isSafeInteger(replaceId)) {
        if (await edit(address, replaceId, sends[0])) {
          first = replaceId;
          rest = sends.slice(1);
        }
      }
      for (const item of rest) {
        const id = await send(address, item);
        first ??= id;
      }
      if (first === undefined)
        log.warn({ messageId: opts?.replace?.messageId }, 'nothing to send to telegram');
      return { messageId: String(first ?? opts?.replace?.messageId ?? '') };
    },
  };
}
