// A Telegram Bot API server on loopback for tests: the methods GenTrade calls, at /bot<token>/<method>,
// with Telegram's wire format, errors and limits. Tests drive it as the platform would behave: users
// write, send documents and press buttons, the server goes down and comes back on the same port, a user blocks the
// bot or deletes a message, a call is held until the test lets it through (a slow Telegram).
import { createServer, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import { createFiles, type Download } from './files.ts';
import { createMethods, type Registry } from './methods.ts';
import { createStore, now, type PeerChat, type PeerUser } from './store.ts';
import { createUpdates } from './updates.ts';
import { ApiError, bad, type Json, readBody } from './wire.ts';

export type { PeerChat, PeerUser } from './store.ts';

export type TelegramPeer = {
  /** The apiRoot to give grammY. */
  apiRoot: string;
  bot: { id: number; username: string };
  /** A user writes `text`; resolves once the bot has taken the update (confirmed it, or answered the POST). */
  send(opts: { chat: PeerChat; from: PeerUser; text: string; replyToBot?: boolean }): Promise<void>;
  /** A user sends a document with an optional caption; `size` claims another file_size. */
  sendFile(opts: {
    chat: PeerChat;
    from: PeerUser;
    filename: string;
    data: string | Buffer;
    caption?: string;
    size?: number;
  }): Promise<void>;
  /** Stores a file as if a user had uploaded it, without an update: for driving downloads directly. */
  addFile(filename: string, data: string | Buffer, size?: number): { fileId: string };
  /** Requests for /file/bot<token>/<path>, in order, with the status served. */
  downloads(): Download[];
  /** A user presses the button labelled `label` on message `messageId`. */
  press(from: PeerUser, messageId: string, label: string): Promise<void>;
  /** POSTs an update to the registered webhook with the given secret header (omitted when undefined). */
  postToWebhook(update: Json, secret: string | undefined): Promise<number>;
  /** The next call of `method` fails with 429 and retry_after. */
  failNext(method: string, retryAfter?: number): void;
  /**
   * Calls of `method` alone fail (the next `times`, else every one until `mend`): answered HTTP
   * `status` with Telegram's error envelope or with `body` as given (an answer without its fields),
   * or with `cut` the connection drops before any answer (a network failure).
   */
  breakMethod(method: string, opts: Breakage): void;
  mend(method: string): void;
  /** Telegram posts the last update to the webhook again, same update_id (it saw no answer in time). */
  redeliver(): Promise<number>;
  /** The next call of `method` for `chatId` waits until `release()`; `arrived` resolves when it comes in. */
  hold(method: string, chatId: string): { arrived: Promise<void>; release(): void };
  /** Telegram is unreachable: the port stops accepting and open connections are cut. */
  goDown(): Promise<void>;
  /** Telegram is back, on the same port. */
  comeBack(): Promise<void>;
  /** The user of this private chat blocks the bot: every write to it gets 403 from now on. */
  block(chatId: string): void;
  /** The user deletes a message; the bot's edits of it get "message to edit not found". */
  deleteMessage(chatId: string, messageId: string): void;
  /** The methods the bot called for `chatId`, in order, including those refused. */
  attempts(chatId: string): string[];
  calls(method: string): number;
  commands(): string[];
  webhook(): { url: string; secret: string | undefined } | undefined;
  answeredCallbacks(): string[];
  /** The edits of one message, in the order they arrived, with the time each did (ms since the epoch). */
  edits(messageId: string): { at: number; text: string }[];
  /** What the chats show: the bot's messages with edits applied, without deleted ones. */
  messages(): PeerMessage[];
  close(): Promise<void>;
};

type Breakage = { status: number; times?: number; body?: Json; cut?: boolean };

const ChatOf = z.object({ chat_id: z.coerce.string().optional() });

const bytes = (data: string | Buffer) => (Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));

/** The entities Telegram marks in a text or caption: a leading command and @mentions. */
function entities(text: string): { type: string; offset: number; length: number }[] {
  const out: { type: string; offset: number; length: number }[] = [];
  const command = /^\/[A-Za-z0-9_@]+/.exec(text);
  if (command) out.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const mention of text.matchAll(/@[A-Za-z0-9_]{5,32}/g)) {
    if (!command || mention.index >= command[0].length)
      out.push({ type: 'mention', offset: mention.index, length: mention[0].length });
  }
  return out;
}

export async function startTelegramPeer(opts: { token: string; username?: string }): Promise<TelegramPeer> {
  const bot = { id: 7_000_000_001, username: opts.username ?? 'GenTradeTestBot' };
  const botUser: PeerUser = { id: bot.id, is_bot: true, first_name: 'GenTrade', username: bot.username };
  const reg: Registry = { commands: [], hook: undefined, answered: [], edited: [] };
  const store = createStore(botUser);
  const files = createFiles(opts.token);
  const methods: Record<string, (p: Json) => unknown> = {
    ...createMethods(store, botUser, reg),
    getFile: files.getFile,
  };
  const updates = createUpdates(reg);
  const callCount = new Map<string, number>();
  const failures = new Map<string, number>();
  const broken = new Map<string, Breakage>();
  const attempts: { method: string; chatId: string | undefined }[] = [];
  const holds: { method: string; chatId: string; arrive: () => void; released: Promise<void> }[] = [];

  async function handle(method: string, params: Json, res: ServerResponse, reply: (r: unknown) => void) {
    const chatId = ChatOf.safeParse(params).data?.chat_id;
    callCount.set(method, (callCount.get(method) ?? 0) + 1);
    attempts.push({ method, chatId });
    const held = holds.findIndex((h) => h.method === method && h.chatId === chatId);
    const [hold] = held >= 0 ? holds.splice(held, 1) : [];
    if (hold) {
      hold.arrive();
      await hold.released;
      if (res.destroyed) return; // the peer went down meanwhile
    }
    const retryAfter = failures.get(method);
    if (retryAfter !== undefined) {
      failures.delete(method);
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
    }
    const breakage = broken.get(method);
    if (breakage) {
      if (breakage.times !== undefined && --breakage.times <= 0) broken.delete(method);
      const { status, body, cut } = breakage;
      if (cut) return void res.destroy();
      throw new ApiError(status, `Internal Server Error: ${method} is failing`, undefined, body);
    }
    if (method === 'getUpdates') return updates.getUpdates(params, res, reply);
    const handler = methods[method];
    if (!handler) throw new ApiError(404, 'Not Found: method not found');
    reply(handler(params));
  }

  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const fail = (e: ApiError) => send(e.code, e.envelope());
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && files.serve(pathname, res)) return;
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    if (!m?.[1] || !m[2]) return fail(new ApiError(404, 'Not Found'));
    if (m[1] !== opts.token) return fail(new ApiError(401, 'Unauthorized'));
    const method = m[2];
    readBody(req)
      .then((params) => handle(method, params, res, (result) => send(200, { ok: true, result })))
      .catch((err: unknown) => {
        if (res.writableEnded || res.destroyed) return;
        if (err instanceof ApiError) return fail(err);
        if (err instanceof z.ZodError) return fail(bad(z.prettifyError(err)));
        fail(new ApiError(500, `Internal Server Error: ${String(err)}`));
      });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      updates.end();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen(0);
  const bound = server.address();
  if (!bound || typeof bound === 'string') throw new Error('the telegram peer is not listening on a port');
  const { port } = bound;
  let down = false;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    bot,
    send({ chat, from, text, replyToBot }) {
      store.remember(chat);
      const message: Json = {
        message_id: store.nextId(),
        date: now(),
        chat,
        from,
        text,
        entities: entities(text),
      };
      if (replyToBot)
        message.reply_to_message = { message_id: 1, date: now(), chat, from: botUser, text: '...' };
      return updates.push({ message });
    },
    sendFile({ chat, from, filename, data, caption, size }) {
      store.remember(chat);
      const document = files.add(filename, bytes(data), size);
      const message: Json = { message_id: store.nextId(), date: now(), chat, from, document };
      if (caption !== undefined) Object.assign(message, { caption, caption_entities: entities(caption) });
      return updates.push({ message });
    },
    addFile: (filename, data, size) => ({ fileId: String(files.add(filename, bytes(data), size).file_id) }),
    downloads: files.downloads,
    press(from, messageId, label) {
      const m = store.byId(messageId);
      const button = m?.buttons.find((b) => b.label === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      const message = { message_id: Number(m.id), date: now(), chat: m.chat, from: botUser, text: m.text };
      const id = String(updates.peekId() * 1000);
      return updates.push({
        callback_query: { id, from, message, chat_instance: 'peer', data: button.payload },
      });
    },
    postToWebhook: updates.postToWebhook,
    failNext(method, retryAfter = 1) {
      failures.set(method, retryAfter);
    },
    breakMethod(method, breakage) {
      broken.set(method, { ...breakage });
    },
    mend: (method) => broken.delete(method),
    redeliver() {
      const update = updates.last();
      if (!update || !reg.hook) throw new Error('nothing was posted to a webhook yet');
      return updates.postToWebhook(update, reg.hook.secret);
    },
    hold(method, chatId) {
      let arrive: () => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<void>((r) => {
        arrive = r;
      });
      const released = new Promise<void>((r) => {
        release = r;
      });
      holds.push({ method, chatId, arrive, released });
      return { arrived, release };
    },
    async goDown() {
      down = true;
      await stopListening();
    },
    async comeBack() {
      if (!down) return;
      down = false;
      await listen(port);
    },
    block: (chatId) => store.block(chatId),
    deleteMessage: (chatId, messageId) => store.remove(chatId, messageId),
    attempts: (chatId) => attempts.filter((a) => a.chatId === chatId).map((a) => a.method),
    calls: (method) => callCount.get(method) ?? 0,
    commands: () => [...reg.commands],
    webhook: () => reg.hook,
    answeredCallbacks: () => [...reg.answered],
    edits: (messageId) => reg.edited.filter((e) => e.messageId === messageId),
    messages: () => store.messages(),
    async close() {
      for (const h of holds.splice(0)) h.arrive();
      if (!down) await stopListening();
    },
  };
}
