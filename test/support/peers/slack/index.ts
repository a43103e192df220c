// A Slack stand-in on loopback that speaks Slack's wire formats: the Web API (web-api.ts, Block Kit
// limits enforced like Slack's invalid_blocks), Socket Mode's WebSocket (hello, envelopes, acks), and
// signed requests to the bot's HTTP receiver (to-bot.ts). Tests read back what the bot posted as
// platform-neutral PeerMessages and can inject Slack's faults: 429s, channels the bot isn't in,
// messages deleted under it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import { blockText, unescapeMrkdwn } from './blocks.ts';
import { BOT_USER, newState, type State, type Stored, TEAM } from './state.ts';
import { createToBot } from './to-bot.ts';
import { createWebApi } from './web-api.ts';
import { parseJson } from './wire.ts';

export type { PeerModal } from './blocks.ts';
export type { Tamper } from './to-bot.ts';
export type SlackPeer = Awaited<ReturnType<typeof startSlackPeer>>;
/** A message as the user sees it, and whether it came through a response_url and only they see it. */
export type SlackPeerMessage = PeerMessage & { via: 'api' | 'response_url'; visibleTo?: string };

const Ack = z.object({ envelope_id: z.string(), payload: z.unknown().optional() });
const isImage = (f: { filename: string }) => /\.(png|jpe?g|gif)$/i.test(f.filename);

function toPeerMessage(state: State, m: Stored): SlackPeerMessage {
  const files = m.fileIds.flatMap((id) => {
    const f = state.files.get(id);
    return f ? [{ filename: f.filename, bytes: f.data?.length ?? 0, title: f.title ?? f.filename }] : [];
  });
  const blockImages = m.blocks.flatMap((b) => (b.type === 'image' ? [state.files.get(b.slack_file.id)] : []));
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
    via: m.via ?? 'api',
    ...(m.visibleTo ? { visibleTo: m.visibleTo } : {}),
  };
}

export async function startSlackPeer(opts: { botToken: string; appToken?: string }) {
  const state = newState();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (!address || typeof address === 'string') throw new Error('the Slack peer is not listening');
  const base = `http://127.0.0.1:${address.port}`;
  const handle = createWebApi(state, { ...opts, base, port: address.port });
  server.on('request', (req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });

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

  return {
    apiUrl: `${base}/api/`,
    botUserId: BOT_USER,
    ...createToBot(state, base),
    /** Inbound goes to this receiver, signed; without one it goes over Socket Mode. */
    useReceiver(url: string, signingSecret: string) {
      state.receiver = { url, signingSecret };
    },
    /** The next `times` calls to `method` answer HTTP 429 with Retry-After. */
    rateLimitNext(method: string, retryAfterSec: number, times = 1) {
      state.faults.set(
        method,
        Array.from({ length: times }, () => ({ status: 429, retryAfter: retryAfterSec })),
      );
    },
    /** The next `times` calls to `method` fail with HTTP `status` (an outage). */
    failNext(method: string, status: number, times = 1) {
      state.faults.set(
        method,
        Array.from({ length: times }, () => ({ status })),
      );
    },
    /** The next `times` calls to `method` answer 200 with JSON that has neither `ok` nor `error`. */
    garbleNext(method: string, times = 1) {
      state.faults.set(
        method,
        Array.from({ length: times }, () => ({ status: 200, bare: true })),
      );
    },
    /** The next `times` calls to `method` answer Slack's `ok: false` with `error`. */
    errorNext(method: string, error: string, times = 1) {
      state.faults.set(
        method,
        Array.from({ length: times }, () => ({ status: 200, error })),
      );
    },
    /** From now on (until called with false) every response_url answers expired_url. */
    expireResponseUrls(expired = true) {
      state.responseUrlsExpired = expired;
    },
    /** Every post to a response_url, with Slack's answer. */
    responses: () => [...state.responses],
    /** The bot is not a member of `channel` (a private channel nobody invited it to). */
    leaveChannel(channel: string) {
      state.notIn.add(channel);
    },
    /** Someone deletes the message `messageId` (`channel:ts`); it leaves messages() and can't be edited. */
    deleteMessage(messageId: string) {
      const m = state.messages.find((s) => `${s.channel}:${s.ts}` === messageId);
      if (!m) throw new Error(`no message ${messageId}`);
      m.deleted = true;
    },
    /** A user's file, served at its url_private; returns the `files` entry of a file_share message. */
    shareFile(name: string, data: string | Buffer) {
      const id = `F${++state.seq}`;
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
      state.shared.set(id, { name, data: bytes });
      const url = `${base}/files-pri/${TEAM}-${id}/${encodeURIComponent(name)}`;
      return {
        id,
        name,
        title: name,
        mimetype: 'text/x-python',
        filetype: 'python',
        size: bytes.length,
        url_private: url,
        url_private_download: `${url}?download=1`,
      };
    },
    /** Every download of a shared file, and whether it carried the bot token. */
    downloads: () => [...state.downloads],
    calls: (method?: string) => state.calls.filter((c) => !method || c.method === method),
    messages: () => state.messages.filter((m) => !m.deleted).map((m) => toPeerMessage(state, m)),
    views: () => [...state.views],
    socketCount: () => state.sockets.size,
    async stop() {
      for (const ws of state.sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
