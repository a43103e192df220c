// The Slack peer's Web API: POST /api/<method> with the bearer token checked, the methods the bot
// uses answered the way Slack answers them (errors as HTTP 200 with ok: false, rate limits as 429 with
// Retry-After), and the external upload URL that files.uploadV2 streams to.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MessageBlocks, Modal } from './blocks.ts';
import { answerResponseUrl } from './response-url.ts';
import { BOT_ID, BOT_USER, type State, type Stored, TEAM } from './state.ts';
import { type Answer, type Args, fail, invalid, parseArgs, parseJson, readBody, str } from './wire.ts';

const TRIGGER_MS = 3000; // Slack's trigger ids expire after 3 s and work once
const FileRefs = z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1);

export function createWebApi(
  state: State,
  opts: { botToken: string; appToken?: string; base: string; port: number },
) {
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++state.seq).padStart(6, '0')}`;
  const store = (m: Omit<Stored, 'ts' | 'edits' | 'deleted'>) => {
    const stored: Stored = { ...m, ts: nextTs(), edits: 0, deleted: false };
    state.messages.push(stored);
    return stored;
  };
  /**
   * A conversation id as Slack reads it: a user id (anything not C…, D… or G…) stands for the bot's
   * DM with that user, D0<USER> here, as the contract harness names DMs.
   */
  const conversation = (id: string | undefined) =>
    id === undefined || /^[CDG][A-Z0-9]+$/.test(id) ? id : `D0${id.toUpperCase()}`;
  /** Why the bot can't write in `channel`, if it can't. */
  const refused = (channel: string | undefined) =>
    channel === undefined
      ? fail('channel_not_found')
      : state.notIn.has(channel)
        ? fail('not_in_channel')
        : undefined;

  const methods: Record<string, (a: Args) => Answer> = {
    'auth.test': () => ({
      body: { ok: true, team: 'Peer', team_id: TEAM, user: 'gentrade', user_id: BOT_USER, bot_id: BOT_ID },
    }),
    'chat.postMessage': (a) => {
      if (a.channel === BOT_USER) return fail('cannot_dm_bot');
      const channel = conversation(str(a.channel));
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      const no = refused(channel);
      if (no || channel === undefined) return no ?? fail('channel_not_found');
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      if (!str(a.text) && blocks.data.length === 0) return fail('no_text');
      const m = store({ channel, text: str(a.text) ?? '', blocks: blocks.data, fileIds: [] });
      return { body: { ok: true, channel, ts: m.ts, message: { text: m.text, ts: m.ts } } };
    },
    'chat.update': (a) => {
      const no = refused(str(a.channel));
      if (no) return no;
      // An ephemeral message belongs to Slack's client, not the conversation: the bot can't edit it.
      const m = state.messages.find(
        (s) => s.channel === a.channel && s.ts === a.ts && !s.deleted && !s.visibleTo,
      );
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      if (!m) return fail('message_not_found');
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      Object.assign(m, { text: str(a.text) ?? '', blocks: blocks.data, edits: m.edits + 1 });
      return { body: { ok: true, channel: m.channel, ts: m.ts } };
    },
    'conversations.open': (a) => {
      const users = str(a.users);
      if (!users || users.includes(',')) return fail('invalid_arguments');
      if (users === BOT_USER) return fail('cannot_dm_bot');
      return { body: { ok: true, channel: { id: conversation(users) } } };
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
      return { body: { ok: true, upload_url: `${opts.base}/upload/${id}`, file_id: id } };
    },
    'files.completeUploadExternal': (a) => {
      const refs = FileRefs.safeParse(parseJson(a.files));
      if (!refs.success) return fail('invalid_arguments');
      const files = refs.data.map((r) => ({ ...r, file: state.files.get(r.id) }));
      if (files.some((f) => !f.file?.data)) return fail('file_not_found');
      const blocks = MessageBlocks.safeParse(parseJson(a.blocks ?? []));
      if (!blocks.success) return invalid('invalid_blocks', blocks.error);
      const channel = str(a.channel_id);
      const no = channel ? refused(channel) : undefined;
      if (no) return no;
      for (const f of files) if (f.file && f.title) f.file.title = f.title;
      if (channel) {
        const text = str(a.initial_comment) ?? '';
        store({ channel, text, blocks: text ? [] : blocks.data, fileIds: files.map((f) => f.id) });
      }
      return {
        body: {
          ok: true,
          files: files.map((f) => ({ id: f.id, name: f.file?.filename, size: f.file?.length })),
        },
      };
    },
    'apps.connections.open': () => ({
      body: { ok: true, url: `ws://127.0.0.1:${opts.port}/link/?ticket=${randomUUID()}` },
    }),
  };

  function answerFor(method: string, authorization: string | undefined, args: Args): Answer {
    const handler = methods[method];
    if (!handler) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? str(args.token);
    const wanted = method === 'apps.connections.open' ? opts.appToken : opts.botToken;
    if (!token || token !== wanted) return fail('invalid_auth');
    const fault = state.faults.get(method)?.shift();
    if (fault?.retryAfter !== undefined)
      return {
        status: fault.status,
        headers: { 'retry-after': String(fault.retryAfter) },
        body: { ok: false, error: 'ratelimited' },
      };
    // Something between us and Slack (a proxy, a gateway) answering in JSON without Slack's fields.
    if (fault?.bare) return { status: fault.status, body: { message: 'upstream said no' } };
    if (fault) return { status: fault.status, body: { ok: false, error: fault.error ?? 'internal_error' } };
    return handler(args);
  }

  /** A shared file's url_private: the bot token or, as on Slack, a redirect to the sign-in page. */
  function servePrivate(id: string, req: IncomingMessage, res: ServerResponse): void {
    const file = state.shared.get(id);
    const authorized = req.headers.authorization === `Bearer ${opts.botToken}`;
    state.downloads.push({ id, authorized });
    if (!file) return void res.writeHead(404).end();
    if (!authorized) return void res.writeHead(302, { location: `${opts.base}/signin` }).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.data);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', opts.base).pathname;
    const shared = /^\/files-pri\/[\w-]+-(F\w+)\/[^/]+$/.exec(path);
    if (req.method === 'GET' && shared?.[1]) return servePrivate(shared[1], req, res);
    const { args, file } = await parseArgs(req, await readBody(req));
    const upload = /^\/upload\/(F\d+)$/.exec(path);
    if (req.method === 'POST' && upload?.[1]) {
      const stored = state.files.get(upload[1]);
      if (!stored || !file || file.length !== stored.length) return void res.writeHead(400).end('bad upload');
      stored.data = file;
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.length}`);
    }
    const response = /^\/response\/([\w-]+)$/.exec(path)?.[1];
    if (req.method === 'POST' && response) {
      const answer = answerResponseUrl(state, response, args, store);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(answer.body));
    }
    const method = /^\/api\/([\w.]+)$/.exec(path)?.[1] ?? '';
    const answer = answerFor(method, req.headers.authorization, args);
    const channel = str(args.channel) ?? str(args.channel_id);
    state.calls.push({
      method,
      status: answer.status ?? 200,
      at: Date.now(),
      ...(answer.body.ok ? {} : { error: String(answer.body.error) }),
      ...(channel ? { channel } : {}),
    });
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  };
}
