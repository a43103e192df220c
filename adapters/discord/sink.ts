// The notifier's way into Discord: posts to the conversation's channel (DM channels too, opened from
// the user id for a private message that answers no interaction) or edits a progress message in
// place, and tells the notifier which refusals are final. discord.js REST waits out 429s (retry_after)
// before the promise settles.
import { type Client, RESTJSONErrorCodes as Code, DiscordAPIError } from 'discord.js';
import { MessageGoneError, UndeliverableError } from '../../src/delivery-errors.ts';
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
        let last = '';
        for (const payload of renderMessage(message)) last = (await channel.send(payload)).id;
        return { messageId: last };
      } catch (err) {
        throw final(err, editing);
      }
    },
  };
}
