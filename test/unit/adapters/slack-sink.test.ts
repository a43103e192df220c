// The Slack sink against the loopback Slack peer: which Web API errors it turns into the notifier's
// UndeliverableError and MessageGoneError, and that everything else (an outage) stays a plain error.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSink } from '../../../adapters/slack/sink.ts';
import type { OutgoingMessage } from '../../../src/core/types.ts';
import { MessageGoneError, UndeliverableError } from '../../../src/delivery-errors.ts';
import { type SlackPeer, startSlackPeer } from '../../support/peers/slack/index.ts';

const TOKEN = 'xoxb-sink-test';
const at = (conversationId: string) => ({ platform: 'slack', conversationId, userId: 'U1' });
const png = new Uint8Array(2048).fill(7);
const result: OutgoingMessage = {
  text: 'Backtest of x: done.',
  card: {
    title: 'Backtest: x',
    fields: [{ name: 'Trades', value: '12' }],
    image: { filename: 'equity.png', contentType: 'image/png', data: png },
  },
};

describe('slack sink', () => {
  let peer: SlackPeer;
  const sinkWith = (token: string) =>
    createSlackSink(new webApi.WebClient(token, { slackApiUrl: peer.apiUrl, retryConfig: { retries: 0 } }));
  beforeAll(async () => {
    peer = await startSlackPeer({ botToken: TOKEN });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('edits the message a progress update refers to', async () => {
    const sink = sinkWith(TOKEN);
    const first = await sink.deliver(at('D1'), { text: 'queued' });
    const again = await sink.deliver(at('D1'), { text: 'running' }, { replace: first });
    expect(again).toEqual(first);
    expect(peer.messages().find((m) => m.id === first.messageId)).toMatchObject({
      text: 'running',
      edits: 1,
    });
  });

  it('throws UndeliverableError for a channel the bot is not in, after one attempt', async () => {
    peer.leaveChannel('C0SECRET');
    const err = await createSlackSink(
      // The client's default retry policy: a platform error must still be one call.
      new webApi.WebClient(TOKEN, { slackApiUrl: peer.apiUrl }),
    )
      .deliver(at('C0SECRET'), { text: 'hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UndeliverableError);
    expect(String(err)).toContain('not_in_channel');
    expect(peer.calls('chat.postMessage').filter((c) => c.channel === 'C0SECRET')).toHaveLength(1);
  });

  it('throws UndeliverableError when Slack refuses the token', async () => {
    await expect(sinkWith('xoxb-revoked').deliver(at('D1'), { text: 'hello' })).rejects.toBeInstanceOf(
      UndeliverableError,
    );
  });

  it('throws MessageGoneError for a deleted message, before sharing any file', async () => {
    const sink = sinkWith(TOKEN);
    const sent = await sink.deliver(at('D2'), { text: 'queued' });
    peer.deleteMessage(sent.messageId);
    const uploads = peer.calls('files.completeUploadExternal').length;
    await expect(sink.deliver(at('D2'), result, { replace: sent })).rejects.toBeInstanceOf(MessageGoneError);
    expect(peer.calls('chat.update').at(-1)?.error).toBe('message_not_found');
    expect(peer.calls('files.completeUploadExternal')).toHaveLength(uploads);
    // Sent anew (what the notifier does next), the card arrives with its chart.
    await sink.deliver(at('D2'), result);
    // The chart is shared first, then the card arrives last (with any buttons, which a share can't carry).
    const [chart, card] = peer.messages().filter((m) => m.chatId === 'D2');
    expect(chart?.images[0]?.bytes).toBe(png.length);
    expect(card?.text).toContain('Trades');
  });

  it('edits a message posted to a user id in the DM Slack answered with', async () => {
    // A modal opened outside a conversation is answered at the user id; chat.update needs the DM's id.
    const sink = sinkWith(TOKEN);
    const first = await sink.deliver(at('u20'), { text: 'queued' });
    expect(first.messageId).toMatch(/^D0U20:/);
    await sink.deliver(at('u20'), { text: 'running' }, { replace: first });
    expect(peer.messages().find((m) => m.id === first.messageId)).toMatchObject({
      text: 'running',
      edits: 1,
    });
  });

  it("opens the user's DM for a direct address (the user's own id), so files can be shared there", async () => {
    const sink = sinkWith(TOKEN);
    await sink.deliver(
      { platform: 'slack', conversationId: 'U7', userId: 'U7' },
      { text: 'Your code', code: { language: 'python', content: 'x = 1\n', filename: 'x.py' } },
    );
    expect(peer.calls('conversations.open').at(-1)).toMatchObject({ status: 200 });
    const inDm = peer.messages().filter((m) => m.chatId === 'D0U7');
    expect(inDm.flatMap((m) => m.files.map((f) => f.filename))).toEqual(['x.py']);
    expect(inDm.at(-1)?.text).toContain('Your code');
  });

  it.each([
    'missing_scope',
    'invalid_arguments',
    'no_text',
    'invalid_blocks_format',
    'not_allowed_token_type',
    'too_many_attachments',
    'channel_is_archived',
    'cannot_dm_bot',
    'user_not_found',
  ])('throws UndeliverableError for %s after one attempt', async (error) => {
    peer.errorNext('chat.postMessage', error);
    const calls = peer.calls('chat.postMessage').length;
    const err = await createSlackSink(new webApi.WebClient(TOKEN, { slackApiUrl: peer.apiUrl }))
      .deliver(at('D4'), { text: 'hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UndeliverableError);
    expect(String(err)).toContain(error);
    expect(peer.calls('chat.postMessage').slice(calls)).toHaveLength(1);
  });

  it('leaves an outage a plain error, so the notifier keeps the message', async () => {
    peer.failNext('chat.postMessage', 503);
    const err = await sinkWith(TOKEN)
      .deliver(at('D3'), { text: 'hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UndeliverableError);
    expect(err).not.toBeInstanceOf(MessageGoneError);
  });
});
