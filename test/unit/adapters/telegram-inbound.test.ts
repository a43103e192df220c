// Telegram updates -> IncomingEvents: commands (also /cmd@BotName), DMs, mentions and replies in
// groups, button presses; everything else, and every other bot, ignored.
import type { Chat, Message, Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { parseCommand, updateToEvent } from '../../../adapters/telegram/inbound.ts';

const me = { id: 99, username: 'GenTradeBot' };
const alice = { id: 7, is_bot: false, first_name: 'Alice', last_name: 'Smith' };
const dm: Chat.PrivateChat = { id: 7, type: 'private', first_name: 'Alice' };
const group: Chat.SupergroupChat = { id: -100, type: 'supergroup', title: 'Traders' };

function message(
  chat: Chat.PrivateChat | Chat.SupergroupChat,
  text: string,
  extra: Omit<Partial<Message>, 'chat'> = {},
): Update {
  return { update_id: 1, message: { message_id: 5, date: 0, chat, from: alice, text, ...extra } };
}

describe('telegram inbound', () => {
  it('turns commands into command events, with or without the bot name', () => {
    expect(updateToEvent(message(dm, '/backtest s 20240101-20240701'), me)).toMatchObject({
      kind: 'command',
      name: 'backtest',
      args: 's 20240101-20240701',
      address: { platform: 'telegram', conversationId: '7', userId: '7' },
      sender: { platformUserId: '7', displayName: 'Alice Smith', isBot: false },
    });
    expect(updateToEvent(message(group, '/Help@gentradebot'), me)).toMatchObject({
      kind: 'command',
      name: 'help',
    });
    expect(updateToEvent(message(group, '/help@OtherBot'), me)).toBeNull();
    expect(parseCommand('/compare@GenTradeBot a b', me)).toEqual({ name: 'compare', args: 'a b' });
    expect(parseCommand('/ not a command', me)).toBeNull();
  });

  it('takes any text in a DM, but in a group only a mention or a reply to the bot', () => {
    expect(updateToEvent(message(dm, 'btc sma cross'), me)).toMatchObject({
      kind: 'message',
      text: 'btc sma cross',
    });
    expect(updateToEvent(message(group, 'anyone watching BTC?'), me)).toBeNull();
    const mention = message(group, 'hey @GenTradeBot backtest it', {
      entities: [{ type: 'mention', offset: 4, length: 12 }],
    });
    expect(updateToEvent(mention, me)).toMatchObject({ kind: 'message', text: 'hey backtest it' });
    const otherMention = message(group, '@someone look', {
      entities: [{ type: 'mention', offset: 0, length: 8 }],
    });
    expect(updateToEvent(otherMention, me)).toBeNull();
    const reply = message(group, 'and on 4h?', {
      reply_to_message: {
        message_id: 1,
        date: 0,
        chat: group,
        from: { id: 99, is_bot: true, first_name: 'B' },
        reply_to_message: undefined,
      },
    });
    expect(updateToEvent(reply, me)).toMatchObject({ kind: 'message', text: 'and on 4h?' });
  });

  it('ignores other bots and messages without text', () => {
    const bot = {
      update_id: 1,
      message: { message_id: 5, date: 0, chat: dm, text: '/help', from: { ...alice, is_bot: true } },
    };
    expect(updateToEvent(bot, me)).toBeNull();
    expect(
      updateToEvent({ update_id: 2, message: { message_id: 6, date: 0, chat: dm, from: alice } }, me),
    ).toBeNull();
  });

  it('keeps the forum topic as the thread', () => {
    const topic = message(group, '/help', { is_topic_message: true, message_thread_id: 12 });
    expect(updateToEvent(topic, me)?.address.threadId).toBe('12');
    const replyChain = message(group, '/help', { message_thread_id: 12 });
    expect(updateToEvent(replyChain, me)?.address.threadId).toBeUndefined();
  });

  it('turns a button press into an action carrying its callback data', () => {
    const update: Update = {
      update_id: 3,
      callback_query: {
        id: 'q1',
        from: alice,
        chat_instance: 'c',
        data: 'bt|0123456789abcdef01234567',
        message: { message_id: 9, date: 0, chat: group, text: 'card' },
      },
    };
    expect(updateToEvent(update, me)).toMatchObject({
      kind: 'action',
      payload: 'bt|0123456789abcdef01234567',
      address: { conversationId: '-100', userId: '7' },
    });
    expect(
      updateToEvent(
        { ...update, callback_query: { id: 'q2', from: alice, chat_instance: 'c', data: 'x' } },
        me,
      ),
    ).toBeNull();
  });
});
