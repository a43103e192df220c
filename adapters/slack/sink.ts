// The notifier's ChatSink for Slack: shares code, attachments and charts as files in the conversation,
// then posts the rendered blocks (or edits the message a progress update refers to). Files go first so
// the message that answers is the last to arrive: once it is there, the whole reply is.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ChatSink, DeliveryRef } from '../../src/notifier.ts';
import { renderMessage } from './render.ts';

const Posted = z.object({ ts: z.string() });
const PlatformError = z.object({ data: z.object({ error: z.string() }) });

/** The message to edit was deleted in Slack: post the update as a new message instead. */
const isGone = (err: unknown) => PlatformError.safeParse(err).data?.data.error === 'message_not_found';

/** Our message ids are `channel:ts`; a ts alone is unique only within its channel. */
function parseRef(ref: DeliveryRef): { channel: string; ts: string } | undefined {
  const m = /^(.+):(\d+\.\d+)$/.exec(ref.messageId);
  return m?.[1] && m[2] ? { channel: m[1], ts: m[2] } : undefined;
}

export function createSlackSink(client: webApi.WebClient): ChatSink {
  return {
    async deliver(address, message, opts) {
      const { posts, shares } = renderMessage(message);
      const channel = address.conversationId;
      const thread = address.threadId ? { thread_ts: address.threadId } : {};
      const replace = opts?.replace ? parseRef(opts.replace) : undefined;
      for (const share of shares) {
        await client.files.uploadV2({
          channel_id: channel,
          ...thread,
          file: Buffer.from(share.data),
          filename: share.filename,
          title: share.filename,
          ...(share.blocks ? { blocks: share.blocks } : {}),
        });
      }
      let first: string | undefined;
      for (const [i, post] of posts.entries()) {
        if (i === 0 && replace) {
          const updated = await client.chat
            .update({ channel: replace.channel, ts: replace.ts, ...post })
            .then(
              () => true,
              (err: unknown) => (isGone(err) ? false : Promise.reject(err)),
            );
          if (updated) {
            first = replace.ts;
            continue;
          }
        }
        const sent = Posted.parse(await client.chat.postMessage({ channel, ...thread, ...post }));
        first ??= sent.ts;
      }
      if (!first) throw new Error('Slack returned no message ts');
      return { messageId: `${replace?.channel ?? channel}:${first}` };
    },
  };
}
