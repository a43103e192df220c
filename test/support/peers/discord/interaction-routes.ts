// The Discord peer's interaction routes, authenticated by the interaction's token in the path: the
// callback (4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal), accepted once and within
// 3 seconds (else 10062 Unknown interaction / 40060 already acknowledged), then the webhook routes on
// the token: edit or delete `@original`, and follow-ups, with files. The token lasts 15 minutes (a
// test can shorten that); after it, or for a token Discord never issued, they answer 10015 Unknown Webhook.
import { z } from 'zod';
import type { Route } from './channel-routes.ts';
import { Callback, EPHEMERAL, fail, isReply, parseMessage, type Reply } from './schemas.ts';
import type { PeerInteraction, PeerState, Upload } from './state.ts';

const ACK_WINDOW_MS = 3000;

export function interactionRoutes(
  s: PeerState,
  opts: { applicationId: string; tokenLifetimeMs: () => number },
): Route[] {
  function callback(id: string, token: string, json: unknown, files: Upload[]): Reply {
    const rec = s.interactions.get(id);
    if (!rec || rec.token !== token) return fail(404, 10062, 'Unknown interaction');
    const ms = Date.now() - rec.at;
    if (ms > ACK_WINDOW_MS) return fail(404, 10062, 'Unknown interaction');
    if (rec.ack) return fail(400, 40060, 'Interaction has already been acknowledged.');
    const parsed = Callback.safeParse(json);
    if (!parsed.success) return fail(400, 50035, 'Invalid Form Body', z.treeifyError(parsed.error));
    const cb = parsed.data;
    if ((cb.type === 6 || cb.type === 7) && !rec.messageId) return fail(400, 50035, 'Invalid Form Body');
    if (cb.type === 9 && rec.type === 5) return fail(400, 50035, 'A modal cannot answer a modal');
    if (cb.type === 4 || cb.type === 5) {
      const ephemeral = ((cb.data?.flags ?? 0) & EPHEMERAL) !== 0;
      const how = { via: 'reply' as const, ephemeral, visible: cb.type === 4, interactionId: rec.id };
      const made = s.create(rec.channelId, cb.type === 4 ? cb.data : {}, files, how);
      if (isReply(made)) return made;
      rec.originalId = made.id;
      rec.thinking = cb.type === 5;
    }
    if (cb.type === 6 || cb.type === 7) rec.originalId = rec.messageId;
    if (cb.type === 7) {
      const target = s.live(rec.messageId);
      if (target) s.edit(target, cb.data, files);
    }
    if (cb.type === 9) rec.modal = cb.data;
    rec.ack = { type: cb.type, ms };
    return { status: 204 };
  }

  /** The interaction behind a webhook token, while the token is valid and has something to answer. */
  function byToken(app: string | undefined, token: string | undefined): PeerInteraction | Reply {
    const rec = [...s.interactions.values()].find((i) => i.token === token);
    const expired = rec && Date.now() - rec.at > opts.tokenLifetimeMs();
    if (app !== opts.applicationId || !rec || expired || !rec.ack || rec.ack.type === 9)
      return fail(404, 10015, 'Unknown Webhook');
    return rec;
  }

  return [
    [
      'POST',
      /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      ([id = '', token = ''], json, files) => callback(id, token, json, files),
    ],
    [
      'PATCH',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
      ([app, token], json, files) => {
        const rec = byToken(app, token);
        if (isReply(rec)) return rec;
        const m = s.live(rec.originalId);
        if (!m) return fail(404, 10008, 'Unknown Message');
        const body = parseMessage(json);
        if (isReply(body)) return body;
        // Filling a "thinking…" reply is its first content, not an edit the user would notice.
        s.edit(m, body, files, !rec.thinking);
        m.visible = true;
        rec.thinking = false;
        return { status: 200, json: s.messageJson(m) };
      },
    ],
    [
      'DELETE',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/,
      ([app, token]) => {
        const rec = byToken(app, token);
        if (isReply(rec)) return rec;
        const m = s.live(rec.originalId);
        if (!m) return fail(404, 10008, 'Unknown Message');
        m.deleted = true;
        rec.thinking = false;
        return { status: 204 };
      },
    ],
    [
      'POST',
      /^\/webhooks\/(\d+)\/([^/]+)$/,
      ([app, token], json, files) => {
        const rec = byToken(app, token);
        if (isReply(rec)) return rec;
        const body = parseMessage(json);
        if (isReply(body)) return body;
        const ephemeral = ((body.flags ?? 0) & EPHEMERAL) !== 0;
        const how = { via: 'followup' as const, ephemeral, visible: true, interactionId: rec.id };
        const made = s.create(rec.channelId, body, files, how);
        return isReply(made) ? made : { status: 200, json: s.messageJson(made) };
      },
    ],
  ];
}
