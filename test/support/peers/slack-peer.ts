// A Slack stand-in on loopback that speaks Slack's wire formats: the Web API (POST /api/<method>,
// form, JSON or multipart bodies, bearer token checked, Block Kit limits enforced like Slack's
// invalid_blocks), the external file upload URL, Socket Mode's WebSocket (hello, envelopes, acks),
// and requests to the bot's HTTP receiver signed v0 HMAC-SHA256, or forged, unsigned or stale.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { PeerMessage } from '../../contract/adapter-contract.ts';

const TEAM = 'T0PEER';
const BOT_USER = 'U0GENTRADE';
const BOT_ID = 'B0GENTRADE';
const TRIGGER_MS = 3000; // Slack's trigger ids expire after 3 s and work once

const Plain = (max: number) =>
  z.object({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const Text = (max: number) =>
  z.object({ type: z.enum(['plain_text', 'mrkdwn']), text: z.string().min(1).max(max) });
const ButtonElement = z.object({
  type: z.literal('button'),
  text: Plain(75),
  action_id: z.string().min(1).max(255),
  value: z.string().max(2000).optional(),
  style: z.enum(['primary', 'danger']).optional(),
});
const MessageBlock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('section'),
    text: Text(3000).optional(),
    fields: z.array(Text(2000)).min(1).max(10).optional(),
  }),
  z.object({ type: z.literal('header'), text: Plain(150) }),
  z.object({ type: z.literal('context'), elements: z.array(Text(3000)).min(1).max(10) }),
  z.object({ type: z.literal('actions'), elements: z.array(ButtonElement).min(1).max(25) }),
  z.object({
    type: z.literal('image'),
    alt_text: z.string().min(1),
    slack_file: z.object({ id: z.string() }),
  }),
  z.object({ type: z.literal('divider') }),
]);
type Block = z.infer<typeof MessageBlock>;
const MessageBlocks = z
  .array(MessageBlock)
  .max(50)
  .refine((bs) => bs.every((b) => b.type !== 'section' || b.text || b.fields), 'section needs text or fields')
  .refine((bs) => {
    const ids = bs.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    return new Set(ids).size === ids.length;
  }, 'action_id must be unique in a message');
const Modal = z.object({
  type: z.literal('modal'),
  callback_id: z.string().max(255),
  private_metadata: z.string().max(3000).optional(),
  title: Plain(24),
  submit: Plain(24).optional(),
  close: Plain(24).optional(),
  blocks: z
    .array(
      z.object({
        type: z.literal('input'),
        block_id: z.string().min(1).max(255),
        label: Plain(2000),
        optional: z.boolean().optional(),
        element: z.object({
          type: z.literal('plain_text_input'),
          action_id: z.string().min(1).max(255),
          initial_value: z.string().max(3000).optional(),
          multiline: z.boolean().optional(),
          placeholder: Plain(150).optional(),
        }),
      }),
    )
    .min(1)
    .max(100),
});
export type PeerModal = z.infer<typeof Modal>;
const FileRefs = z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1);
const Ack = z.object({ envelope_id: z.string(), payload: z.unknown().optional() });

type Stored = {
  channel: string;
  ts: string;
  text: string;
  blocks: Block[];
  fileIds: string[];
  edits: number;
};
type StoredFile = { filename: string; length: number; title?: string; data?: Buffer };
type Args = Record<string, unknown>;
type State = {
  messages: Stored[];
  files: Map<string, StoredFile>;
  triggers: Map<string, { at: number; used: boolean }>;
  views: { view: PeerModal }[];
  calls: { method: string; status: number; error?: string }[];
  rateLimits: Map<string, number[]>;
  sockets: Set<WebSocket>;
  acks: Map<string, (payload: unknown) => void>;
  receiver: { url: string; signingSecret: string } | undefined;
  seq: number;
};
type Answer = { status?: number; headers?: Record<string, string>; body: Args };
export type Tamper = { signature?: 'forged' | 'missing'; ageSeconds?: number };
export type InboundKind = 'slash_commands' | 'events_api' | 'interactive';

export type SlackPeer = ReturnType<typeof peerApi>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const fail = (error: string, detail?: string[]): Answer => ({
  body: { ok: false, error, ...(detail ? { errors: detail, response_metadata: { messages: detail } } : {}) },
});
const invalid = (error: string, e: z.ZodError) =>
  fail(
    error,
    e.issues.map((i) => `${i.path.join('/')}: ${i.message}`),
  );
const parseJson = (v: unknown): unknown => {
  try {
    return typeof v === 'string' ? JSON.parse(v) : v;
  } catch {
    return v;
  }
};
const sign = (secret: string, ts: number, body: string) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
const unescapeMrkdwn = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

async function parseArgs(req: IncomingMessage, body: Buffer): Promise<{ args: Args; file?: Buffer }> {
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim();
  if (type === 'application/json')
    return { args: z.record(z.string(), z.unknown()).parse(JSON.parse(String(body))) };
  if (type === 'application/x-www-form-urlencoded')
    return { args: Object.fromEntries(new URLSearchParams(String(body))) };
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
    const args: Args = {};
    let file: Buffer | undefined;
    for (const [k, v] of form) {
      if (typeof v === 'string') args[k] = v;
      else file = Buffer.from(await v.arrayBuffer());
    }
    return { args, ...(file ? { file } : {}) };
  }
  return { args: {}, file: body };
}

function blockText(b: Block): string {
  const t = (o: { type: string; text: string }) => (o.type === 'mrkdwn' ? unescapeMrkdwn(o.text) : o.text);
  if (b.type === 'header') return b.text.text;
  if (b.type === 'section')
    return [b.text ? t(b.text) : '', ...(b.fields ?? []).map(t)].filter(Boolean).join('\n');
  if (b.type === 'context') return b.elements.map(t).join(' ');
  return '';
}

export async function startSlackPeer(opts: { botToken: string; appToken?: string }) {
  const state: State = {
    messages: [],
    files: new Map(),
    triggers: new Map(),
    views: [],
    calls: [],
    rateLimits: new Map(),
    sockets: new Set(),
    acks: new Map(),
    receiver: undefined,
    seq: 0,
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (!address || typeof address === 'string') throw new Error('the Slack peer is not listening');
  const port = address.port;
  const base = `http://127.0.0.1:${port}`;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++state.seq).padStart(6, '0')}`;
  const store = (channel: string, text: string, blocks: Block[], fileIds: string[]) => {
    const m: Stored = { channel, ts: nextTs(), text, blocks, fileIds, edits: 0 };
    state.messages.push(m);
    return m;
  };
  const findMessage = (channel: unknown, ts: unknown) =>
    state.messages.find((m) => m.channel === channel && m.ts === ts);

  const methods: Record<string, (a: Args) => Answer> = {
    'auth.test': () => ({
      body: { ok: true, team: 'Peer', team_id: TEAM, user: 'gentrade', user_id: BOT_USER, bot_id: BOT_ID },
    }),
    'chat.postMessage': (a) => {
      const channel = str(a.channel);
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      if (!channel) return fail('channel_not_found');
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      if (!str(a.text) && blocks.data.length === 0) return fail('no_text');
      const m = store(channel, str(a.text) ?? '', blocks.data, []);
      return { body: { ok: true, channel, ts: m.ts, message: { text: m.text, ts: m.ts } } };
    },
    'chat.update': (a) => {
      const m = findMessage(a.channel, a.ts);
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      if (!m) return fail('message_not_found');
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      Object.assign(m, { text: str(a.text) ?? '', blocks: blocks.data, edits: m.edits + 1 });
      return { body: { ok: true, channel: m.channel, ts: m.ts } };
    },
    'views.open': (a) => {
      const trigger = state.triggers.get(str(a.trigger_id) ?? '');
      if (!trigger) return fail('invalid_trigger_id');
      if (trigger.used || Date.now() - trigger.at > TRIGGER_MS) return fail('expired_trigger_id');
      trigger.used = true;
      const view = Modal.safeParse(parseJson(a.view));
      if (!view.success) return invalid('invalid_arguments', view.error);
      state.views.push({ view: view.data });
      return { body: { ok: true, view: { id: `V${state.views.length}`, ...view.data } } };
    },
    'files.getUploadURLExternal': (a) => {
      const filename = str(a.filename);
      const length = Number(a.length);
      if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
      const id = `F${++state.seq}`;
      state.files.set(id, { filename, length });
      return { body: { ok: true, upload_url: `${base}/upload/${id}`, file_id: id } };
    },
    'files.completeUploadExternal': (a) => {
      const refs = FileRefs.safeParse(parseJson(a.files));
      if (!refs.success) return fail('invalid_arguments');
      const files = refs.data.map((r) => ({ ...r, file: state.files.get(r.id) }));
      if (files.some((f) => !f.file?.data)) return fail('file_not_found');
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      for (const f of files) if (f.file && f.title) f.file.title = f.title;
      const channel = str(a.channel_id);
      if (channel) {
        const text = str(a.initial_comment) ?? '';
        const fileIds = files.map((f) => f.id);
        store(channel, text, text ? [] : blocks.data, fileIds);
      }
      return {
        body: {
          ok: true,
          files: files.map((f) => ({ id: f.id, name: f.file?.filename, size: f.file?.length })),
        },
      };
    },
    'apps.connections.open': () => ({
      body: { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}` },
    }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', base).pathname;
    const raw = await readBody(req);
    const { args, file } = await parseArgs(req, raw);
    const upload = /^\/upload\/(F\d+)$/.exec(path);
    if (req.method === 'POST' && upload?.[1]) {
      const stored = state.files.get(upload[1]);
      if (!stored || !file || file.length !== stored.length) return void res.writeHead(400).end('bad upload');
      stored.data = file;
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.length}`);
    }
    const method = /^\/api\/([\w.]+)$/.exec(path)?.[1] ?? '';
    const answer = answerFor(method, req.headers.authorization, args);
    state.calls.push({
      method,
      status: answer.status ?? 200,
      ...(answer.body.ok ? {} : { error: String(answer.body.error) }),
    });
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  function answerFor(method: string, authorization: string | undefined, args: Args): Answer {
    const handler = methods[method];
    if (!handler) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? str(args.token);
    const wanted = method === 'apps.connections.open' ? opts.appToken : opts.botToken;
    if (!token || token !== wanted) return fail('invalid_auth');
    const retryAfter = state.rateLimits.get(method)?.shift();
    if (retryAfter !== undefined)
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfter) },
        body: { ok: false, error: 'ratelimited' },
      };
    return handler(args);
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/link')) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.sockets.add(ws);
      ws.on('close', () => state.sockets.delete(ws));
      ws.on('message', (data) => {
        const ack = Ack.safeParse(parseJson(String(data)));
        if (ack.success) state.acks.get(ack.data.envelope_id)?.(ack.data.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0PEER' } }));
    });
  });

  return peerApi(state, { server, wss, base });
}

function peerApi(state: State, io: { server: Server; wss: WebSocketServer; base: string }) {
  const { server, wss, base } = io;
  const issueTrigger = (userId: string) => {
    const id = `${Date.now()}.${userId}.${randomUUID().slice(0, 8)}`;
    state.triggers.set(id, { at: Date.now(), used: false });
    return id;
  };

  function toPeerMessage(m: Stored): PeerMessage {
    const files = m.fileIds.flatMap((id) => {
      const f = state.files.get(id);
      return f ? [{ filename: f.filename, bytes: f.data?.length ?? 0, title: f.title ?? f.filename }] : [];
    });
    const isImage = (f: { filename: string }) => /\.(png|jpe?g|gif)$/i.test(f.filename);
    const blockImages = m.blocks.flatMap((b) =>
      b.type === 'image' ? [state.files.get(b.slack_file.id)] : [],
    );
    const text =
      m.blocks.length > 0 ? m.blocks.map(blockText).filter(Boolean).join('\n') : unescapeMrkdwn(m.text);
    return {
      id: `${m.channel}:${m.ts}`,
      chatId: m.channel,
      text: text || files.map((f) => f.title).join('\n'),
      buttons: m.blocks.flatMap((b) =>
        b.type === 'actions'
          ? b.elements.map((e) => ({ label: e.text.text, payload: e.value ?? e.action_id }))
          : [],
      ),
      edits: m.edits,
      images: [
        ...files.filter(isImage),
        ...blockImages.flatMap((f) => (f ? [{ filename: f.filename, bytes: f.data?.length ?? 0 }] : [])),
      ].map(({ filename, bytes }) => ({ filename, bytes })),
      files: files.filter((f) => !isImage(f)).map(({ filename, bytes }) => ({ filename, bytes })),
    };
  }

  /** Sends a payload to the bot the way Slack would: signed HTTP when a receiver is set, else Socket Mode. */
  async function toBot(kind: InboundKind, payload: Args, tamper: Tamper = {}): Promise<number> {
    const receiver = state.receiver;
    if (!receiver) return envelope(kind, payload).then(() => 200);
    // Bolt compares the content type exactly, so form bodies carry no charset (neither does Slack).
    const [type, body] =
      kind === 'events_api'
        ? ['application/json', JSON.stringify(payload)]
        : kind === 'interactive'
          ? [
              'application/x-www-form-urlencoded',
              new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
            ]
          : [
              'application/x-www-form-urlencoded',
              new URLSearchParams(z.record(z.string(), z.string()).parse(payload)).toString(),
            ];
    const ts = Math.floor(Date.now() / 1000) - (tamper.ageSeconds ?? 0);
    const headers: Record<string, string> = { 'content-type': type, 'x-slack-request-timestamp': String(ts) };
    const secret =
      tamper.signature === 'forged' ? `${receiver.signingSecret}-forged` : receiver.signingSecret;
    if (tamper.signature !== 'missing') headers['x-slack-signature'] = sign(secret, ts, body);
    const res = await fetch(receiver.url, { method: 'POST', headers, body });
    await res.arrayBuffer();
    return res.status;
  }

  function envelope(type: InboundKind, payload: Args): Promise<unknown> {
    const [ws] = state.sockets;
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${id} not acked within 3 s`)), 3000);
      state.acks.set(id, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      const extra = type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {};
      ws.send(
        JSON.stringify({
          envelope_id: id,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...extra,
        }),
      );
    });
  }

  return {
    apiUrl: `${base}/api/`,
    botUserId: BOT_USER,
    /** Inbound goes to this receiver, signed; without one it goes over Socket Mode. */
    useReceiver(url: string, signingSecret: string) {
      state.receiver = { url, signingSecret };
    },
    /** The next `times` calls to `method` answer HTTP 429 with Retry-After. */
    rateLimitNext(method: string, retryAfterSec: number, times = 1) {
      state.rateLimits.set(
        method,
        Array.from({ length: times }, () => retryAfterSec),
      );
    },
    calls: (method?: string) => state.calls.filter((c) => !method || c.method === method),
    messages: () => state.messages.map(toPeerMessage),
    views: () => [...state.views],
    socketCount: () => state.sockets.size,
    slashCommand(p: { userId: string; channelId: string; command: string; text: string }, tamper?: Tamper) {
      const payload = {
        token: 'deprecated-verification-token',
        team_id: TEAM,
        channel_id: p.channelId,
        user_id: p.userId,
        user_name: p.userId,
        command: p.command,
        text: p.text,
        api_app_id: 'A0PEER',
        response_url: `${base}/response/${randomUUID()}`,
        trigger_id: issueTrigger(p.userId),
      };
      return toBot('slash_commands', payload, tamper);
    },
    event(event: Args) {
      const id = randomUUID().slice(0, 8);
      return toBot('events_api', {
        token: 'deprecated-verification-token',
        team_id: TEAM,
        api_app_id: 'A0PEER',
        type: 'event_callback',
        event_id: `Ev${id}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
        event: { event_ts: `${Date.now() / 1000}`, ts: `${Date.now() / 1000}`, ...event },
      });
    },
    /** A user presses the button labelled `label` on message `messageId` (`channel:ts`). */
    press(userId: string, messageId: string, label: string) {
      const m = state.messages.find((s) => `${s.channel}:${s.ts}` === messageId);
      const button = m?.blocks
        .flatMap((b) => (b.type === 'actions' ? b.elements : []))
        .find((e) => e.text.text === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      return toBot('interactive', {
        type: 'block_actions',
        team: { id: TEAM },
        user: { id: userId, username: userId, name: userId, team_id: TEAM },
        api_app_id: 'A0PEER',
        trigger_id: issueTrigger(userId),
        container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: false },
        channel: { id: m.channel },
        message: { type: 'message', ts: m.ts, text: m.text },
        actions: [{ ...button, block_id: 'b', action_ts: `${Date.now() / 1000}` }],
      });
    },
    /** A user submits an opened modal; unlisted fields keep their initial values. */
    submitView(userId: string, view: PeerModal, values: Record<string, string>) {
      const state_values = Object.fromEntries(
        view.blocks.map((b) => [
          b.block_id,
          {
            [b.element.action_id]: {
              type: 'plain_text_input',
              value: values[b.element.action_id] ?? b.element.initial_value ?? null,
            },
          },
        ]),
      );
      return toBot('interactive', {
        type: 'view_submission',
        team: { id: TEAM },
        user: { id: userId, username: userId, name: userId, team_id: TEAM },
        api_app_id: 'A0PEER',
        view: { ...view, id: 'V0', state: { values: state_values } },
      });
    },
    async stop() {
      for (const ws of state.sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
