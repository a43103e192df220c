// The notifier's way into Discord: posts to the conversation's channel (DM channels too) or edits a
// progress message in place. discord.js REST waits out 429s (retry_after) before the promise settles.
import { type Client, DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { ChatSink } from '../../src/notifier.ts';
import { renderEdit, renderMessage } from './render.ts';

export function createDiscordSink(client: Client): ChatSink {
  async function channelOf(id: string) {
    const channel = await client.channels.fetch(id);
    if (!channel?.isSendable()) throw new Error(`Discord channel ${id} does not take messages`);
    return channel;
  }

  return {
    async deliver(address, message, opts) {
      const channel = await channelOf(address.conversationId);
      if (opts?.replace) {
        try {
          const edited = await channel.messages.edit(opts.replace.messageId, renderEdit(message));
          return { messageId: edited.id };
        } catch (err) {
          // Someone deleted the progress message: post the new state instead.
          if (!(err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage)) throw err;
        }
      }
      let last = '';
      for (const payload of renderMessage(message)) last = (await channel.send(payload)).id;
      return { messageId: last };
    },
  };
}
