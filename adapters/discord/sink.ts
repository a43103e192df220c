// The notifier's way into Discord: posts to the conversation's channel (DM channels too, opened from
// the user id for a private message that answers no interaction) or edits a progress message in
// place, and tells the notifier which refusals are final. discord.js REST waits out 429s (retry_after)
// before the promise settles.
import { type Client, RESTJSONErrorCodes as Code, DiscordAPIError } from 'discord.js';
import { clip } from '../../src/core/text.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import {
  leftOutLine,
  MessageGoneError,
  PartialDeliveryError,
  UndeliverableError,
  UnrecognisedReplyError,
} from '../../src/delivery-errors.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { CONTENT_MAX, renderEdit, renderMessage } from './render.ts';

/** Refusals that no retry changes: the user blocks DMs, the bot lost access, the channel is gone, a bad payload. */
const FINAL = new Set<unknown>([
  Code.CannotSendMessagesToThisUser,
  Code.MissingPermissions,
  Code.MissingAccess,
  Code.UnknownChannel,
  Code.CannotSendAnEmptyMessage,
  Code.InvalidFormBodyOrContentType,
]);

/** Refusals about the chat itself (blocked, no access, gone), whatever the message carries. */
const CLOSED = new Set<unknown>([
  Code.CannotSendMessagesToThisUser,
  Code.MissingPermissions,
  Code.MissingAccess,
  Code.UnknownChannel,
]);
const closedChat = (err: unknown) => err instanceof DiscordAPIError && CLOSED.has(err.code);

function final(err: unknown, editing: boolean): unknown {
  if (!(err instanceof DiscordAPIError)) return err;
  // Discord's errors always carry a numeric code; an answer without one came from something in between.
  if (typeof err.code !== 'number')
    return new UnrecognisedReplyError(`Discord answered without an error code: ${err.message}`, {
      cause: err,
    });
  if (editing && err.code === Code.UnknownMessage) return new MessageGoneError(err.message, { cause: err });
  return FINAL.has(err.code) ? new UndeliverableError(err.message, { cause: err }) : err;
}

/** The message without its files (the chart, the code file, attachments), and what they were. */
function withoutFiles(message: OutgoingMessage): { bare: OutgoingMessage; what: string } {
  const names = [
    ...(message.card?.image ? ['the chart'] : []),
    ...(message.code ? [message.code.filename] : []),
    ...(message.attachments ?? []).map((a) => a.filename),
  ];
  const { code: _code, attachments: _attachments, ...rest } = message;
  const card = message.card ? { ...message.card, image: undefined } : undefined;
  return { bare: { ...rest, ...(card ? { card } : {}) }, what: names.join(' and ') };
}

export function createDiscordSink(client: Client): ChatSink {
  return {
    async deliver(address, message, opts) {
      const editing = opts?.replace !== undefined;
      try {
        // A conversation id that is the user's own is their DM with the bot (IncomingEvent.direct).
        const channel =
          address.conversationId === address.userId
            ? await client.users.createDM(address.userId)
            : await client.channels.fetch(address.conversationId);
        if (!channel?.isSendable())
          throw new UndeliverableError(`channel ${address.conversationId} takes no messages`);
        if (opts?.replace) {
          const edited = await channel.messages.edit(opts.replace.messageId, renderEdit(message));
          return { messageId: edited.id };
        }
        // Long text goes in several messages, the card and files riding on the last: a try resumes at
        // the first one not sent, so none is posted twice.
        // The part carrying files may be left out after a few tries (said in a line), so a chart
        // Discord keeps refusing doesn't hold every later message to this chat.
        const from = opts?.resume?.from ?? 0;
        const payloads = renderMessage(message);
        let last = '';
        for (const [i, payload] of payloads.entries()) {
          if (i < from) continue;
          const withFiles = (payload.files?.length ?? 0) > 0;
          try {
            if (i === from && withFiles && opts?.resume?.leaveOut) {
              const { bare, what } = withoutFiles(message);
              const plain = renderMessage(bare)[i] ?? payload;
              const content = clip(`${plain.content ?? ''}\n\n${leftOutLine(what)}`, CONTENT_MAX);
              last = (await channel.send({ ...plain, content })).id;
              continue;
            }
            last = (await channel.send(payload)).id;
          } catch (err) {
            // A chat closed to the bot refuses the text as much as the files: nothing to leave out.
            const optional = withFiles && !closedChat(err);
            if (i === 0 && !optional) throw err;
            throw new PartialDeliveryError({ sent: i, optional }, final(err, false));
          }
        }
        return { messageId: last };
      } catch (err) {
        throw err instanceof PartialDeliveryError ? err : final(err, editing);
      }
    },
  };
}
