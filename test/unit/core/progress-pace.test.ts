// The pace of a progress message's edits: when a state may go, and when a newer one makes it moot.
import { describe, expect, it, vi } from 'vitest';
import { createPaceQueue, paceWait } from '../../../src/core/progress-pace.ts';

const at = (ms: number) => new Date(ms);

describe('paceWait', () => {
  it('lets the first post and a final state right after the post go at once', () => {
    expect(paceWait(null, 'running', 0)).toBe(0);
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'succeeded', 1_100)).toBe(0);
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'cancelled', 1_100)).toBe(0);
  });

  it('holds an edit until 2 s after the message was last written', () => {
    expect(paceWait({ edits: 0, writtenAt: at(1_000) }, 'running', 1_500)).toBe(1_500);
    expect(paceWait({ edits: 3, writtenAt: at(1_000) }, 'succeeded', 2_000)).toBe(1_000);
    expect(paceWait({ edits: 3, writtenAt: at(1_000) }, 'running', 3_500)).toBe(0);
  });
});

describe('the pace queue', () => {
  it('drops a waiting state once a newer one of at least its rank comes, never a final one for a late lower one', () => {
    const q = createPaceQueue();
    const first = q.enter('k', 'running');
    const second = q.enter('k', 'running');
    expect(q.superseded('k', first)).toBe(true);
    expect(q.superseded('k', second)).toBe(false);
    const final = q.enter('k', 'cancelled');
    q.enter('k', 'running'); // a late phase from a run that was stopped
    expect(q.superseded('k', second)).toBe(true);
    expect(q.superseded('k', final)).toBe(false);
    q.leave('k', first);
    expect(q.superseded('k', first)).toBe(true);
    expect(q.superseded('other', first)).toBe(false);
  });
});

describe('waiting for a turn', () => {
  it('ends the wait when a state that replaces it comes, not for a lower one or another message', async () => {
    vi.useFakeTimers();
    try {
      const q = createPaceQueue();
      const running = q.enter('k', 'running');
      let woke = false;
      const waited = q.wait('k', running, 2_000).then(() => {
        woke = true;
      });
      q.enter('other', 'succeeded');
      await vi.advanceTimersByTimeAsync(500);
      expect(woke).toBe(false);
      // The card of a fast run: the "running" state waiting its turn will not be sent, so it stops waiting.
      q.enter('k', 'succeeded');
      await vi.advanceTimersByTimeAsync(0);
      expect(woke).toBe(true);
      await waited;

      const final = q.enter('k2', 'succeeded');
      let finalWoke = false;
      void q.wait('k2', final, 2_000).then(() => {
        finalWoke = true;
      });
      q.enter('k2', 'running'); // a late phase never cuts a final state's wait short
      await vi.advanceTimersByTimeAsync(1_999);
      expect(finalWoke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(finalWoke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
