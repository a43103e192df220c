// The Discord peer's gateway WebSocket: Hello, Identify (token and intents checked: asking for a
// privileged intent the application was not granted closes with 4014 Disallowed intent(s)), READY
// then the server lazily, heartbeats, and dispatches filtered by intent. As on Discord, a server
// message that doesn't mention the bot arrives with empty content unless MessageContent was granted.
import type { Server } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { GatewayIn } from './schemas.ts';
import { type PeerState, snowflake } from './state.ts';

export const INTENTS = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
};
const PRIVILEGED = INTENTS.GuildMembers | INTENTS.GuildPresences | INTENTS.MessageContent;

type MessageEvent = { guild: boolean; mentioned: boolean; payload: Record<string, unknown> };

export function createGateway(
  s: PeerState,
  opts: { server: Server; token: string; applicationId: string; grantedIntents: number; url: () => string },
) {
  const sessions = new Map<WebSocket, { intents: number }>();
  const identified: number[] = [];
  let seq = 0;
  const send = (ws: WebSocket, payload: unknown) => ws.send(JSON.stringify(payload));
  const dispatchTo = (ws: WebSocket, t: string, d: unknown) => send(ws, { op: 0, t, s: ++seq, d });

  function identify(ws: WebSocket, token: string, intents: number) {
    identified.push(intents);
    if (token !== opts.token) return ws.close(4004, 'Authentication failed.');
    if (intents & PRIVILEGED & ~opts.grantedIntents) return ws.close(4014, 'Disallowed intent(s).');
    sessions.set(ws, { intents });
    dispatchTo(ws, 'READY', {
      v: 10,
      user: s.bot,
      guilds: [{ id: s.guildId, unavailable: true }],
      session_id: snowflake(),
      resume_gateway_url: opts.url(),
      shard: [0, 1],
      application: { id: opts.applicationId, flags: 0 },
    });
    if (!(intents & INTENTS.Guilds)) return;
    // The server arrives lazily, as on Discord, with its text channels.
    dispatchTo(ws, 'GUILD_CREATE', {
      id: s.guildId,
      name: 'Traders',
      unavailable: false,
      joined_at: s.now(),
      member_count: 3,
      channels: [s.channelJson(s.textChannel), s.channelJson(s.readOnlyChannel)],
    });
  }

  const wss = new WebSocketServer({ server: opts.server, path: '/gateway' });
  wss.on('connection', (ws) => {
    send(ws, { op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
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
      if (p.op === 1) send(ws, { op: 11, d: null, s: null, t: null });
      if (p.op === 6) send(ws, { op: 9, d: false, s: null, t: null });
      if (p.op === 2) identify(ws, p.d.token, p.d.intents);
    });
    ws.on('close', () => sessions.delete(ws));
  });

  return {
    /** The intents of every IDENTIFY, refused ones included. */
    identified: () => [...identified],
    /** Interactions reach every session, whatever its intents. */
    dispatch(t: string, d: unknown) {
      for (const ws of sessions.keys()) dispatchTo(ws, t, d);
    },
    /** MESSAGE_CREATE or MESSAGE_DELETE, to the sessions whose intents ask for that kind of channel. */
    messageEvent(t: 'MESSAGE_CREATE' | 'MESSAGE_DELETE', m: MessageEvent) {
      const needs = m.guild ? INTENTS.GuildMessages : INTENTS.DirectMessages;
      for (const [ws, { intents }] of sessions) {
        if (!(intents & needs)) continue;
        const readable = !m.guild || m.mentioned || intents & INTENTS.MessageContent;
        dispatchTo(ws, t, readable || !('content' in m.payload) ? m.payload : { ...m.payload, content: '' });
      }
    },
    async connected() {
      const deadline = Date.now() + 10_000;
      while (sessions.size === 0) {
        if (Date.now() > deadline) throw new Error('no bot identified on the gateway');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
