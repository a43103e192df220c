// The Telegram ChatSink: sends a rendered message, or edits the earlier message of the same progress
// key in place. It only translates Telegram's answers for the notifier: a refusal for good becomes
// UndeliverableError, a message that can't be edited MessageGoneError (the notifier then posts anew),
// an answer without an error code UnrecognisedReplyError, and outages, 5xx and long rate limits stay
// plain errors so the message waits in the outbox. A message goes out in parts (text, chart, files):
// when one after the first fails, PartialDeliveryError says which, and the next try starts there.
import { type Api, GrammyError, InputFile } from 'grammy';
import type { ForceReply, ParseMode } from 'grammy/types';
import type { Logger } from 'pino';
import type { ChatAddress } from '../../src/core/types.ts';
import {
  MessageGoneError,
  PartialDeliveryError,
  UndeliverableError,
  UnrecognisedReplyError,
} from '../../src/delivery-errors.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { isOptional, leftOut, renderMessage, type TelegramSend } from './render.ts';

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
  // Telegram's errors always carry a code; an answer without one came from something else in between.
  if (typeof err.error_code !== 'number')
    return new UnrecognisedReplyError(`Telegram answered without an error code: ${err.message}`, {
      cause: err,
    });
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
      const from = opts?.resume?.from ?? 0;
      const ids: number[] = [];
      // Part by part from where the last try stopped: a part in the chat is never sent twice.
      for (const [i, planned] of sends.entries()) {
        if (i < from) continue;
        const item = i === from && opts?.resume?.leaveOut ? leftOut(planned) : planned;
        try {
          if (i === 0 && editing) await edit(address, replaceId, item);
          ids.push(i === 0 && editing ? replaceId : await send(address, item));
        } catch (err) {
          const cause = i === 0 && editing ? err : translate(err, false);
          if (i === 0 && !isOptional(item)) throw cause;
          const first = from === 0 && ids[0] !== undefined ? String(ids[0]) : undefined;
          throw new PartialDeliveryError(
            { sent: i, optional: isOptional(item), firstMessageId: first },
            cause,
          );
        }
      }
      // Resumed, this try sent no first part: the notifier keeps that id from the try that did.
      return { messageId: from > 0 ? '' : String(ids[0] ?? opts?.replace?.messageId ?? '') };
    },
  };
}
