// Turns Slack payloads (slash commands, Events API messages and mentions, block actions, modal
// submissions) into IncomingEvents. Each payload is parsed with zod here, at the edge; a payload
// the bot should ignore (other bots, channel chatter without a mention) becomes null.
import { z } from 'zod';
import type { ChatAddress, IncomingEvent, Sender } from '../../src/core/types.ts';

export const SLACK_PLATFORM = 'slack';

/** An event plus the trigger id that lets us open a modal for it within Slack's 3 seconds. */
export type SlackInbound = { event: IncomingEvent; triggerId: string | undefined };

const User = z.object({ id: z.string(), username: z.string().optional(), name: z.string().optional() });

const SlashCommand = z.object({
  command: z.string().regex(/^\/[\w-]+$/),
  text: z.string().default(''),
  user_id: z.string(),
  user_name: z.string().optional(),
  channel_id: z.string(),
  trigger_id: z.string().optional(),
});

const MessageLike = z.object({
  type: z.enum(['message', 'app_mention']),
  user: z.string().optional(),
  text: z.string().default(''),
  channel: z.string(),
  channel_type: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  files: z
    .array(z.object({ name: z.string(), size: z.number().int().nonnegative(), url_private: z.url() }).loose())
    .optional(),
});

/** Downloads a file's url_private with the bot token (adapters/slack/index.ts). */
export type SlackDownload = (url: string) => Promise<Uint8Array>;

/** Slack escapes &, < and > in message text; pasted code needs them back. */
const unescapeText = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const BlockActions = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().optional(),
  user: User,
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional() }).optional(),
  message: z.object({ thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const ViewSubmission = z.object({
  type: z.literal('view_submission'),
  user: User,
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().default(''),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

/** Where a modal was opened from, kept in the view's private_metadata so the reply finds the chat. */
const Origin = z.object({ c: z.string(), t: z.string().optional() });

/**
 * What every event carries: the chat to answer in, who wrote, when, and where a private answer reaches
 * them: the bot's DM they wrote in, or else that DM by the user's id (chat.postMessage takes it, and the
 * sink opens the DM for files).
 */
function seen(
  conversationId: string,
  user: { id: string; name?: string },
  threadId?: string,
  inBotDm = false,
) {
  const address: ChatAddress = {
    platform: SLACK_PLATFORM,
    conversationId,
    userId: user.id,
    ...(threadId ? { threadId } : {}),
  };
  const sender: Sender = { platformUserId: user.id, displayName: user.name || user.id };
  const direct: ChatAddress = {
    platform: SLACK_PLATFORM,
    conversationId: inBotDm ? conversationId : user.id,
    userId: user.id,
  };
  return { address, sender, receivedAt: new Date(), direct };
}

export function commandEvent(raw: unknown): SlackInbound | null {
  const parsed = SlashCommand.safeParse(raw);
  if (!parsed.success) return null;
  const c = parsed.data;
  const event: IncomingEvent = {
    kind: 'command',
    name: c.command.slice(1),
    args: c.text.trim(),
    ...seen(c.channel_id, { id: c.user_id, name: c.user_name }),
  };
  return { event, triggerId: c.trigger_id };
}

/**
 * A DM, or a mention in a channel with the mention taken out. Channel messages without a mention
 * also arrive as `message` events when the app is subscribed to them; those are chatter and ignored.
 */
export function messageEvent(
  raw: unknown,
  botUserId: string,
  download?: SlackDownload,
): IncomingEvent | null {
  const parsed = MessageLike.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  // Edits, joins and other bots' posts carry a subtype or a bot_id; only people's messages count
  // (a message with files is subtype file_share, and counts).
  const subtype = m.subtype === 'file_share' ? undefined : m.subtype;
  if (subtype !== undefined || m.bot_id !== undefined || m.user === undefined) return null;
  if (m.type === 'message' && m.channel_type !== 'im') return null;
  const mention = new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g');
  const text = unescapeText(m.type === 'app_mention' ? m.text.replace(mention, ' ').trim() : m.text);
  const attachments =
    download && m.files && m.files.length > 0
      ? m.files.map((f) => ({ filename: f.name, size: f.size, fetch: () => download(f.url_private) }))
      : undefined;
  return {
    kind: 'message',
    text,
    ...(attachments ? { attachments } : {}),
    // message.im events come only from the bot's own DMs.
    ...seen(m.channel, { id: m.user }, m.thread_ts, m.channel_type === 'im'),
  };
}

export function actionEvent(raw: unknown): SlackInbound | null {
  const parsed = BlockActions.safeParse(raw);
  if (!parsed.success) return null;
  const b = parsed.data;
  const channel = b.channel?.id ?? b.container?.channel_id;
  const action = b.actions[0];
  if (!channel || !action) return null; // a button outside a conversation (App Home) has no chat to answer
  const event: IncomingEvent = {
    kind: 'action',
    payload: action.value ?? action.action_id,
    ...seen(
      channel,
      { id: b.user.id, name: b.user.username ?? b.user.name },
      b.message?.thread_ts ?? b.container?.thread_ts,
    ),
  };
  return { event, triggerId: b.trigger_id };
}

const DeliveryIds = z.object({ event_id: z.string().optional(), trigger_id: z.string().optional() });

/**
 * Slack's id for one delivery: an Events API envelope's event_id (the same on each of Slack's
 * retries), else a command's or an interaction's trigger_id (its own, so an exact replay repeats it).
 */
export function deliveryIdOf(body: unknown): string | undefined {
  const ids = DeliveryIds.safeParse(body).data;
  const id = ids?.event_id ?? ids?.trigger_id;
  return id ? `slack:${id}` : undefined;
}

export function encodeOrigin(a: ChatAddress): string {
  return JSON.stringify(a.threadId ? { c: a.conversationId, t: a.threadId } : { c: a.conversationId });
}

function decodeOrigin(metadata: string): z.infer<typeof Origin> | undefined {
  try {
    return Origin.parse(JSON.parse(metadata));
  } catch {
    return undefined;
  }
}

/** A submitted modal. Without an origin (opened elsewhere) the reply goes to the user's DM. */
export function submissionEvent(raw: unknown): IncomingEvent | null {
  const parsed = ViewSubmission.safeParse(raw);
  if (!parsed.success) return null;
  const { user, view } = parsed.data;
  const values: Record<string, string> = {};
  for (const block of Object.values(view.state.values)) {
    for (const [key, input] of Object.entries(block)) values[key] = input.value ?? '';
  }
  const origin = decodeOrigin(view.private_metadata);
  return {
    kind: 'form',
    submit: view.callback_id,
    values,
    ...seen(origin?.c ?? user.id, { id: user.id, name: user.username ?? user.name }, origin?.t),
  };
}
