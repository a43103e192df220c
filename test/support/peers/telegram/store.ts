// What the bot sent, per chat, as the peer keeps it: messages with edits applied, deleted ones hidden,
// and chats whose user blocked the bot. Shared by the Bot API methods and the test-facing peer.
import type { PeerMessage } from '../../../contract/adapter-contract.ts';
import { ApiError, bad } from './wire.ts';

export type PeerChat = {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
};
export type PeerUser = { id: number; is_bot: boolean; first_name: string; username?: string };
type Stored = PeerMessage & { chat: PeerChat; deleted: boolean };

export const now = () => Math.floor(Date.now() / 1000);

export function createStore(botUser: PeerUser) {
  const stored: Stored[] = [];
  const chats = new Map<string, PeerChat>();
  const blocked = new Set<string>();
  let nextMessage = 1;

  const result = (m: Stored) => ({
    message_id: Number(m.id),
    date: now(),
    chat: m.chat,
    from: botUser,
    text: m.text,
  });

  return {
    /** Ids of user messages and bot messages share one sequence, as in a real chat. */
    nextId: () => nextMessage++,
    remember: (chat: PeerChat) => chats.set(String(chat.id), chat),
    block: (chatId: string) => blocked.add(chatId),
    /** Telegram's answer to a bot writing to a chat whose user blocked it. */
    checkWritable(chatId: string) {
      if (blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    },
    record(chatId: string, fields: Partial<PeerMessage>) {
      const chat = chats.get(chatId) ?? { id: Number(chatId), type: 'private', first_name: 'user' };
      const m: Stored = {
        id: String(nextMessage++),
        chatId,
        text: '',
        buttons: [],
        edits: 0,
        images: [],
        files: [],
        chat,
        deleted: false,
      };
      Object.assign(m, fields);
      stored.push(m);
      return result(m);
    },
    /** The message to edit, or Telegram's 400 when it was deleted or never existed. */
    find(chatId: string, id: number): Stored {
      const m = stored.find((s) => s.chatId === chatId && s.id === String(id) && !s.deleted);
      if (!m) throw bad('message to edit not found');
      return m;
    },
    byId: (id: string) => stored.find((s) => s.id === id && !s.deleted),
    result,
    remove(chatId: string, id: string) {
      const m = stored.find((s) => s.chatId === chatId && s.id === id);
      if (!m) throw new Error(`no message ${id} in chat ${chatId}`);
      m.deleted = true;
    },
    messages: (): PeerMessage[] =>
      stored
        .filter((m) => !m.deleted)
        .map(({ chat: _chat, deleted: _deleted, ...m }) => ({
          ...m,
          buttons: m.buttons.map((b) => ({ ...b })),
          images: [...m.images],
          files: [...m.files],
        })),
  };
}

export type Store = ReturnType<typeof createStore>;
