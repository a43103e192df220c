import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressThrottle } from '../../../src/core/progress-throttle.ts';
import type { OutgoingMessage, ProgressState } from '../../../src/core/types.ts';

const address = { platform: 'telegram', conversationId: 'c1', userId: 'u1' };
const state = (key: string, s: ProgressState, text: string = s): OutgoingMessage => ({
  text,
  progress: { key, state: s, paced: true },
});

describe('progress states relayed through the outbox', () => {
  let sent: string[];
  let throttled: ReturnType<typeof createProgressThrottle>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    throttled = createProgressThrottle(async (_a, m) => {
      sent.push(`${m.progress?.key}:${m.text}`);
      return true;
    }, 2000);
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first at once, holds the next 2 s and sends only the newest of them', async () => {
    expect(await throttled(address, state('a', 'running', 'loading'))).toBe(true);
    const compiling = throttled(address, state('a', 'running', 'compiling'));
    const testing = throttled(address, state('a', 'running', 'backtesting'));
    expect(await compiling).toBe(false); // replaced while held
    expect(sent).toEqual(['a:loading']);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toEqual(['a:loading']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await testing).toBe(true);
    expect(sent).toEqual(['a:loading', 'a:backtesting']);
    // 2 s after that send, the next state goes at once again.
    await vi.advanceTimersByTimeAsync(2000);
    await throttled(address, state('a', 'running', 'drawing'));
    expect(sent).toEqual(['a:loading', 'a:backtesting', 'a:drawing']);
  });

  it('sends a final state at once and drops the one held', async () => {
    await throttled(address, state('a', 'running', 'loading'));
    const held = throttled(address, state('a', 'running', 'drawing'));
    expect(await throttled(address, state('a', 'succeeded', 'card'))).toBe(true);
    expect(await held).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['a:loading', 'a:card']);
  });

  it('keeps each message to itself, and lets messages without progress through', async () => {
    await throttled(address, state('a', 'running'));
    await throttled(address, state('b', 'running'));
    await throttled(address, { text: 'plain' });
    await throttled(address, { text: 'plain' });
    expect(sent).toEqual(['a:running', 'b:running', 'undefined:plain', 'undefined:plain']);
  });
});
