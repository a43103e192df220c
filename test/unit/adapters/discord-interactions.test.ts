// The 3-second rule: each interaction is acknowledged exactly once, by a modal when the core opens a
// form in time, otherwise by a deferral after the core has answered or after 2 seconds at the latest.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_AFTER_MS, answer, type Responder } from '../../../adapters/discord/interactions.ts';
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

function setup(replies: OutgoingMessage[], delayMs: number) {
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
    defer: async () => calls.push('defer'),
    cleanUp: async () => calls.push('cleanUp'),
    showModal: async () => calls.push('modal'),
  };
  const deps = { conversation, notifier, logger: pino({ level: 'silent' }) };
  return { calls, notified, run: () => answer(deps, event, responder) };
}

describe('discord interaction acknowledgement', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('defers once after a quick answer, then removes the deferral', async () => {
    const s = setup([{ text: 'hi' }], 100);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(s.calls).toEqual(['handled', 'defer', 'cleanUp']);
    expect(s.notified).toEqual([{ text: 'hi' }]);
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
    expect(s.calls).toEqual(['defer', 'handled', 'cleanUp']);
  });

  it('answers with the modal when the core opens a form, and does not defer', async () => {
    const s = setup([{ text: 'Editing s', form }], 50);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    await vi.advanceTimersByTimeAsync(ACK_AFTER_MS);
    expect(s.calls).toEqual(['handled', 'modal']);
    expect(s.notified).toEqual([{ text: 'Editing s' }]);
  });

  it('asks to press again when the form comes after the deferral', async () => {
    const s = setup([{ text: '', form }], 2600);
    const done = s.run();
    await vi.advanceTimersByTimeAsync(3000);
    await done;
    expect(s.calls).toEqual(['defer', 'handled', 'cleanUp']);
    expect(s.notified[0]?.text).toMatch(/Press it again/);
  });
});
