// Telegram documents -> message events with one lazy attachment: the caption is the text (mentions
// taken out in groups), nothing is downloaded until the core asks, and the update's file_size is the
// size the core checks first.
import type { Chat, Message, Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import type { TelegramDownload } from '../../../adapters/telegram/download.ts';
import { updateToEvent } from '../../../adapters/telegram/inbound.ts';

const me = { id: 99, username: 'GenTradeBot' };
const alice = { id: 7, is_bot: false, first_name: 'Alice' };
const dm: Chat.PrivateChat = { id: 7, type: 'private', first_name: 'Alice' };
const group: Chat.SupergroupChat = { id: -100, type: 'supergroup', title: 'Traders' };
const document = { file_id: 'F1', file_unique_id: 'U1', file_name: 'ema_rsi_pullback.py', file_size: 2048 };

function withDocument(
  chat: Chat.PrivateChat | Chat.SupergroupChat,
  extra: Omit<Partial<Message>, 'chat'> = {},
): Update {
  return { update_id: 1, message: { message_id: 5, date: 0, chat, from: alice, document, ...extra } };
}

function recorder() {
  const calls: [string, number | undefined][] = [];
  const download: TelegramDownload = async (fileId, size) => {
    calls.push([fileId, size]);
    return new TextEncoder().encode('class X(IStrategy): pass');
  };
  return { calls, download };
}

describe('telegram documents', () => {
  it('turns a document in a DM into a message with its caption and a lazy attachment', async () => {
    const { calls, download } = recorder();
    const event = updateToEvent(withDocument(dm, { caption: 'for ETH' }), me, new Date(), download);
    expect(event).toMatchObject({ kind: 'message', text: 'for ETH' });
    const attachments = event?.kind === 'message' ? (event.attachments ?? []) : [];
    expect(attachments.map((a) => ({ filename: a.filename, size: a.size }))).toEqual([
      { filename: 'ema_rsi_pullback.py', size: 2048 },
    ]);
    expect(calls).toEqual([]); // nothing fetched until the core wants it
    expect(new TextDecoder().decode(await attachments[0]?.fetch())).toBe('class X(IStrategy): pass');
    expect(calls).toEqual([['F1', 2048]]);
  });

  it('takes a document without a caption in a DM, and keeps a caption that looks like a command', () => {
    const { download } = recorder();
    expect(updateToEvent(withDocument(dm), me, new Date(), download)).toMatchObject({
      kind: 'message',
      text: '',
    });
    const captioned = withDocument(dm, { caption: '/help' });
    expect(updateToEvent(captioned, me, new Date(), download)).toMatchObject({
      kind: 'message',
      text: '/help',
    });
  });

  it('in a group, takes a document only when its caption mentions the bot, the mention removed', () => {
    const { download } = recorder();
    const caption = '@GenTradeBot for ETH';
    const mentioned = withDocument(group, {
      caption,
      caption_entities: [{ type: 'mention', offset: 0, length: 12 }],
    });
    expect(updateToEvent(mentioned, me, new Date(), download)).toMatchObject({
      kind: 'message',
      text: 'for ETH',
    });
    expect(updateToEvent(withDocument(group, { caption: 'for ETH' }), me, new Date(), download)).toBeNull();
  });

  it('ignores documents from bots and documents when no download is wired', () => {
    const { download } = recorder();
    const fromBot = withDocument(dm, { from: { id: 8, is_bot: true, first_name: 'B' } });
    expect(updateToEvent(fromBot, me, new Date(), download)).toBeNull();
    expect(updateToEvent(withDocument(dm, { caption: 'for ETH' }), me)).toBeNull();
  });
});
