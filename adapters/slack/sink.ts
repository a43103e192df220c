// The notifier's ChatSink for Slack: shares code, attachments and charts as files in the conversation,
// then posts the rendered blocks (the answer, last), or edits the message a progress update refers to.
// Slack's error codes tell the notifier what retrying can't fix: those become UndeliverableError or
// MessageGoneError. When a part after the first fails, PartialDeliveryError says which, and the next
// try starts there, so a file already shared or a message already posted is never repeated.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ChatAddress, OutgoingMessage } from '../../src/core/types.ts';
import {
  leftOutLine,
  MessageGoneError,
  PartialDeliveryError,
  UndeliverableError,
  UnrecognisedReplyError,
} from '../../src/delivery-errors.ts';
import type { ChatSink, DeliveryRef } from '../../src/notifier.ts';
import { renderMessage, type SlackPost } from './render.ts';

// chat.postMessage answers with the conversation it posted in: for a user id (a modal opened outside
// a conversation is answered in the user's DM) that is the DM's id, the one chat.update needs.
const Posted = z.object({ ts: z.string(), channel: z.string() });
const Opened = z.object({ channel: z.object({ id: z.string() }) });
const PlatformError = z.object({ data: z.object({ error: z.string() }) });
const PLATFORM_ERROR = z.object({ code: z.literal('slack_webapi_platform_error') });

// What the same call would fail with tomorrow too (the error lists of chat.postMessage, chat.update,
// files.getUploadURLExternal and files.completeUploadExternal): the conversation is gone or closed to
// the bot, the payload is one Slack never takes, or the token can't do this or no longer works.
const CLOSED = [
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'cannot_dm_bot',
  'user_not_found',
  'messages_tab_disabled',
  'ekm_access_denied',
];
const INVALID = [
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'invalid_arg_name',
];
const NO_TOKEN = [
  'account_inactive',
  'token_revoked',
  'token_expired',
  'invalid_auth',
  'not_authed',
  'missing_scope',
  'not_allowed_token_type',
  'no_permission',
  'team_access_not_granted',
];
const UNDELIVERABLE = new Set([...CLOSED, ...INVALID, ...NO_TOKEN]);
// chat.update on a message that was deleted, isn't ours to edit, or is past the workspace's edit window.
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** The `error` of a Web API call Slack answered with `ok: false`. */
export const slackErrorCode = (err: unknown): string | undefined =>
  PlatformError.safeParse(err).data?.data.error;

/** Runs a Web API call, turning Slack's permanent error codes into the notifier's delivery errors. */
async function call<T>(request: Promise<T>, opts: { edit?: boolean } = {}): Promise<T> {
  try {
    return await request;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && opts.edit && GONE.has(code))
      throw new MessageGoneError(`Slack can't edit the message: ${code}`, { cause: err });
    if (code && UNDELIVERABLE.has(code))
      throw new UndeliverableError(`Slack refused the message: ${code}`, { cause: err });
    // Slack's `ok: false` always names its error; an answer without one came from something in between.
    if (!code && PLATFORM_ERROR.safeParse(err).success)
      throw new UnrecognisedReplyError('Slack answered without ok or error', { cause: err });
    throw err;
  }
}

/** Our message ids are `channel:ts`; a ts alone is unique only within its channel. */
function parseRef(ref: DeliveryRef): { channel: string; ts: string } {
  const m = /^(.+):(\d+\.\d+)$/.exec(ref.messageId);
  if (!m?.[1] || !m[2]) throw new MessageGoneError(`not a Slack message id: ${ref.messageId}`);
  return { channel: m[1], ts: m[2] };
}

type Ref = { channel: string; ts: string };
type Thread = { thread_ts: string } | Record<string, never>;
/** One call of a delivery; `optional` parts (shared files) may be left out, `line` says so instead. */
type Part = { optional: boolean; run(): Promise<Ref | undefined>; line?(): Promise<Ref | undefined> };

export function createSlackSink(client: webApi.WebClient): ChatSink {
  /**
   * A conversation id that is the user's own is their DM with the bot (IncomingEvent.direct): opened
   * here, since files can only be shared into a conversation, not to a user.
   */
  async function conversationOf(address: ChatAddress): Promise<string> {
    if (address.conversationId !== address.userId) return address.conversationId;
    return Opened.parse(await call(client.conversations.open({ users: address.userId }))).channel.id;
  }

  /**
   * The calls that deliver a message, in order. An edit goes first: when the message is gone, the
   * notifier sends everything anew, and the files must not have been shared already. A new reply
   * shares its files first, so the message that answers is the last to arrive: once it is there, the
   * whole reply is.
   */
  function partsOf(message: OutgoingMessage, channel: string, thread: Thread, replace?: DeliveryRef) {
    const { posts, shares } = renderMessage(message);
    const [head, ...rest] = posts;
    if (!head) throw new Error('Slack render produced no post');
    const post = async (body: SlackPost | { text: string }) => {
      const sent = Posted.parse(await call(client.chat.postMessage({ channel, ...thread, ...body })));
      return { channel: sent.channel, ts: sent.ts };
    };
    const parts: Part[] = [];
    if (replace) {
      const ref = parseRef(replace);
      parts.push({
        optional: false,
        run: async () => {
          await call(client.chat.update({ channel: ref.channel, ts: ref.ts, ...head }), { edit: true });
          return ref;
        },
      });
    }
    for (const share of shares) {
      const what = /\.(png|jpe?g|gif)$/i.test(share.filename) ? 'the chart' : share.filename;
      parts.push({
        optional: true,
        run: async () => {
          const file = Buffer.from(share.data);
          const title = share.filename;
          await call(client.files.uploadV2({ channel_id: channel, ...thread, file, filename: title, title }));
          return undefined;
        },
        line: () => post({ text: leftOutLine(what) }),
      });
    }
    for (const body of replace ? rest : posts) parts.push({ optional: false, run: () => post(body) });
    return parts;
  }

  return {
    async deliver(address, message, opts) {
      const channel = await conversationOf(address);
      const thread: Thread = address.threadId ? { thread_ts: address.threadId } : {};
      const parts = partsOf(message, channel, thread, opts?.replace);
      const from = opts?.resume?.from ?? 0;
      let ref: Ref | undefined;
      // Part by part from where the last try stopped: a file shared or a message posted is never repeated.
      for (const [i, part] of parts.entries()) {
        if (i < from) continue;
        try {
          const leaveOut = i === from && opts?.resume?.leaveOut && part.line;
          const sent = leaveOut ? await leaveOut() : await part.run();
          ref ??= sent;
        } catch (err) {
          if (i === 0 && !part.optional) throw err;
          const first = ref ? `${ref.channel}:${ref.ts}` : undefined;
          throw new PartialDeliveryError({ sent: i, optional: part.optional, firstMessageId: first }, err);
        }
      }
      // Resumed past the message that answers, this try may have posted none: the notifier has its id.
      if (!ref && from === 0) throw new Error('Slack returned no message ts');
      return { messageId: ref ? `${ref.channel}:${ref.ts}` : '' };
    },
  };
}
