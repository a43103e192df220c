// Queue positions are looked at most every 2 s, however often the queue moves; idle() runs what is
// due at once, and after stop() nothing is looked at any more. The database is a stand-in that records
// the looks (the positions' edits are tested on FerretDB in backtest-fairness.int and backtest-cancel.int).
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueuePositions } from '../../../jobs/queue-positions.ts';
import type { Models } from '../../../src/storage/models.ts';

describe('queue position looks', () => {
  let looks: number;
  let positions: ReturnType<typeof createQueuePositions>;
  beforeEach(() => {
    vi.useFakeTimers();
    looks = 0;
    const Backtest = { find: () => ({ lean: async () => [] }) } as unknown as Models['Backtest'];
    positions = createQueuePositions({
      order: async () => {
        looks++;
        return ['a'];
      },
      models: { Backtest },
      notifier: { notify: async () => true },
      logger: pino({ level: 'silent' }),
      gapMs: 2000,
    });
  });
  afterEach(() => vi.useRealTimers());

  it('looks at once, then folds every move of the next 2 s into one look', async () => {
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(looks).toBe(1);
    for (let i = 0; i < 5; i++) {
      positions.refresh();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(looks).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(looks).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(looks).toBe(2);
  });

  it('runs a look that is due at once when idle() is asked, and none after stop()', async () => {
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    positions.refresh();
    await positions.idle();
    expect(looks).toBe(2);
    await positions.stop();
    positions.refresh();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(looks).toBe(2);
  });
});
