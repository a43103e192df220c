import { describe, expect, it } from 'vitest';
import { buttonEvent, commandEvent, formEvent, messageEvent } from '../../../adapters/discord/inbound.ts';

const BOT = '1000';
const alice = { id: '42', username: 'alice', globalName: 'Alice', bot: false };
const mentions = (...ids: string[]) => ({ users: new Set(ids) });

describe('discord inbound', () => {
  it('takes every DM, addressed to the DM channel', () => {
    const event = messageEvent(
      { content: ' btc sma cross ', channelId: '7', guildId: null, author: alice, mentions: mentions() },
      BOT,
    );
    expect(event).toMatchObject({
      kind: 'message',
      text: 'btc sma cross',
      address: { platform: 'discord', conversationId: '7', userId: '42' },
      sender: { platformUserId: '42', displayName: 'Alice' },
    });
  });

  it("names the user's DM as where a private answer goes: the DM they wrote in, else by their id", () => {
    const dm = messageEvent(
      { content: 'hi', channelId: '7', guildId: null, author: alice, mentions: mentions() },
      BOT,
    );
    expect(dm?.direct).toEqual({ platform: 'discord', conversationId: '7', userId: '42' });
    const inServer = messageEvent(
      { content: `<@${BOT}> hi`, channelId: '8', guildId: '9', author: alice, mentions: mentions(BOT) },
      BOT,
    );
    expect(inServer?.direct).toEqual({ platform: 'discord', conversationId: '42', userId: '42' });
    const command = commandEvent({ commandName: 'link', options: { data: [] }, channelId: '8', user: alice });
    expect(command?.direct).toEqual({ platform: 'discord', conversationId: '42', userId: '42' });
  });

  it('takes channel messages only when they mention the bot, without the mention', () => {
    const base = { channelId: '8', guildId: '9', author: alice };
    expect(messageEvent({ ...base, content: 'anyone?', mentions: mentions() }, BOT)).toBeNull();
    expect(messageEvent({ ...base, content: 'hi <@2000>', mentions: mentions('2000') }, BOT)).toBeNull();
    expect(
      messageEvent({ ...base, content: `<@!${BOT}> show   my <@${BOT}> list`, mentions: mentions(BOT) }, BOT),
    ).toMatchObject({ kind: 'message', text: 'show my list' });
  });

  it('ignores bots, in DMs and channels alike', () => {
    const bot = { ...alice, bot: true };
    expect(
      messageEvent(
        { content: '/help', channelId: '7', guildId: null, author: bot, mentions: mentions() },
        BOT,
      ),
    ).toBeNull();
    expect(buttonEvent({ customId: 'help', channelId: '7', user: bot })).toBeNull();
  });

  it('turns a slash command into name + args text', () => {
    const event = commandEvent({
      commandName: 'backtest',
      options: { data: [{ value: 'btc-sma 20240101-20240701' }] },
      channelId: '7',
      user: { ...alice, globalName: null },
    });
    expect(event).toMatchObject({
      kind: 'command',
      name: 'backtest',
      args: 'btc-sma 20240101-20240701',
      sender: { displayName: 'alice' },
    });
    expect(
      commandEvent({ commandName: 'help', options: { data: [] }, channelId: '7', user: alice }),
    ).toMatchObject({ kind: 'command', name: 'help', args: '' });
  });

  it('turns a button into an action carrying its custom_id', () => {
    expect(buttonEvent({ customId: 'bt|abc', channelId: '7', user: alice })).toMatchObject({
      kind: 'action',
      payload: 'bt|abc',
    });
    expect(buttonEvent({ customId: 'bt|abc', channelId: null, user: alice })).toBeNull();
  });

  it('turns a modal submit into a form: submit = modal custom_id, values = text inputs', () => {
    const fields = new Map<string, unknown>([
      ['timeframe', { type: 4, customId: 'timeframe', value: '4h' }],
      ['pairs', { type: 4, customId: 'pairs', value: '' }],
      ['choice', { type: 3, customId: 'choice', values: ['a'] }],
    ]);
    expect(
      formEvent({ customId: 'editok|abc', channelId: '7', user: alice, fields: { fields } }),
    ).toMatchObject({
      kind: 'form',
      submit: 'editok|abc',
      values: { timeframe: '4h', pairs: '' },
    });
  });
});
