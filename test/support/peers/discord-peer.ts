// A Discord server on loopback for tests: REST under /api/v10 (JSON and multipart bodies, Discord's
// error envelope and its message, embed, component and modal limits, `Bot <token>` auth, 429s with the
// rate-limit headers discord.js reads) and the gateway WebSocket (Hello, Identify, READY, heartbeats,
// injected MESSAGE_CREATE and INTERACTION_CREATE). Interactions must be acknowledged within 3 seconds,
// once. What the bot sent is recorded, with edits applied, as the adapter contract's PeerMessage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { PeerMessage } from '../../contract/adapter-contract.ts';

const EPOCH = 1_420_070_400_000n;
let sequence = 0n;
const snowflake = () => String(((BigInt(Date.now()) - EPOCH) << 22n) | (sequence++ & 0xfffn));

// ---- Wire schemas, with Discord's limits (a violation is a 400 "Invalid Form Body", code 50035) ----
const Embed = z
  .object({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    fields: z
      .array(
        z.object({
          name: z.string().min(1).max(256),
          value: z.string().min(1).max(1024),
          inline: z.boolean().optional(),
        }),
      )
      .max(25)
      .optional(),
    footer: z.object({ text: z.string().max(2048) }).optional(),
    image: z.object({ url: z.string() }).optional(),
  })
  .refine(
    (e) =>
      [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce(
        (n, s) => n + (s?.length ?? 0),
        0,
      ) <= 6000,
    'embed over 6000 characters in total',
  );
type Embed = z.infer<typeof Embed>;
const Button = z.object({
  type: z.literal(2),
  style: z.number().int().min(1).max(4),
  label: z.string().min(1).max(80),
  custom_id: z.string().min(1).max(100),
  disabled: z.boolean().optional(),
});
const Row = z.object({ type: z.literal(1), components: z.array(Button).min(1).max(5) });
type Row = z.infer<typeof Row>;
const MessageBody = z.object({
  content: z.string().max(2000).nullish(),
  embeds: z.array(Embed).max(10).optional(),
  components: z
    .array(Row)
    .max(5)
    .optional()
    .refine((rows) => {
      const ids = (rows ?? []).flatMap((r) => r.components.map((b) => b.custom_id));
      return new Set(ids).size === ids.length;
    }, 'custom_id must be unique'),
  attachments: z.array(z.object({ id: z.union([z.string(), z.number()]) })).optional(),
});
type MessageBody = z.infer<typeof MessageBody>;
const Modal = z.object({
  custom_id: z.string().min(1).max(100),
  title: z.string().min(1).max(45),
  components: z
    .array(
      z.object({
        type: z.literal(18),
        label: z.string().min(1).max(45),
        component: z.object({
          type: z.literal(4),
          custom_id: z.string().min(1).max(100),
          style: z.union([z.literal(1), z.literal(2)]),
          value: z.string().max(4000).optional(),
          placeholder: z.string().max(100).optional(),
        }),
      }),
    )
    .min(1)
    .max(5),
});
export type PeerModal = z.infer<typeof Modal>;
const Callback = z.discriminatedUnion('type', [
  z.object({ type: z.literal(4), data: MessageBody }),
  z.object({ type: z.literal(5) }),
  z.object({ type: z.literal(6) }),
  z.object({ type: z.literal(7), data: MessageBody }),
  z.object({ type: z.literal(9), data: Modal }),
]);
const Commands = z.array(
  z.object({
    name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
    description: z.string().min(1).max(100),
    options: z.array(z.object({ name: z.string(), type: z.number() })).optional(),
  }),
);
const GatewayIn = z.discriminatedUnion('op', [
  z.object({ op: z.literal(1) }),
  z.object({ op: z.literal(2), d: z.object({ token: z.string(), intents: z.number() }) }),
  z.object({ op: z.literal(6) }),
]);

function embedText(e: {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}): string {
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text]
    .filter(Boolean)
    .join('\n');
}

type Attachment = { id: string; filename: string; size: number };
type Stored = {
  id: string;
  channelId: string;
  content: string;
  embeds: Embed[];
  components: Row[];
  attachments: Attachment[];
  edits: number;
  visible: boolean;
  deleted: boolean;
};
type Upload = { key: string; name: string; size: number };
type Channel = { id: string; type: 0 | 1; recipientId?: string };
type User = {
  id: string;
  username: string;
  global_name: string;
  discriminator: '0';
  avatar: null;
  bot: boolean;
};
export type PeerInteraction = {
  id: string;
  token: string;
  type: 2 | 3 | 5;
  at: number;
  channelId: string;
  userId: string;
  messageId?: string;
  ack?: { type: number; ms: number };
  /** A deferred reply ("thinking…") not yet edited or deleted. */
  thinking: boolean;
  originalId?: string;
  modal?: PeerModal;
};
type Reply = { status: number; json?: unknown; headers?: Record<string, string> };
const fail = (status: number, code: number, message: string, errors?: unknown): Reply => ({
  status,
  json: { code, message, ...(errors ? { errors } : {}) },
});

export type DiscordPeer = {
  apiUrl: string;
  applicationId: string;
  userId(name: string): string;
  dmChannelId(name: string): string;
  /** A user (or, with `bot`, another bot) writes in their DM, or with `guild` in the server's text channel. */
  message(opts: {
    user: string;
    text: string;
    guild?: boolean;
    mention?: boolean;
    bot?: boolean;
  }): Promise<void>;
  command(user: string, name: string, args: string): Promise<string>;
  press(user: string, messageId: string, label: string): Promise<string>;
  /** Submits the last modal the bot opened for `user`; fields not given keep their prefilled value. */
  submitModal(user: string, values: Record<string, string>): Promise<string>;
  /** The next request matching method and path (after /api/v10) is answered 429 with retry_after. */
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds: number): void;
  requests(): { method: string; path: string; status: number; at: number }[];
  commands(): z.infer<typeof Commands>;
  interactions(): PeerInteraction[];
  raw(messageId: string): Stored | undefined;
  messages(): PeerMessage[];
  close(): Promise<void>;
};

export async function startDiscordPeer(opts: {
  token: string;
  applicationId?: string;
}): Promise<DiscordPeer> {
  const applicationId = opts.applicationId ?? snowflake();
  const bot: User = {
    id: snowflake(),
    username: 'gentrade',
    global_name: 'GenTrade',
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  const guildId = snowflake();
  const textChannel: Channel = { id: snowflake(), type: 0 };
  const channels = new Map<string, Channel>([[textChannel.id, textChannel]]);
  const users = new Map<string, User>();
  const stored: Stored[] = [];
  const interactions = new Map<string, PeerInteraction>();
  const requests: { method: string; path: string; status: number; at: number }[] = [];
  const limits: { method: string; path: RegExp; retryAfter: number }[] = [];
  let commands: z.infer<typeof Commands> = [];
  const sessions = new Set<WebSocket>();
  let seq = 0;
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
    const c: Channel = { id: snowflake(), type: 1, recipientId: userId };
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
          name: 'trading',
          position: 0,
          permission_overwrites: [],
          nsfw: false,
          parent_id: null,
        };
  const apiMessage = (m: Stored) => ({
    id: m.id,
    channel_id: m.channelId,
    type: 0,
    author: bot,
    content: m.content,
    embeds: m.embeds,
    components: m.components,
    attachments: m.attachments.map((a) => ({
      ...a,
      url: `http://cdn.invalid/${a.id}/${a.filename}`,
      proxy_url: `http://cdn.invalid/${a.id}`,
    })),
    timestamp: now(),
    edited_timestamp: m.edits > 0 ? now() : null,
    mentions: [],
    mention_roles: [],
  });

  function dispatch(t: string, d: unknown, to: Iterable<WebSocket> = sessions) {
    for (const ws of to) ws.send(JSON.stringify({ op: 0, t, s: ++seq, d }));
  }
  async function connected() {
    const deadline = Date.now() + 10_000;
    while (sessions.size === 0) {
      if (Date.now() > deadline) throw new Error('no bot identified on the gateway');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- REST ----
  const uploadsOf = (files: Upload[]): Attachment[] =>
    files.map((f) => ({ id: snowflake(), filename: f.name, size: f.size }));
  function create(channelId: string, body: MessageBody, files: Upload[], visible = true): Stored | Reply {
    const m: Stored = {
      id: snowflake(),
      channelId,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: uploadsOf(files),
      edits: 0,
      visible,
      deleted: false,
    };
    if (
      visible &&
      !m.content &&
      m.embeds.length === 0 &&
      m.attachments.length === 0 &&
      m.components.length === 0
    ) {
      return fail(400, 50006, 'Cannot send an empty message');
    }
    stored.push(m);
    return m;
  }
  function edit(m: Stored, body: MessageBody, files: Upload[]) {
    if (body.content !== undefined) m.content = body.content ?? '';
    if (body.embeds) m.embeds = body.embeds;
    if (body.components) m.components = body.components;
    if (body.attachments) {
      const keep = new Set(body.attachments.map((a) => String(a.id)));
      m.attachments = m.attachments.filter((a) => keep.has(a.id));
    }
    m.attachments.push(...uploadsOf(files));
    m.edits++;
  }
  const parseMessage = (json: unknown): MessageBody | Reply => {
    const parsed = MessageBody.safeParse(json);
    return parsed.success ? parsed.data : fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
  };
  const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v;
  const interactionOf = (token: string) => [...interactions.values()].find((i) => i.token === token);

  function callback(rec: PeerInteraction | undefined, token: string, json: unknown, files: Upload[]): Reply {
    if (!rec || rec.token !== token) return fail(404, 10062, 'Unknown interaction');
    const ms = Date.now() - rec.at;
    if (ms > 3000) return fail(404, 10062, 'Unknown interaction');
    if (rec.ack) return fail(400, 40060, 'Interaction has already been acknowledged.');
    const parsed = Callback.safeParse(json);
    if (!parsed.success) return fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
    const cb = parsed.data;
    if ((cb.type === 6 || cb.type === 7) && !rec.messageId) return fail(400, 50035, 'Invalid Form Body');
    if (cb.type === 9 && rec.type === 5) return fail(400, 50035, 'A modal cannot answer a modal');
    if (cb.type === 4 || cb.type === 5) {
      const made = create(rec.channelId, cb.type === 4 ? cb.data : {}, files, cb.type === 4);
      if (isReply(made)) return made;
      rec.originalId = made.id;
      rec.thinking = cb.type === 5;
    }
    if (cb.type === 7) {
      const target = stored.find((m) => m.id === rec.messageId);
      if (target) edit(target, cb.data, files);
    }
    if (cb.type === 9) rec.modal = cb.data;
    rec.ack = { type: cb.type, ms };
    return { status: 204 };
  }

  type Route = [string, RegExp, (m: string[], json: unknown, files: Upload[]) => Reply];
  const routes: Route[] = [
    [
      'GET',
      /^\/gateway\/bot$/,
      () => ({
        status: 200,
        json: {
          url: gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      }),
    ],
    ['GET', /^\/users\/@me$/, () => ({ status: 200, json: bot })],
    [
      'PUT',
      /^\/applications\/(\d+)\/commands$/,
      ([app], json) => {
        if (app !== applicationId) return fail(403, 50001, 'Missing Access');
        const parsed = Commands.safeParse(json);
        if (!parsed.success) return fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
        commands = parsed.data;
        return {
          status: 200,
          json: commands.map((c) => ({
            ...c,
            id: snowflake(),
            application_id: applicationId,
            version: snowflake(),
            type: 1,
          })),
        };
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)$/,
      ([id]) => {
        const c = channels.get(id ?? '');
        return c ? { status: 200, json: channelJson(c) } : fail(404, 10003, 'Unknown Channel');
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      ([id], json, files) => {
        if (!channels.has(id ?? '')) return fail(404, 10003, 'Unknown Channel');
        const body = parseMessage(json);
        if (isReply(body)) return body;
        const made = create(id ?? '', body, files);
        return isReply(made) ? made : { status: 200, json: apiMessage(made) };
      },
    ],
    [
      'PATCH',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      ([id, mid], json, files) => {
        const m = stored.find((s) => s.id === mid && s.channelId === id && !s.deleted);
        if (!m) return fail(404, 10008, 'Unknown Message');
        const body = parseMessage(json);
        if (isReply(body)) return body;
        edit(m, body, files);
        return { status: 200, json: apiMessage(m) };
      },
    ],
    [
      'POST',
      /^\/users\/@me\/channels$/,
      (_m, json) => {
        const parsed = z.object({ recipient_id: z.string() }).safeParse(json);
        if (!parsed.success) return fail(400, 50035, 'Invalid Form Body');
        return { status: 200, json: channelJson(dmOf(parsed.data.recipient_id)) };
      },
    ],
    [
      'POST',
      /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      ([id, token], json, files) => callback(interactions.get(id ?? ''), token ?? '', json, files),
    ],
    [
      'PATCH',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
      ([, token], json, files) => {
        const rec = interactionOf(token ?? '');
        const m = stored.find((s) => s.id === rec?.originalId && !s.deleted);
        if (!rec || !m) return fail(404, 10008, 'Unknown Message');
        const body = parseMessage(json);
        if (isReply(body)) return body;
        edit(m, body, files);
        m.visible = true;
        rec.thinking = false;
        return { status: 200, json: apiMessage(m) };
      },
    ],
    [
      'DELETE',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
      ([, token]) => {
        const rec = interactionOf(token ?? '');
        const m = stored.find((s) => s.id === rec?.originalId && !s.deleted);
        if (!rec || !m) return fail(404, 10008, 'Unknown Message');
        m.deleted = true;
        rec.thinking = false;
        return { status: 204 };
      },
    ],
    [
      'POST',
      /^\/webhooks\/(\d+)\/([^/]+)$/,
      ([, token], json, files) => {
        const rec = interactionOf(token ?? '');
        if (!rec?.ack) return fail(404, 10015, 'Unknown Webhook');
        const body = parseMessage(json);
        if (isReply(body)) return body;
        const made = create(rec.channelId, body, files);
        return isReply(made) ? made : { status: 200, json: apiMessage(made) };
      },
    ],
  ];

  async function readBody(req: IncomingMessage): Promise<{ json: unknown; files: Upload[] }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data'))
      return { json: raw.length > 0 ? JSON.parse(raw.toString()) : {}, files: [] };
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: Upload[] = [];
    let payload: unknown = {};
    for (const [key, value] of form) {
      if (typeof value === 'string') {
        if (key === 'payload_json') payload = JSON.parse(value);
      } else if (key.startsWith('files[')) files.push({ key, name: value.name, size: value.size });
    }
    return { json: payload, files };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const body = await readBody(req);
    const entry = { method, path, status: 0, at: Date.now() };
    requests.push(entry);
    const reply = ((): Reply => {
      if (!url.pathname.startsWith('/api/v10/')) return fail(404, 0, '404: Not Found');
      const limited = limits.findIndex((l) => l.method === method && l.path.test(path));
      if (limited >= 0) {
        const [l] = limits.splice(limited, 1);
        const after = String(l?.retryAfter ?? 1);
        return {
          status: 429,
          json: { message: 'You are being rate limited.', retry_after: l?.retryAfter ?? 1, global: false },
          headers: {
            'retry-after': after,
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Date.now() / 1000 + (l?.retryAfter ?? 1)),
            'x-ratelimit-reset-after': after,
            'x-ratelimit-bucket': 'peer-bucket',
            'x-ratelimit-scope': 'user',
          },
        };
      }
      // Interaction callbacks and webhooks are authenticated by the token in their path.
      const open = /^\/(interactions|webhooks)\//.test(path);
      if (!open && req.headers.authorization !== `Bot ${opts.token}`)
        return fail(401, 0, '401: Unauthorized');
      for (const [m, re, fn] of routes) {
        const match = m === method ? re.exec(path) : null;
        if (match) return fn(match.slice(1), body.json, body.files);
      }
      return fail(404, 0, '404: Not Found');
    })();
    entry.status = reply.status;
    // A 204 has no body and no content type (discord.js would try to parse it).
    if (reply.status === 204) res.writeHead(204, reply.headers).end();
    else
      res
        .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        .end(JSON.stringify(reply.json ?? {}));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = z.object({ port: z.number() }).parse(server.address());
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  // ---- Gateway ----
  const wss = new WebSocketServer({ server, path: '/gateway' });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (data: RawData) => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.isBuffer(data) ? data.toString() : String(data));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      const parsed = GatewayIn.safeParse(json);
      if (!parsed.success) return;
      const p = parsed.data;
      if (p.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (p.op === 6) ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      if (p.op !== 2) return;
      if (p.d.token !== opts.token) {
        ws.close(4004, 'Authentication failed.');
        return;
      }
      sessions.add(ws);
      dispatch(
        'READY',
        {
          v: 10,
          user: bot,
          guilds: [{ id: guildId, unavailable: true }],
          session_id: snowflake(),
          resume_gateway_url: gatewayUrl,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
        },
        [ws],
      );
      // The guild arrives lazily, as on Discord, with the one text channel the tests use.
      dispatch(
        'GUILD_CREATE',
        {
          id: guildId,
          name: 'Traders',
          unavailable: false,
          joined_at: now(),
          member_count: 3,
          channels: [channelJson(textChannel)],
        },
        [ws],
      );
    });
    ws.on('close', () => sessions.delete(ws));
  });

  function interact(type: 2 | 3 | 5, user: User, channel: Channel, data: unknown, message?: Stored): string {
    const id = snowflake();
    const token = `itoken-${id}`;
    interactions.set(id, {
      id,
      token,
      type,
      at: Date.now(),
      channelId: channel.id,
      userId: user.id,
      messageId: message?.id,
      thinking: false,
    });
    const where =
      channel.type === 1
        ? { user, context: 1, authorizing_integration_owners: { '1': user.id } }
        : {
            guild_id: guildId,
            member: member(user),
            context: 0,
            authorizing_integration_owners: { '0': guildId },
          };
    dispatch('INTERACTION_CREATE', {
      id,
      token,
      type,
      application_id: applicationId,
      version: 1,
      app_permissions: '0',
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10_485_760,
      channel: channelJson(channel),
      channel_id: channel.id,
      data,
      ...(message ? { message: apiMessage(message) } : {}),
      ...where,
    });
    return id;
  }

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    userId: (name) => userOf(name).id,
    dmChannelId: (name) => dmOf(userOf(name).id).id,
    async message({ user: name, text, guild = false, mention = false, bot: isBot = false }) {
      await connected();
      const user = userOf(name, isBot);
      const channel = guild ? textChannel : dmOf(user.id);
      dispatch('MESSAGE_CREATE', {
        id: snowflake(),
        channel_id: channel.id,
        channel_type: channel.type,
        author: user,
        content: mention ? `<@${bot.id}> ${text}` : text,
        timestamp: now(),
        edited_timestamp: null,
        mentions: mention ? [bot] : [],
        mention_roles: [],
        type: 0,
        ...(guild ? { guild_id: guildId, member: { roles: [], joined_at: now() } } : {}),
      });
    },
    async command(name, commandName, args) {
      await connected();
      const spec = commands.find((c) => c.name === commandName);
      if (!spec) throw new Error(`/${commandName} is not registered`);
      const user = userOf(name);
      const option = spec.options?.[0];
      const options = option && args ? [{ name: option.name, type: 3, value: args }] : [];
      return interact(2, user, dmOf(user.id), { id: snowflake(), name: commandName, type: 1, options });
    },
    async press(name, messageId, label) {
      await connected();
      const m = stored.find((s) => s.id === messageId && !s.deleted);
      const button = m?.components.flatMap((r) => r.components).find((b) => b.label === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      if (button.disabled) throw new Error(`button "${label}" is disabled`);
      const channel = channels.get(m.channelId);
      if (!channel) throw new Error(`unknown channel ${m.channelId}`);
      return interact(3, userOf(name), channel, { custom_id: button.custom_id, component_type: 2 }, m);
    },
    async submitModal(name, values) {
      await connected();
      const user = userOf(name);
      const opened = [...interactions.values()].filter((i) => i.userId === user.id && i.modal).at(-1);
      const modal = opened?.modal;
      const channel = channels.get(opened?.channelId ?? '');
      if (!opened || !modal || !channel) throw new Error(`no modal open for ${name}`);
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
      const from = stored.find((s) => s.id === opened.messageId);
      return interact(5, user, channel, { custom_id: modal.custom_id, components }, from);
    },
    rateLimitNext(method, path, retryAfter) {
      limits.push({ method, path, retryAfter });
    },
    requests: () => [...requests],
    commands: () => commands,
    interactions: () => [...interactions.values()],
    raw: (id) => stored.find((s) => s.id === id),
    messages: () =>
      stored
        .filter((m) => m.visible && !m.deleted)
        .map((m) => {
          const shown = new Set(
            m.embeds.flatMap((e) =>
              e.image?.url.startsWith('attachment://') ? [e.image.url.slice(13)] : [],
            ),
          );
          const image = (a: Attachment) =>
            shown.has(a.filename) || /\.(png|jpe?g|gif|webp)$/i.test(a.filename);
          return {
            id: m.id,
            chatId: m.channelId,
            text: [m.content, ...m.embeds.map(embedText)].filter(Boolean).join('\n'),
            buttons: m.components.flatMap((r) =>
              r.components.map((b) => ({ label: b.label, payload: b.custom_id, disabled: b.disabled })),
            ),
            edits: m.edits,
            images: m.attachments.filter(image).map((a) => ({ filename: a.filename, bytes: a.size })),
            files: m.attachments
              .filter((a) => !image(a))
              .map((a) => ({ filename: a.filename, bytes: a.size })),
          };
        }),
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
