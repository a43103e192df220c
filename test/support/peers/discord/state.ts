// What the Discord peer knows: the bot, users, one server with a text channel the bot may write in and
// one where it lacks SEND_MESSAGES, DM channels, every message the bot made (channel messages,
// interaction replies and follow-ups, ephemeral ones too) and every interaction, plus the JSON shapes
// Discord sends for them.
import { type Embed, fail, type MessageBody, type PeerModal, type Reply, type Row } from './schemas.ts';

const EPOCH = 1_420_070_400_000n;
let sequence = 0n;
/** A Discord id: milliseconds since 2015 in the high bits, so discord.js reads the creation time off it. */
export const snowflake = () => String(((BigInt(Date.now()) - EPOCH) << 22n) | (sequence++ & 0xfffn));

const SEND_MESSAGES = 1n << 11n;

export type User = {
  id: string;
  username: string;
  global_name: string;
  discriminator: '0';
  avatar: null;
  bot: boolean;
};
/** type 0 is a server text channel, 1 a DM. */
export type Channel = { id: string; type: 0 | 1; name?: string; recipientId?: string; canSend: boolean };
export type Attachment = { id: string; filename: string; size: number };
export type Upload = { key: string; name: string; size: number };

export type StoredMessage = {
  id: string;
  channelId: string;
  content: string;
  embeds: Embed[];
  components: Row[];
  attachments: Attachment[];
  edits: number;
  /** A deferred reply shows "thinking…" until its content arrives; the harness shows it only then. */
  visible: boolean;
  deleted: boolean;
  ephemeral: boolean;
  /** How the bot sent it: a channel message, the interaction's reply, or a follow-up. */
  via: 'channel' | 'reply' | 'followup';
  interactionId?: string;
};

export type PeerInteraction = {
  id: string;
  token: string;
  /** 2 slash command, 3 button, 5 modal submit. */
  type: 2 | 3 | 5;
  at: number;
  channelId: string;
  userId: string;
  /** The message a button (or a modal opened from one) was on. */
  messageId?: string;
  ack?: { type: number; ms: number };
  /** A deferred reply ("thinking…") not yet filled or deleted. */
  thinking: boolean;
  /** What `@original` is: the reply (callbacks 4, 5) or the button's message (6, 7). */
  originalId?: string;
  modal?: PeerModal;
};

export function createState() {
  const bot: User = {
    id: snowflake(),
    username: 'gentrade',
    global_name: 'GenTrade',
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  const guildId = snowflake();
  const textChannel: Channel = { id: snowflake(), type: 0, name: 'trading', canSend: true };
  const readOnlyChannel: Channel = { id: snowflake(), type: 0, name: 'announcements', canSend: false };
  const channels = new Map<string, Channel>([
    [textChannel.id, textChannel],
    [readOnlyChannel.id, readOnlyChannel],
  ]);
  const users = new Map<string, User>();
  const blocked = new Set<string>();
  const messages: StoredMessage[] = [];
  const interactions = new Map<string, PeerInteraction>();
  const now = () => new Date().toISOString();

  const userOf = (name: string, isBot = false): User => {
    let u = users.get(name);
    if (!u) {
      u = {
        id: snowflake(),
        username: name,
        global_name: name,
        discriminator: '0',
        avatar: null,
        bot: isBot,
      };
      users.set(name, u);
    }
    return u;
  };
  const dmOf = (userId: string): Channel => {
    for (const c of channels.values()) if (c.recipientId === userId) return c;
    const c: Channel = { id: snowflake(), type: 1, recipientId: userId, canSend: true };
    channels.set(c.id, c);
    return c;
  };
  const member = (u: User) => ({
    user: u,
    roles: [],
    joined_at: now(),
    deaf: false,
    mute: false,
    flags: 0,
    permissions: '0',
  });
  const channelJson = (c: Channel) =>
    c.type === 1
      ? {
          id: c.id,
          type: 1,
          recipients: [...users.values()].filter((u) => u.id === c.recipientId),
          last_message_id: null,
        }
      : {
          id: c.id,
          type: 0,
          guild_id: guildId,
          name: c.name,
          position: 0,
          // Where the bot may not write, a member overwrite denies it SEND_MESSAGES.
          permission_overwrites: c.canSend
            ? []
            : [{ id: bot.id, type: 1, allow: '0', deny: String(SEND_MESSAGES) }],
          nsfw: false,
          parent_id: null,
        };
  const messageJson = (m: StoredMessage) => ({
    id: m.id,
    channel_id: m.channelId,
    type: m.via === 'reply' ? 20 : 0,
    author: bot,
    content: m.content,
    embeds: m.embeds,
    components: m.components,
    attachments: m.attachments.map((a) => ({
      ...a,
      url: `http://cdn.invalid/${a.id}/${a.filename}`,
      proxy_url: `http://cdn.invalid/${a.id}`,
    })),
    flags: m.ephemeral ? 64 : 0,
    timestamp: now(),
    edited_timestamp: m.edits > 0 ? now() : null,
    mentions: [],
    mention_roles: [],
  });
  const live = (id: string | undefined) => messages.find((m) => m.id === id && !m.deleted);
  const uploaded = (files: Upload[]): Attachment[] =>
    files.map((f) => ({ id: snowflake(), filename: f.name, size: f.size }));

  /** Stores a message the bot made; Discord refuses one with nothing to show (unless it is a "thinking…"). */
  function create(
    channelId: string,
    body: MessageBody,
    files: Upload[],
    how: Pick<StoredMessage, 'via' | 'ephemeral' | 'visible'> & { interactionId?: string },
  ): StoredMessage | Reply {
    const m: StoredMessage = {
      id: snowflake(),
      channelId,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: uploaded(files),
      edits: 0,
      deleted: false,
      ...how,
    };
    const empty = !m.content && !m.embeds.length && !m.attachments.length && !m.components.length;
    if (how.visible && empty) return fail(400, 50006, 'Cannot send an empty message');
    messages.push(m);
    return m;
  }
  /** Applies an edit; `attachments` lists the old files to keep, new uploads are added. */
  function edit(m: StoredMessage, body: MessageBody, files: Upload[], counts = true) {
    if (body.content !== undefined) m.content = body.content ?? '';
    if (body.embeds) m.embeds = body.embeds;
    if (body.components) m.components = body.components;
    if (body.attachments) {
      const keep = new Set(body.attachments.map((a) => String(a.id)));
      m.attachments = m.attachments.filter((a) => keep.has(a.id));
    }
    m.attachments.push(...uploaded(files));
    if (counts) m.edits++;
  }

  return {
    bot,
    guildId,
    textChannel,
    readOnlyChannel,
    channels,
    users,
    blocked,
    messages,
    interactions,
    now,
    userOf,
    dmOf,
    member,
    channelJson,
    messageJson,
    live,
    create,
    edit,
  };
}

export type PeerState = ReturnType<typeof createState>;
