// Slack payloads -> IncomingEvents: what is answered, what is ignored, and where replies go.
import { describe, expect, it } from 'vitest';
import {
  actionEvent,
  commandEvent,
  encodeOrigin,
  messageEvent,
  submissionEvent,
} from '../../../adapters/slack/inbound.ts';

const BOT = 'U0BOT';

describe('slack inbound', () => {
  it('turns a slash command into a command event with its trigger id', () => {
    const got = commandEvent({
      command: '/backtest',
      text: ' btc-sma 20240101-20240701 ',
      user_id: 'U1',
      user_name: 'ann',
      channel_id: 'D1',
      trigger_id: 'trig',
    });
    expect(got?.triggerId).toBe('trig');
    expect(got?.event).toMatchObject({
      kind: 'command',
      name: 'backtest',
      args: 'btc-sma 20240101-20240701',
      address: { platform: 'slack', conversationId: 'D1', userId: 'U1' },
      sender: { platformUserId: 'U1', displayName: 'ann' },
    });
    expect(commandEvent({ command: 'backtest', user_id: 'U1', channel_id: 'D1' })).toBeNull();
  });

  it("names the user's DM with the bot as where a private answer goes", () => {
    const dm = messageEvent(
      { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'hi' },
      BOT,
    );
    expect(dm?.direct).toEqual({ platform: 'slack', conversationId: 'D1', userId: 'U1' });
    const mention = messageEvent(
      { type: 'app_mention', channel: 'C1', user: 'U1', text: `<@${BOT}> link`, thread_ts: '1.2' },
      BOT,
    );
    // By the user's id: the DM is opened when something is sent there.
    expect(mention?.direct).toEqual({ platform: 'slack', conversationId: 'U1', userId: 'U1' });
    const command = commandEvent({
      command: '/link',
      text: '',
      user_id: 'U1',
      user_name: 'ann',
      channel_id: 'C1',
      trigger_id: 'trig',
    });
    expect(command?.event.direct).toEqual({ platform: 'slack', conversationId: 'U1', userId: 'U1' });
  });

  it('answers DMs and mentions, and ignores chatter, bots and message subtypes', () => {
    const dm = { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'hi' };
    expect(messageEvent(dm, BOT)).toMatchObject({
      kind: 'message',
      text: 'hi',
      address: { conversationId: 'D1' },
    });
    expect(messageEvent({ ...dm, channel_type: 'channel', channel: 'C1' }, BOT)).toBeNull();
    expect(messageEvent({ ...dm, bot_id: 'B2' }, BOT)).toBeNull();
    expect(messageEvent({ ...dm, subtype: 'bot_message' }, BOT)).toBeNull();
    expect(messageEvent({ ...dm, subtype: 'message_changed' }, BOT)).toBeNull();
    const mention = {
      type: 'app_mention',
      channel: 'C1',
      user: 'U1',
      text: `<@${BOT}> help me`,
      thread_ts: '1.2',
    };
    expect(messageEvent(mention, BOT)).toMatchObject({
      text: 'help me',
      address: { conversationId: 'C1', userId: 'U1', threadId: '1.2' },
    });
    expect(messageEvent({ ...mention, text: `<@${BOT}|gentrade> help` }, BOT)).toMatchObject({
      text: 'help',
    });
  });

  it('turns a button press into an action with its value, or its action id without one', () => {
    const body = {
      type: 'block_actions',
      trigger_id: 'trig',
      user: { id: 'U1', username: 'ann' },
      channel: { id: 'C1' },
      message: { ts: '1.1', thread_ts: '1.0' },
      actions: [{ action_id: 'gentrade:0', value: 'bt|abc' }],
    };
    expect(actionEvent(body)).toMatchObject({
      triggerId: 'trig',
      event: { kind: 'action', payload: 'bt|abc', address: { conversationId: 'C1', threadId: '1.0' } },
    });
    expect(actionEvent({ ...body, actions: [{ action_id: 'help' }] })?.event).toMatchObject({
      payload: 'help',
    });
    expect(actionEvent({ ...body, channel: undefined })).toBeNull();
  });

  it('maps a modal submission back to the form and the chat it was opened from', () => {
    const origin = encodeOrigin({ platform: 'slack', conversationId: 'C1', userId: 'U1', threadId: '9.9' });
    const body = {
      type: 'view_submission',
      user: { id: 'U1', name: 'ann' },
      view: {
        callback_id: 'editok|0123456789abcdef01234567',
        private_metadata: origin,
        state: { values: { stoploss: { stoploss: { value: '4%' } }, pairs: { pairs: { value: null } } } },
      },
    };
    expect(submissionEvent(body)).toMatchObject({
      kind: 'form',
      submit: 'editok|0123456789abcdef01234567',
      values: { stoploss: '4%', pairs: '' },
      address: { conversationId: 'C1', userId: 'U1', threadId: '9.9' },
    });
    const lost = submissionEvent({ ...body, view: { ...body.view, private_metadata: 'not json' } });
    expect(lost?.address.conversationId).toBe('U1');
  });
});
