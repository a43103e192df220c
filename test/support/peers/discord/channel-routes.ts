// The Discord peer's bot-authenticated REST routes: gateway discovery, the bot user, application
// commands, channels and their messages. A channel where the bot lacks SEND_MESSAGES answers 403 code
// 50013 and a user who blocked the bot 403 code 50007, as Discord does.
import { z } from 'zod';
import { Commands, fail, isReply, parseMessage, type Reply } from './schemas.ts';
import { type PeerState, snowflake, type Upload } from './state.ts';

export type Route = [string, RegExp, (match: string[], json: unknown, files: Upload[]) => Reply];

export function channelRoutes(
  s: PeerState,
  opts: { applicationId: string; gatewayUrl: () => string; onCommands(c: Commands): void },
): Route[] {
  /** Why Discord would refuse the bot's message in this channel, if it would. */
  const refusal = (channelId: string): Reply | undefined => {
    const c = s.channels.get(channelId);
    if (!c) return fail(404, 10003, 'Unknown Channel');
    if (!c.canSend) return fail(403, 50013, 'Missing Permissions');
    if (c.recipientId && s.blocked.has(c.recipientId))
      return fail(403, 50007, 'Cannot send messages to this user');
    return undefined;
  };
  return [
    [
      'GET',
      /^\/gateway\/bot$/,
      () => ({
        status: 200,
        json: {
          url: opts.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      }),
    ],
    ['GET', /^\/users\/@me$/, () => ({ status: 200, json: s.bot })],
    [
      'PUT',
      /^\/applications\/(\d+)\/commands$/,
      ([app], json) => {
        if (app !== opts.applicationId) return fail(403, 50001, 'Missing Access');
        const parsed = Commands.safeParse(json);
        if (!parsed.success) return fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
        opts.onCommands(parsed.data);
        const created = parsed.data.map((c) => ({
          ...c,
          id: snowflake(),
          application_id: opts.applicationId,
          version: snowflake(),
          type: 1,
        }));
        return { status: 200, json: created };
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)$/,
      ([id]) => {
        const c = s.channels.get(id ?? '');
        return c ? { status: 200, json: s.channelJson(c) } : fail(404, 10003, 'Unknown Channel');
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      ([id = ''], json, files) => {
        const refused = refusal(id);
        if (refused) return refused;
        const body = parseMessage(json);
        if (isReply(body)) return body;
        const made = s.create(id, body, files, { via: 'channel', ephemeral: false, visible: true });
        return isReply(made) ? made : { status: 200, json: s.messageJson(made) };
      },
    ],
    [
      'PATCH',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      ([id = '', mid], json, files) => {
        const m = s.live(mid);
        if (!m || m.channelId !== id || m.ephemeral) return fail(404, 10008, 'Unknown Message');
        const refused = refusal(id);
        if (refused) return refused;
        const body = parseMessage(json);
        if (isReply(body)) return body;
        s.edit(m, body, files);
        return { status: 200, json: s.messageJson(m) };
      },
    ],
    [
      'POST',
      /^\/users\/@me\/channels$/,
      (_m, json) => {
        const parsed = z.object({ recipient_id: z.string() }).safeParse(json);
        if (!parsed.success) return fail(400, 50035, 'Invalid Form Body');
        return { status: 200, json: s.channelJson(s.dmOf(parsed.data.recipient_id)) };
      },
    ],
  ];
}
