// The Slack peer's response_url endpoints, as Slack answers them: every slash command and button press
// carries a URL that takes a JSON message up to 5 times within 30 minutes, posted in the conversation
// it came from whether or not the bot is a member there; `response_type` ephemeral (Slack's default,
// seen only by the user who acted) or in_channel, and `replace_original` to replace the message a
// pressed button is on. What it posts is stored like any message, so the peer's messages() still
// shows what the user sees.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MessageBlocks } from './blocks.ts';
import type { State, Stored } from './state.ts';
import type { Args } from './wire.ts';

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_MS = 30 * 60_000;

const Body = z.object({
  text: z.string().optional(),
  blocks: z.unknown().optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.boolean().optional(),
  delete_original: z.boolean().optional(),
  thread_ts: z.string().optional(),
});

type Reply = { status: number; body: Args };

/** Issues the response_url for an interaction by `userId` in `channel` (on message `messageTs`). */
export function issueResponseUrl(
  state: State,
  base: string,
  at: { channel: string; userId: string; messageTs?: string },
): string {
  const id = randomUUID();
  state.responseUrls.set(id, { ...at, issuedAt: Date.now(), uses: 0 });
  return `${base}/response/${id}`;
}

export function answerResponseUrl(
  state: State,
  id: string,
  args: Args,
  store: (m: Omit<Stored, 'ts' | 'edits' | 'deleted'>) => Stored,
): Reply {
  const url = state.responseUrls.get(id);
  const fail = (status: number, error: string): Reply => {
    state.responses.push({ id, status, error });
    return { status, body: { ok: false, error } };
  };
  if (!url) return fail(404, 'no_such_url');
  if (state.responseUrlsExpired || Date.now() - url.issuedAt > RESPONSE_URL_MS)
    return fail(404, 'expired_url');
  if (url.uses >= RESPONSE_URL_USES) return fail(404, 'used_url');
  const body = Body.safeParse(args);
  if (!body.success) return fail(400, 'invalid_payload');
  const blocks = MessageBlocks.safeParse(body.data.blocks ?? []);
  if (!blocks.success) return fail(400, 'invalid_blocks');
  const text = body.data.text ?? '';
  if (!text && blocks.data.length === 0) return fail(400, 'no_text');
  url.uses++;
  const inChannel = body.data.response_type === 'in_channel';
  const original = state.messages.find((m) => m.channel === url.channel && m.ts === url.messageTs);
  if (body.data.replace_original && original) {
    Object.assign(original, { text, blocks: blocks.data, edits: original.edits + 1 });
  } else {
    store({
      channel: url.channel,
      text,
      blocks: blocks.data,
      fileIds: [],
      via: 'response_url',
      ...(inChannel ? {} : { visibleTo: url.userId }),
    });
  }
  state.responses.push({ id, status: 200, responseType: inChannel ? 'in_channel' : 'ephemeral' });
  return { status: 200, body: { ok: true } };
}
