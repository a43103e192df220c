// A Discord server on loopback for tests, speaking Discord's wire format: REST (./http.ts with
// ./channel-routes.ts and ./interaction-routes.ts), the gateway (./gateway.ts) and the server's state
// (./state.ts). Tests act as users (messages, slash commands, button presses, modal submits) and read
// back what the bot sent as the user sees it (./view.ts), plus the raw record behind it.
import { z } from 'zod';
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import { channelRoutes } from './channel-routes.ts';
import { createGateway } from './gateway.ts';
import { createRestServer, type PeerRequest } from './http.ts';
import { interactionRoutes } from './interaction-routes.ts';
import type { Commands } from './schemas.ts';
import {
  type Channel,
  createState,
  type PeerInteraction,
  type StoredMessage,
  snowflake,
  type User,
} from './state.ts';
import { visible } from './view.ts';

export { INTENTS } from './gateway.ts';
export type { PeerInteraction, StoredMessage } from './state.ts';

const TOKEN_LIFETIME_MS = 15 * 60_000;

export type DiscordPeer = {
  apiUrl: string;
  applicationId: string;
  /** The server's text channel the bot may write in, and one where it lacks SEND_MESSAGES. */
  textChannelId: string;
  readOnlyChannelId: string;
  userId(name: string): string;
  dmChannelId(name: string): string;
  /** A user (or, with `bot`, another bot) writes in their DM, or with `guild` in the server's text channel. */
  message(opts: {
    user: string;
    text: string;
    guild?: boolean;
    mention?: boolean;
    bot?: boolean;
    /** Files attached to the message, served at their CDN-style URL. */
    files?: { name: string; data: string | Buffer }[];
  }): Promise<void>;
  /** Runs a slash command in the user's DM, or with `guild` in the server's text channel; the interaction id. */
  command(user: string, name: string, args: string, opts?: { guild?: boolean }): Promise<string>;
  press(user: string, messageId: string, label: string): Promise<string>;
  /** Submits the last modal the bot opened for `user`; fields not given keep their prefilled value. */
  submitModal(user: string, values: Record<string, string>): Promise<string>;
  /** Someone deletes one of the bot's messages. */
  deleteMessage(id: string): void;
  /** The user blocks the bot: messages to their DM answer 50007. */
  blockBot(user: string): void;
  /** Interaction tokens count as expired this long after the interaction (Discord: 15 minutes). */
  setTokenLifetime(ms: number): void;
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds: number): void;
  /** The gateway sends the last interaction again, same id (as a resumed session may replay an event). */
  redispatchInteraction(): void;
  /**
   * Every request matching method and path fails with `status` (one route of Discord failing); with
   * `uploads`, only those carrying files; with `bare`, answered in JSON without Discord's error code.
   */
  breakRoute(method: string, path: RegExp, status: number, how?: { uploads?: boolean; bare?: boolean }): void;
  mendRoute(method: string, path: RegExp): void;
  requests(): PeerRequest[];
  commands(): Commands;
  interactions(): PeerInteraction[];
  /** The intents of every IDENTIFY the bot sent, refused ones included. */
  identified(): number[];
  raw(messageId: string): StoredMessage | undefined;
  /** What the user sees: channel messages, interaction replies and follow-ups, in order, edits applied. */
  messages(): PeerMessage[];
  close(): Promise<void>;
};

export async function startDiscordPeer(opts: {
  token: string;
  applicationId?: string;
  /** Privileged intents enabled for the application in the Developer Portal (none by default). */
  grantedIntents?: number;
}): Promise<DiscordPeer> {
  const applicationId = opts.applicationId ?? snowflake();
  const s = createState();
  let commands: Commands = [];
  let tokenLifetimeMs = TOKEN_LIFETIME_MS;
  let gatewayUrl = '';
  const attachments = new Map<string, Buffer>();
  const rest = createRestServer({
    token: opts.token,
    attachment: (path) => attachments.get(path),
    routes: () => [
      ...channelRoutes(s, { applicationId, gatewayUrl: () => gatewayUrl, onCommands: (c) => (commands = c) }),
      ...interactionRoutes(s, { applicationId, tokenLifetimeMs: () => tokenLifetimeMs }),
    ],
  });
  await new Promise<void>((resolve) => rest.server.listen(0, '127.0.0.1', resolve));
  const { port } = z.object({ port: z.number() }).parse(rest.server.address());
  gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  const gateway = createGateway(s, {
    server: rest.server,
    token: opts.token,
    applicationId,
    grantedIntents: opts.grantedIntents ?? 0,
    url: () => gatewayUrl,
  });

  let lastInteraction: Record<string, unknown> | undefined;
  function interact(type: 2 | 3 | 5, user: User, channel: Channel, data: unknown, message?: StoredMessage) {
    const id = snowflake();
    const token = `itoken-${id}`;
    const at = Date.now();
    s.interactions.set(id, { id, token, type, at, channelId: channel.id, userId: user.id, thinking: false });
    const rec = s.interactions.get(id);
    if (rec && message) rec.messageId = message.id;
    const where =
      channel.type === 1
        ? { user, context: 1, authorizing_integration_owners: { '1': user.id } }
        : {
            guild_id: s.guildId,
            member: s.member(user),
            context: 0,
            authorizing_integration_owners: { '0': s.guildId },
          };
    lastInteraction = {
      id,
      token,
      type,
      application_id: applicationId,
      version: 1,
      app_permissions: '0',
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10_485_760,
      channel: s.channelJson(channel),
      channel_id: channel.id,
      data,
      ...(message ? { message: s.messageJson(message) } : {}),
      ...where,
    };
    gateway.dispatch('INTERACTION_CREATE', lastInteraction);
    return id;
  }
  const channelOf = (id: string | undefined) => {
    const c = s.channels.get(id ?? '');
    if (!c) throw new Error(`unknown channel ${id}`);
    return c;
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    textChannelId: s.textChannel.id,
    readOnlyChannelId: s.readOnlyChannel.id,
    userId: (name) => s.userOf(name).id,
    dmChannelId: (name) => s.dmOf(s.userOf(name).id).id,
    async message({ user: name, text, guild = false, mention = false, bot: isBot = false, files = [] }) {
      await gateway.connected();
      const user = s.userOf(name, isBot);
      const channel = guild ? s.textChannel : s.dmOf(user.id);
      const attached = files.map((f) => {
        const id = snowflake();
        const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8');
        const path = `/attachments/${channel.id}/${id}/${encodeURIComponent(f.name)}`;
        attachments.set(decodeURIComponent(path), data);
        const url = `http://127.0.0.1:${port}${path}?ex=0&is=0&hm=peer`;
        return {
          id,
          filename: f.name,
          size: data.length,
          url,
          proxy_url: url,
          content_type: 'text/x-python',
        };
      });
      const payload = {
        id: snowflake(),
        channel_id: channel.id,
        channel_type: channel.type,
        author: user,
        content: mention ? `<@${s.bot.id}> ${text}` : text,
        timestamp: s.now(),
        edited_timestamp: null,
        mentions: mention ? [s.bot] : [],
        mention_roles: [],
        attachments: attached,
        type: 0,
        ...(guild ? { guild_id: s.guildId, member: { roles: [], joined_at: s.now() } } : {}),
      };
      gateway.messageEvent('MESSAGE_CREATE', { guild, mentioned: mention, payload });
    },
    async command(name, commandName, args, where = {}) {
      await gateway.connected();
      const spec = commands.find((c) => c.name === commandName);
      if (!spec) throw new Error(`/${commandName} is not registered`);
      const user = s.userOf(name);
      const option = spec.options?.[0];
      const options = option && args ? [{ name: option.name, type: 3, value: args }] : [];
      const channel = where.guild ? s.textChannel : s.dmOf(user.id);
      return interact(2, user, channel, { id: snowflake(), name: commandName, type: 1, options });
    },
    async press(name, messageId, label) {
      await gateway.connected();
      const m = s.live(messageId);
      const button = m?.components.flatMap((r) => r.components).find((b) => b.label === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      if (button.disabled) throw new Error(`button "${label}" is disabled`);
      const data = { custom_id: button.custom_id, component_type: 2 };
      return interact(3, s.userOf(name), channelOf(m.channelId), data, m);
    },
    async submitModal(name, values) {
      await gateway.connected();
      const user = s.userOf(name);
      const opened = [...s.interactions.values()].filter((i) => i.userId === user.id && i.modal).at(-1);
      const modal = opened?.modal;
      if (!opened || !modal) throw new Error(`no modal open for ${name}`);
      const components = modal.components.map((l, i) => ({
        type: 18,
        id: i * 2 + 1,
        component: {
          type: 4,
          id: i * 2 + 2,
          custom_id: l.component.custom_id,
          value: values[l.component.custom_id] ?? l.component.value ?? '',
        },
      }));
      const data = { custom_id: modal.custom_id, components };
      return interact(5, user, channelOf(opened.channelId), data, s.live(opened.messageId));
    },
    deleteMessage(id) {
      const m = s.live(id);
      if (!m) throw new Error(`no message ${id}`);
      m.deleted = true;
      const guild = channelOf(m.channelId).type === 0;
      const payload = { id, channel_id: m.channelId, ...(guild ? { guild_id: s.guildId } : {}) };
      gateway.messageEvent('MESSAGE_DELETE', { guild, mentioned: false, payload });
    },
    blockBot(name) {
      s.blocked.add(s.userOf(name).id);
    },
    setTokenLifetime(ms) {
      tokenLifetimeMs = ms;
    },
    rateLimitNext: rest.rateLimitNext,
    breakRoute: rest.breakRoute,
    mendRoute: rest.mendRoute,
    redispatchInteraction() {
      if (!lastInteraction) throw new Error('no interaction to send again');
      gateway.dispatch('INTERACTION_CREATE', lastInteraction);
    },
    requests: () => [...rest.requests],
    commands: () => commands,
    interactions: () => [...s.interactions.values()],
    identified: gateway.identified,
    raw: (id) => s.messages.find((m) => m.id === id),
    messages: () => visible(s.messages),
    async close() {
      await gateway.close();
      rest.server.closeAllConnections();
      await new Promise<void>((resolve) => rest.server.close(() => resolve()));
    },
  };
}
