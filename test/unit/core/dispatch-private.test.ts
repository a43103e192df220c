// A private answer (a link code) never lands where others read: the platform's own private reply when
// it has one, else the sender's direct chat with a line in the group, else a refusal in the chat.
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { dispatch } from '../../../src/core/dispatch.ts';
import type { ChatAddress, IncomingEvent, OutgoingMessage } from '../../../src/core/types.ts';
import type { Notifier } from '../../../src/notifier.ts';

const GROUP: ChatAddress = { platform: 'p', conversationId: 'group', userId: 'u1' };
const DM: ChatAddress = { platform: 'p', conversationId: 'u1', userId: 'u1' };
const SECRET: OutgoingMessage = { text: 'Your link code: ABCD-EFGH', private: true };

function rig(delivered = true) {
  const sent: { to: string; text: string }[] = [];
  const notifier: Notifier = {
    register: () => undefined,
    hosted: () => ['test'],
    notify: async (address, message) => {
      sent.push({ to: address.conversationId, text: message.text });
      return delivered;
    },
    drainOutbox: async () => 0,
    startOutbox: () => () => undefined,
  };
  const conversation: Conversation = { handle: async () => [SECRET, { text: 'public line' }] };
  return { sent, deps: { conversation, notifier } };
}

const event = (direct?: ChatAddress): IncomingEvent => ({
  kind: 'command',
  name: 'link',
  args: '',
  address: GROUP,
  sender: { platformUserId: 'u1', displayName: 'Ann' },
  receivedAt: new Date(),
  ...(direct ? { direct } : {}),
});

describe('private answers', () => {
  it('go through the platform’s private reply when there is one', async () => {
    const { sent, deps } = rig();
    const replied: string[] = [];
    const respond = async (m: OutgoingMessage) => {
      replied.push(m.text);
      return true;
    };
    await dispatch(deps, event(DM), { respond });
    expect(replied).toEqual([SECRET.text, 'public line']);
    expect(sent).toEqual([]);
  });

  it('go to the sender’s direct chat, and the group hears only where it went', async () => {
    const { sent, deps } = rig();
    await dispatch(deps, event(DM));
    expect(sent).toEqual([
      { to: 'u1', text: SECRET.text },
      { to: 'group', text: 'I sent you the answer in a private message.' },
      { to: 'group', text: 'public line' },
    ]);
  });

  it('say so in the group when the direct chat can’t be reached', async () => {
    const { sent, deps } = rig(false);
    await dispatch(deps, event(DM));
    expect(sent.filter((s) => s.to === 'group').map((s) => s.text)[0]).toContain(
      'could not message you privately',
    );
  });

  it('are refused, not posted, where there is no private way', async () => {
    const { sent, deps } = rig();
    await dispatch(deps, event());
    expect(JSON.stringify(sent)).not.toContain('ABCD-EFGH');
    expect(sent[0]?.text).toContain('I can only answer that privately');
  });
});
