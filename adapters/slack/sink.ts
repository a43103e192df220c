// The notifier's ChatSink for Slack: shares code, attachments and charts as files in the conversation,
// then posts the rendered blocks, or edits the message a progress update refers to. Slack's error
// codes tell the notifier what retrying can't fix: those become UndeliverableError or MessageGoneError.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { MessageGoneError, UndeliverableError } from '../../src/delivery-errors.ts';
import type { ChatSink, DeliveryRef } from '../../src/notifier.ts';
import { renderMessage } from './render.ts';

const Posted = z.object({ ts: z.string() });
const PlatformError = z.object({ data: z.object({ error: z.string() }) });

// What the same call would fail with tomorrow too: the conversation is gone or closed to the bot, the
// payload is one Slack never takes, or the token no longer works.
const CLOSED = ['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action'];
const INVALID = ['invalid_blocks', 'msg_too_long'];
const NO_TOKEN = ['account_inactive', 'token_revoked', 'invalid_auth'];
const UNDELIVERABLE = new Set([...CLOSED, ...INVALID, ...NO_TOKEN]);
// chat.update on a message that was deleted, isn't ours to edit, or is past the workspace's edit window.
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Runs a Web API call, turning Slack's permanent error codes into the notifier's delivery errors. */
async function call<T>(request: Promise<T>, opts: { edit?: boolean } = {}): Promise<T> {
  try {
    return await request;
  } catch (err) {
    const code = PlatformError.safeParse(err).data?.data.error;
    if (code && opts.edit && GONE.has(code))
      throw new MessageGoneError(`Slack can't edit the message: ${code}`, { cause: err });
    if (code && UNDELIVERABLE.has(code))
      throw new UndeliverableError(`Slack refused the message: ${code}`, { cause: err });
    throw err;
  }
}

/** Our message ids are `channel:ts`; a ts alone is unique only within its channel. */
function parseRef(ref: DeliveryRef): { channel: string; ts: string } {
  const m = /^(.+):(\d+\.\d+)$/.exec(ref.messageId);
  if (!m?.[1] || !m[2]) throw new MessageGoneError(`not a Slack message id: ${ref.messageId}`);
  return { channel: m[1], ts: m[2] };
}

export function createSlackSink(client: webApi.WebClient): ChatSink {
  return {
    async deliver(address, message, opts) {
      const { posts, shares } = renderMessage(message);
      const channel = address.conversationId;
      const thread = address.threadId ? { thread_ts: address.threadId } : {};
      const [head, ...rest] = posts;
      if (!head) throw new Error('Slack render produced no post');
      // An edit goes first: when the message is gone, the notifier sends everything anew, and the
      // files must not have been shared already. A new reply shares its files first, so the message
      // that answers is the last to arrive: once it is there, the whole reply is.
      let ref: { channel: string; ts: string } | undefined;
      if (opts?.replace) {
        ref = parseRef(opts.replace);
        await call(client.chat.update({ channel: ref.channel, ts: ref.ts, ...head }), { edit: true });
      }
      for (const share of shares) {
        await call(
          client.files.uploadV2({
            channel_id: channel,
            ...thread,
            file: Buffer.from(share.data),
            filename: share.filename,
            title: share.filename,
            ...(share.blocks ? { blocks: share.blocks } : {}),
          }),
        );
      }
      for (const post of ref ? rest : posts) {
        const sent = Posted.parse(await call(client.chat.postMessage({ channel, ...thread, ...post })));
        ref ??= { channel, ts: sent.ts };
      }
      if (!ref) throw new Error('Slack returned no message ts');
      return { messageId: `${ref.channel}:${ref.ts}` };
    },
  };
}
