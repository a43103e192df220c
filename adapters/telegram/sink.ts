// The Telegram ChatSink: sends a rendered message, or edits the earlier message of the same progress
// key in place. It only translates Telegram's answers for the notifier: a refusal for good becomes
// UndeliverableError, a message that can't be edited MessageGoneError (the notifier then posts anew),
// and outages, 5xx and long rate limits stay plain errors so the message waits in the outbox.
import { type Api, GrammyError, InputFile } from 'grammy';
import type { ForceReply, ParseMode } from 'grammy/types';
import type { Logger } from 'pino';
import type { ChatAddress } from '../../src/core/types.ts';
import { MessageGoneError, UndeliverableError } from '../../src/delivery-errors.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { renderMessage, type TelegramSend } from './render.ts';

const FORCE_REPLY: ForceReply = { force_reply: true, selective: true };
const HTML: ParseMode = 'HTML';
const NOT_MODIFIED = /message is not modified/i;
const CANT_EDIT =
  /message to edit not found|message can't be edited|there is no text in the message to edit|MESSAGE_ID_INVALID/i;

/**
 * 403 is Telegram's answer for a chat we may never write to again (bot blocked or kicked, user
 * deactivated); a 400 on a send is a chat that doesn't exist or a payload it will never take.
 */
function translate(err: unknown, editing: boolean): unknown {
  if (!(err instanceof GrammyError)) return err;
  if (editing && err.error_code === 400 && CANT_EDIT.test(err.description))
    return new MessageGoneError(err.description, { cause: err });
  if (err.error_code === 403 || err.error_code === 400)
    return new UndeliverableError(err.description, { cause: err });
  return err;
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

  /** Shows `item` in message `id` in place; "not modified" means it already does. */
  async function edit(address: ChatAddress, id: number, item: TelegramSend | undefined): Promise<void> {
    // A text message can't become a photo or a file: the notifier posts such a state anew.
    if (item?.kind !== 'text') throw new MessageGoneError('the new state is not text');
    const opts = { parse_mode: HTML, reply_markup: item.keyboard };
    await api.editMessageText(address.conversationId, id, item.html, opts).catch((err: unknown) => {
      if (!(err instanceof GrammyError && NOT_MODIFIED.test(err.description))) throw translate(err, true);
    });
  }

  return {
    async deliver(address, message, opts) {
      const { sends, dropped } = renderMessage(message);
      if (dropped.length > 0)
        log.warn({ dropped }, 'buttons left out: their action is not valid callback_data');
      const replaceId = Number(opts?.replace?.messageId);
      const editing = opts?.replace !== undefined && Number.isSafeInteger(replaceId);
      const ids: number[] = [];
      if (editing) {
        await edit(address, replaceId, sends[0]);
        ids.push(replaceId);
      }
      try {
        for (const item of editing ? sends.slice(1) : sends) ids.push(await send(address, item));
      } catch (err) {
        throw translate(err, false);
      }
      return { messageId: String(ids[0] ?? opts?.replace?.messageId ?? '') };
    },
  };
}
