// A Telegram Bot API server on loopback for tests: the methods GenTrade calls, at /bot<token>/<method>,
// with JSON and multipart bodies, Telegram's error envelope, HTML entity parsing and its limits. It
// queues updates for getUpdates (long polling) or POSTs them to a webhook with the secret header, and
// records what the bot sent, with edits applied, as the adapter contract's PeerMessage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PeerMessage } from '../../contract/adapter-contract.ts';

type Json = Record<string, unknown>;
export type PeerChat = {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
};
export type PeerUser = { id: number; is_bot: boolean; first_name: string; username?: string };
type Entity = { type: string; offset: number; length: number };
type Stored = PeerMessage & { chat: PeerChat };

export type TelegramPeer = {
  /** The apiRoot to give grammY. */
  apiRoot: string;
  bot: { id: number; username: string };
  /** A user writes `text`; resolves once the bot has taken the update (confirmed it, or answered the POST). */
  send(opts: { chat: PeerChat; from: PeerUser; text: string; replyToBot?: boolean }): Promise<void>;
  /** A user presses the button labelled `label` on message `messageId`. */
  press(from: PeerUser, messageId: string, label: string): Promise<void>;
  /** POSTs an update to the registered webhook with the given secret header (omitted when undefined). */
  postToWebhook(update: Json, secret: string | undefined): Promise<number>;
  /** The next call of `method` fails with 429 and retry_after. */
  failNext(method: string, retryAfter?: number): void;
  calls(method: string): number;
  commands(): string[];
  webhook(): { url: string; secret: string | undefined } | undefined;
  answeredCallbacks(): string[];
  messages(): PeerMessage[];
  close(): Promise<void>;
};

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}
const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'a',
  'blockquote',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's HTML parse mode: the visible text, or 400 on what Telegram refuses. */
function parseHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  const re = /<(\/?)([a-z-]+)(?:\s[^>]*)?>|&(#x[0-9a-f]+|#\d+|[a-z]+);|[<>&]/gi;
  let last = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    out += html.slice(last, m.index);
    last = re.lastIndex;
    const [all, close, tag, entity] = m;
    if (tag) {
      const name = tag.toLowerCase();
      if (!TAGS.has(name)) throw bad(`can't parse entities: Unsupported start tag "${name}"`);
      if (!close) open.push(name);
      else if (open.pop() !== name) throw bad(`can't parse entities: Unmatched end tag "${name}"`);
    } else if (entity) {
      const e = entity.toLowerCase();
      const code = e.startsWith('#x')
        ? Number.parseInt(e.slice(2), 16)
        : e.startsWith('#')
          ? Number(e.slice(1))
          : NaN;
      const text = ENTITIES[e] ?? (Number.isNaN(code) ? undefined : String.fromCodePoint(code));
      if (text === undefined) throw bad(`can't parse entities: unknown entity ${all}`);
      out += text;
    } else {
      throw bad(`can't parse entities: unescaped "${all}"`);
    }
  }
  if (open.length > 0) throw bad(`can't parse entities: unclosed tag "${open.at(-1)}"`);
  return out + html.slice(last);
}

type Upload = { filename: string; bytes: number };

/** multipart/form-data as grammY sends it: files are parts referenced by attach://<name>. */
function parseMultipart(body: Buffer, boundary: string): Json {
  const fields: Json = {};
  const files = new Map<string, Upload>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length + 2; // past the boundary and its CRLF
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // without the CRLF before the next boundary
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const value = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    if (name && filename !== undefined) files.set(name, { filename, bytes: value.length });
    else if (name) fields[name] = value.toString('utf8');
    at = next;
  }
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.startsWith('attach://')) fields[k] = files.get(v.slice(9));
  }
  return fields;
}

// Multipart bodies carry objects as JSON text.
const jsonText = (v: unknown): unknown => (typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v);
const int = z.coerce.number().int();
const Markup = z.preprocess(
  jsonText,
  z
    .object({
      inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
    })
    .optional(),
);
const FileRef = z.object({ filename: z.string(), bytes: z.number() }, { error: 'file must be uploaded' });
const Target = z.object({ chat_id: z.coerce.string(), message_id: int });
const Text = z.object({ text: z.string(), parse_mode: z.literal('HTML').optional(), reply_markup: Markup });
const Caption = z.object({
  caption: z.string().optional(),
  parse_mode: z.literal('HTML').optional(),
  reply_markup: Markup,
});

function visible(text: string, parseMode: string | undefined): string {
  return parseMode === 'HTML' ? parseHtml(text) : text;
}

function buttonsOf(markup: z.infer<typeof Markup>): PeerMessage['buttons'] {
  return (markup?.inline_keyboard ?? []).flat().map((b) => {
    if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64)
      throw bad('BUTTON_DATA_INVALID');
    return { label: b.text, payload: b.callback_data ?? '' };
  });
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(body, boundary);
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return z.record(z.string(), z.unknown()).parse(parsed);
}

export async function startTelegramPeer(opts: { token: string; username?: string }): Promise<TelegramPeer> {
  const bot = { id: 7_000_000_001, username: opts.username ?? 'GenTradeTestBot' };
  const botUser = { id: bot.id, is_bot: true, first_name: 'GenTrade', username: bot.username };
  const stored: Stored[] = [];
  const chats = new Map<string, PeerChat>();
  const queue: Json[] = [];
  const callCount = new Map<string, number>();
  const failures = new Map<string, number>();
  const answered: string[] = [];
  let commands: string[] = [];
  let hook: { url: string; secret: string | undefined } | undefined;
  let nextUpdate = 1;
  let nextMessage = 1;
  let confirmed = 0;
  let poll: ((updates: Json[]) => void) | undefined;
  const confirmWaiters: { id: number; resolve: () => void }[] = [];

  const now = () => Math.floor(Date.now() / 1000);
  const find = (chatId: string, id: number) => {
    const m = stored.find((s) => s.chatId === chatId && s.id === String(id));
    if (!m) throw bad('message to edit not found');
    return m;
  };
  const result = (m: Stored) => ({
    message_id: Number(m.id),
    date: now(),
    chat: m.chat,
    from: botUser,
    text: m.text,
  });
  const record = (chatId: string, fields: Partial<Stored>) => {
    const chat: PeerChat = chats.get(chatId) ?? { id: Number(chatId), type: 'private', first_name: 'user' };
    const m: Stored = {
      id: String(nextMessage++),
      chatId,
      text: '',
      buttons: [],
      edits: 0,
      images: [],
      files: [],
      chat,
    };
    Object.assign(m, fields);
    stored.push(m);
    return result(m);
  };
  const limit = (text: string, max: number, what: string) => {
    if (text.length > max) throw bad(what);
    return text;
  };

  const methods: Record<string, (p: Json) => unknown> = {
    getMe: () => ({
      ...botUser,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    setMyCommands(p) {
      const parsed = z
        .object({
          commands: z.preprocess(
            jsonText,
            z.array(z.object({ command: z.string(), description: z.string() })),
          ),
        })
        .parse(p);
      for (const c of parsed.commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(c.command) || !c.description || c.description.length > 256) {
          throw bad('BOT_COMMAND_INVALID');
        }
      }
      commands = parsed.commands.map((c) => c.command);
      return true;
    },
    setWebhook(p) {
      const parsed = z.object({ url: z.string(), secret_token: z.string().optional() }).parse(p);
      hook = { url: parsed.url, secret: parsed.secret_token };
      return true;
    },
    deleteWebhook() {
      hook = undefined;
      return true;
    },
    sendMessage(p) {
      const m = Text.extend({ chat_id: z.coerce.string() }).parse(p);
      const text = limit(visible(m.text, m.parse_mode), 4096, 'message is too long');
      if (!text.trim()) throw bad('message text is empty');
      return record(m.chat_id, { text, buttons: buttonsOf(m.reply_markup) });
    },
    sendPhoto(p) {
      const m = Caption.extend({ chat_id: z.coerce.string(), photo: FileRef }).parse(p);
      const text = limit(visible(m.caption ?? '', m.parse_mode), 1024, 'message caption is too long');
      return record(m.chat_id, { text, buttons: buttonsOf(m.reply_markup), images: [m.photo] });
    },
    sendDocument(p) {
      const m = Caption.extend({ chat_id: z.coerce.string(), document: FileRef }).parse(p);
      const text = limit(visible(m.caption ?? '', m.parse_mode), 1024, 'message caption is too long');
      return record(m.chat_id, { text, buttons: buttonsOf(m.reply_markup), files: [m.document] });
    },
    editMessageText(p) {
      const e = Text.extend(Target.shape).parse(p);
      const m = find(e.chat_id, e.message_id);
      if (m.images.length > 0 || m.files.length > 0) throw bad('there is no text in the message to edit');
      const text = limit(visible(e.text, e.parse_mode), 4096, 'MESSAGE_TOO_LONG');
      const buttons = buttonsOf(e.reply_markup);
      if (text === m.text && JSON.stringify(buttons) === JSON.stringify(m.buttons)) {
        throw bad(
          'message is not modified: specified new message content and reply markup are exactly the same',
        );
      }
      Object.assign(m, { text, buttons, edits: m.edits + 1 });
      return result(m);
    },
    editMessageReplyMarkup(p) {
      const e = Target.extend({ reply_markup: Markup }).parse(p);
      const m = find(e.chat_id, e.message_id);
      const buttons = buttonsOf(e.reply_markup);
      if (JSON.stringify(buttons) === JSON.stringify(m.buttons)) throw bad('message is not modified');
      Object.assign(m, { buttons, edits: m.edits + 1 });
      return result(m);
    },
    answerCallbackQuery(p) {
      answered.push(z.object({ callback_query_id: z.string() }).parse(p).callback_query_id);
      return true;
    },
  };

  function confirm(offset: number) {
    confirmed = Math.max(confirmed, offset - 1);
    while (queue[0] && Number(queue[0].update_id) <= confirmed) queue.shift();
    for (const w of confirmWaiters.filter((x) => x.id <= confirmed)) {
      confirmWaiters.splice(confirmWaiters.indexOf(w), 1);
      w.resolve();
    }
  }

  function getUpdates(p: Json, res: ServerResponse, reply: (r: unknown) => void) {
    if (hook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active");
    const q = z.object({ offset: int.optional(), limit: int.optional(), timeout: int.optional() }).parse(p);
    if (q.offset) confirm(q.offset);
    if (queue.length > 0 || !q.timeout) return reply(queue.slice(0, q.limit ?? 100));
    poll?.([]); // a newer long poll takes over, as Telegram's "terminated by other getUpdates request"
    const timer = setTimeout(() => deliver([]), q.timeout * 1000);
    const deliver = (updates: Json[]) => {
      clearTimeout(timer);
      if (poll === deliver) poll = undefined;
      if (!res.writableEnded) reply(updates);
    };
    poll = deliver;
    res.on('close', () => deliver([]));
  }

  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const fail = (e: ApiError) =>
      reply(e.code, {
        ok: false,
        error_code: e.code,
        description: e.description,
        ...(e.retryAfter ? { parameters: { retry_after: e.retryAfter } } : {}),
      });
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m?.[1] || !m[2]) return fail(new ApiError(404, 'Not Found'));
    if (m[1] !== opts.token) return fail(new ApiError(401, 'Unauthorized'));
    const method = m[2];
    readBody(req)
      .then((params) => {
        callCount.set(method, (callCount.get(method) ?? 0) + 1);
        const retryAfter = failures.get(method);
        if (retryAfter !== undefined) {
          failures.delete(method);
          throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
        }
        if (method === 'getUpdates')
          return getUpdates(params, res, (r) => reply(200, { ok: true, result: r }));
        const handler = methods[method];
        if (!handler) throw new ApiError(404, 'Not Found: method not found');
        reply(200, { ok: true, result: handler(params) });
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) return fail(err);
        if (err instanceof z.ZodError) return fail(bad(z.prettifyError(err)));
        fail(new ApiError(500, `Internal Server Error: ${String(err)}`));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bound = server.address();
  if (!bound || typeof bound === 'string') throw new Error('the telegram peer is not listening on a port');
  const { port } = bound;

  async function postToWebhook(update: Json, secret: string | undefined): Promise<number> {
    if (!hook) throw new Error('no webhook registered');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const res = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
    await res.arrayBuffer();
    return res.status;
  }

  async function push(body: Json): Promise<void> {
    const update = { update_id: nextUpdate++, ...body };
    if (hook) {
      const status = await postToWebhook(update, hook.secret);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      return;
    }
    queue.push(update);
    poll?.(queue.slice());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`update ${update.update_id} was never confirmed`)),
        60_000,
      );
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      confirmWaiters.push({ id: update.update_id, resolve: done });
    });
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    bot,
    send({ chat, from, text, replyToBot }) {
      chats.set(String(chat.id), chat);
      const entities: Entity[] = [];
      const command = /^\/[A-Za-z0-9_@]+/.exec(text);
      if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
      for (const mention of text.matchAll(/@[A-Za-z0-9_]{5,32}/g)) {
        if (!command || mention.index >= command[0].length) {
          entities.push({ type: 'mention', offset: mention.index, length: mention[0].length });
        }
      }
      const message: Json = { message_id: nextMessage++, date: now(), chat, from, text, entities };
      if (replyToBot)
        message.reply_to_message = { message_id: 1, date: now(), chat, from: botUser, text: '...' };
      return push({ message });
    },
    press(from, messageId, label) {
      const m = stored.find((s) => s.id === messageId);
      const button = m?.buttons.find((b) => b.label === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      const message = { message_id: Number(m.id), date: now(), chat: m.chat, from: botUser, text: m.text };
      const id = String(nextUpdate * 1000);
      return push({ callback_query: { id, from, message, chat_instance: 'peer', data: button.payload } });
    },
    postToWebhook,
    failNext(method, retryAfter = 1) {
      failures.set(method, retryAfter);
    },
    calls: (method) => callCount.get(method) ?? 0,
    commands: () => [...commands],
    webhook: () => hook,
    answeredCallbacks: () => [...answered],
    messages: () =>
      stored.map(({ chat: _chat, ...m }) => ({
        ...m,
        buttons: m.buttons.map((b) => ({ ...b })),
        images: [...m.images],
        files: [...m.files],
      })),
    async close() {
      poll?.([]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
