// What the Slack peer sends the bot, as Slack would: signed HTTP requests to the bot's receiver (or
// forged, unsigned or stale ones), or Socket Mode envelopes that the bot must ack within 3 seconds.
// Slash commands and button presses carry a response_url (response-url.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PeerModal } from './blocks.ts';
import { issueResponseUrl } from './response-url.ts';
import { BOT_USER, type State, TEAM } from './state.ts';
import { type Args, sign } from './wire.ts';

export type Tamper = { signature?: 'forged' | 'missing'; ageSeconds?: number };
type InboundKind = 'slash_commands' | 'events_api' | 'interactive';

export function createToBot(state: State, base: string) {
  const issueTrigger = (userId: string) => {
    const id = `${Date.now()}.${userId}.${randomUUID().slice(0, 8)}`;
    state.triggers.set(id, { at: Date.now(), used: false });
    return id;
  };
  const user = (userId: string) => ({ id: userId, username: userId, name: userId, team_id: TEAM });
  let lastRequest: { url: string; headers: Record<string, string>; body: string } | undefined;

  /** Signed HTTP when a receiver is set, else a Socket Mode envelope; resolves with the HTTP status. */
  async function toBot(
    kind: InboundKind,
    payload: Args,
    tamper: Tamper = {},
    extra: Record<string, string> = {},
  ): Promise<number> {
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
    const headers: Record<string, string> = {
      ...extra,
      'content-type': type,
      'x-slack-request-timestamp': String(ts),
    };
    const secret =
      tamper.signature === 'forged' ? `${receiver.signingSecret}-forged` : receiver.signingSecret;
    if (tamper.signature !== 'missing') headers['x-slack-signature'] = sign(secret, ts, body);
    lastRequest = { url: receiver.url, headers, body };
    return post(lastRequest);
  }

  async function post(r: { url: string; headers: Record<string, string>; body: string }): Promise<number> {
    const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body });
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
    /**
     * The last signed request, sent again byte for byte (same timestamp and signature), as one who
     * captured it could within the 5 minutes its signature is good for.
     */
    replayLast() {
      if (!lastRequest) throw new Error('no request to replay');
      return post(lastRequest);
    },
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
        response_url: issueResponseUrl(state, base, { channel: p.channelId, userId: p.userId }),
        trigger_id: issueTrigger(p.userId),
      };
      return toBot('slash_commands', payload, tamper);
    },
    /**
     * An Events API event. With `retry` it is Slack's retry of an earlier one it saw no timely answer
     * to: the same event_id, signed anew, with the retry headers.
     */
    event(event: Args, retry?: { eventId: string; num: number }) {
      const id = retry?.eventId ?? `Ev${randomUUID().slice(0, 8)}`;
      const headers: Record<string, string> = retry
        ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': 'http_timeout' }
        : {};
      return toBot(
        'events_api',
        {
          token: 'deprecated-verification-token',
          team_id: TEAM,
          api_app_id: 'A0PEER',
          type: 'event_callback',
          event_id: id,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
          event: { event_ts: `${Date.now() / 1000}`, ts: `${Date.now() / 1000}`, ...event },
        },
        {},
        headers,
      );
    },
    /** A user presses the button labelled `label` on message `messageId` (`channel:ts`). */
    press(userId: string, messageId: string, label: string) {
      const m = state.messages.find((s) => `${s.channel}:${s.ts}` === messageId && !s.deleted);
      const button = m?.blocks
        .flatMap((b) => (b.type === 'actions' ? b.elements : []))
        .find((e) => e.text.text === label);
      if (!m || !button) throw new Error(`no button "${label}" on message ${messageId}`);
      if (m.visibleTo && m.visibleTo !== userId) throw new Error(`${userId} can't see message ${messageId}`);
      const ephemeral = m.visibleTo !== undefined;
      return toBot('interactive', {
        type: 'block_actions',
        team: { id: TEAM },
        user: user(userId),
        api_app_id: 'A0PEER',
        trigger_id: issueTrigger(userId),
        response_url: issueResponseUrl(state, base, { channel: m.channel, userId, messageTs: m.ts }),
        container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: ephemeral },
        channel: { id: m.channel },
        // Slack leaves the message out of a press on an ephemeral one.
        ...(ephemeral ? {} : { message: { type: 'message', ts: m.ts, text: m.text } }),
        actions: [{ ...button, block_id: 'b', action_ts: `${Date.now() / 1000}` }],
      });
    },
    /** A user submits an opened modal; unlisted fields keep their initial values. */
    submitView(userId: string, view: PeerModal, values: Record<string, string>) {
      const stateValues = Object.fromEntries(
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
        user: user(userId),
        api_app_id: 'A0PEER',
        view: { ...view, id: 'V0', state: { values: stateValues } },
      });
    },
  };
}
