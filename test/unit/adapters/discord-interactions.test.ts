// The 3-second rule and answering in place: each interaction is acknowledged exactly once, by a modal
// when the core opens a form in time, otherwise by a deferral when the first answer is ready or after
// 2 seconds at the latest. Answers go to the interaction while its token lives; progress, answers after
// a modal and answers the interaction can't take go to the channel through the notifier.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACK_AFTER_MS,
  answer,
  type Responder,
  TOKEN_LIFETIME_MS,
} from '../../../adapters/discord/interactions.ts';
import type { Conversation } from '../../../src/core/conversation.ts';
import type { IncomingEvent, OutgoingMessage } from '../../../src/core/types.ts';
import type { Notifier } from '../../../src/notifier.ts';

const event: IncomingEvent = {
  kind: 'action',
  payload: 'edit|abc',
  address: { platform: 'discord', conversationId: '7', userId: '42' },
  sender: { platformUserId: '42', displayName: 'alice' },
  receivedAt: new Date(),
};
const form = {
  title: 'Edit',
  submit: 'editok|abc',
  fields: [{ key: 'timeframe', label: 'Timeframe', value: '1h' }],
};
const progress = { text: 'queued', progress: { key: 'bt1', state: 'queued' as const } };

function setup(replies: OutgoingMessage[], delayMs: number, opts: { failSend?: boolean } = {}) {
  const calls: string[] = [];
  const notified: OutgoingMessage[] = [];
  const conversation: Conversation = {
    async handle() {
      await new Promise((r) => setTimeout(r, delayMs));
      calls.push('handled');
      return replies;
    },
  };
  const notifier: Notifier = {
    register() {},
    hosted: () => ['discord'],
    async notify(_address, message) {
      notified.push(message);
      return true;
    },
    async drainOutbox() {
      return 0;
    },
    startOutbox() {
      return () => {};
    },
  };
  const responder: Responder = {
    createdAt: Date.now(),
    defer: async () => calls.push('defer'),
    send: async (message, first) => {
      if (opts.failSend) throw new Error('10015 Unknown Webhook');
      calls.push(`${first ? 'reply' : 'followUp'}:${message.text}`);
    },
    cleanUp: async () => calls.push('cleanUp'),
    showModal: async () => calls.push('modal'),
  };
  const deps = { conversation, notifier, logger: pino({ level: 'silent' }) };
  return { calls, notified, run: () => answer(deps, event, responder) };
}

describe('discord interactions: acknowledgement and answers in place', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('defers once the first answer is ready, fills the reply, then follows up', async () => {
    const s = setup([{ text: 'hi' }, { text: 'more' }], 100);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(s.calls).toEqual(['handled', 'defer', 'reply:hi', 'followUp:more']);
    expect(s.notified).toEqual([]);
    await vi.advanceTimersByTimeAsync(ACK_AFTER_MS);
    expect(s.calls.filter((c) => c === 'defer')).toHaveLength(1);
  });

  it('defers after 2 seconds when the core is slow, well inside the 3-second limit', async () => {
    const s = setup([{ text: 'slow' }], 2600);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(ACK_AFTER_MS);
    expect(s.calls).toEqual(['defer']);
    await vi.advanceTimersByTimeAsync(700);
    await done;
    expect(s.calls).toEqual(['defer', 'handled', 'reply:slow']);
  });

  it('sends progress through the notifier and removes a deferred reply nothing filled', async () => {
    const s = setup([progress], 100);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(s.calls).toEqual(['handled', 'defer', 'cleanUp']);
    expect(s.notified).toEqual([progress]);
  });

  it('answers with the modal when the core opens a form, and its text goes to the channel', async () => {
    const s = setup([{ text: 'Editing s', form }], 50);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    await vi.advanceTimersByTimeAsync(ACK_AFTER_MS);
    expect(s.calls).toEqual(['handled', 'modal']);
    expect(s.notified).toEqual([{ text: 'Editing s' }]);
  });

  it('asks to press again, in place, when the form comes after the deferral', async () => {
    const s = setup([{ text: '', form }], 2600);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(3000);
    await done;
    expect(s.calls).toEqual(['defer', 'handled', 'reply:That took too long to open. Press it again.']);
    expect(s.notified).toEqual([]);
  });

  it('posts to the channel when the interaction cannot take the answer', async () => {
    const s = setup([{ text: 'hi' }], 100, { failSend: true });
    const done = s.run();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(s.notified).toEqual([{ text: 'hi' }]);
    expect(s.calls).toEqual(['handled', 'defer', 'cleanUp']);
  });

  it('posts to the channel once the 15-minute token has run out, without touching it', async () => {
    const s = setup([{ text: 'late' }], TOKEN_LIFETIME_MS + 1000);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(TOKEN_LIFETIME_MS + 2000);
    await done;
    expect(s.calls).toEqual(['defer', 'handled']);
    expect(s.notified).toEqual([{ text: 'late' }]);
  });
});
