// The notifier's way into Discord: posts to the conversation's channel (DM channels too, opened from
// the user id for a private message that answers no interaction) or edits a progress message in
// place, and tells the notifier which refusals are final. discord.js REST waits out 429s (retry_after)
// before the promise settles.
import { type Client, RESTJSONErrorCodes as Code, DiscordAPIError } from 'discord.js';
import { MessageGoneError, PartialDeliveryError, UndeliverableError } from '../../src/delivery-errors.ts';
import type { ChatSink } from '../../src/notifier.ts';
import { renderEdit, renderMessage } from './render.ts';

/** Refusals that no retry changes: the user blocks DMs, the bot lost access, the channel is gone, a bad payload. */
const FINAL = new Set<unknown>([
  Code.CannotSendMessagesToThisUser,
  Code.MissingPermissions,
  Code.MissingAccess,
  Code.UnknownChannel,
  Code.CannotSendAnEmptyMessage,
  Code.InvalidFormBodyOrContentType,
]);

function final(err: unknown, editing: boolean): unknown {
  if (!(err instanceof DiscordAPIError)) return err;
  if (editing && err.code === Code.UnknownMessage) return new MessageGoneError(err.message, { cause: err });
  return FINAL.has(err.code) ? new UndeliverableError(err.message, { cause: err }) : err;
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
        const from = opts?.resume?.from ?? 0;
        let last = '';
        for (const [i, payload] of renderMessage(message).entries()) {
          if (i < from) continue;
          try {
            last = (await channel.send(payload)).id;
          } catch (err) {
            if (i === 0) throw err;
            throw new PartialDeliveryError({ sent: i, optional: false }, final(err, false));
          }
        }
        return { messageId: last };
      } catch (err) {
        throw err instanceof PartialDeliveryError ? err : final(err, editing);
      }
    },
  };
}
