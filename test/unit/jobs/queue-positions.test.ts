// Queue positions are looked at most every 2 s, however often the queue moves; idle() runs what is
// due at once, and after stop() nothing is looked at any more; a process keeps only the messages of the
// chats it hosts, and looks again while one waits. The database is a stand-in that records the looks
// (the edits are tested on FerretDB in backtest-fairness.int and backtest-cancel.int).
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueuePositions } from '../../../jobs/queue-positions.ts';
import { type ChatSink, createNotifier } from '../../../src/notifier.ts';
import type { Models } from '../../../src/storage/models.ts';

type Kept = { _id: string; shownPosition: number; replyTo: { platform: string; conversationId?: string } };

/** A stand-in database holding the kept messages; records the looks, the filters and the edits. */
function rig(hosted: string[], kept: Kept[] = []) {
  const seen = { looks: 0, filters: [] as unknown[], edits: [] as string[] };
  let order = kept.map((k) => k._id);
  const Backtest = {
    find: (filter: unknown) => {
      seen.filters.push(filter);
      const platforms = (filter as { 'replyTo.platform': { $in: string[] } })['replyTo.platform'].$in;
      return { lean: async () => kept.filter((k) => platforms.includes(k.replyTo.platform)) };
    },
    findOneAndUpdate: (q: { _id: string }, u: { $set: { shownPosition: number } }) => ({
      lean: async () => {
        const k = kept.find((x) => x._id === q._id);
        if (!k) return null;
        k.shownPosition = u.$set.shownPosition;
        return { ...k, strategyName: 's', timerange: 't', pairs: ['BTC/USDT'], timeframe: '1h' };
      },
    }),
  } as unknown as Models['Backtest'];
  const positions = createQueuePositions({
    order: async () => {
      seen.looks++;
      return order;
    },
    models: { Backtest },
    notifier: {
      hosted: () => hosted,
      notify: async (_to, message) => {
        seen.edits.push(message.text);
        return true;
      },
    },
    logger: pino({ level: 'silent' }),
    gapMs: 2000,
  });
  return {
    positions,
    seen,
    /** Another process moves the queue: the first run starts, and nothing here is told. */
    startFirst: () => {
      const first = order[0];
      order = order.slice(1);
      kept.splice(
        kept.findIndex((k) => k._id === first),
        1,
      );
    },
  };
}

describe('queue position looks', () => {
  let r: ReturnType<typeof rig>;
  let positions: ReturnType<typeof createQueuePositions>;
  beforeEach(() => {
    vi.useFakeTimers();
    r = rig(['test']);
    positions = r.positions;
  });
  afterEach(() => vi.useRealTimers());

  it('looks at once, then folds every move of the next 2 s into one look', async () => {
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.seen.looks).toBe(1);
    for (let i = 0; i < 5; i++) {
      positions.refresh();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(r.seen.looks).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.seen.looks).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.seen.looks).toBe(2);
  });

  it('runs a look that is due at once when idle() is asked, and none after stop()', async () => {
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    positions.refresh();
    await positions.idle();
    expect(r.seen.looks).toBe(2);
    await positions.stop();
    positions.refresh();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.seen.looks).toBe(2);
  });
});

describe('which messages a process keeps', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const kept = (id: string, at: number, platform = 'test'): Kept => ({
    _id: id.repeat(24), // an ObjectId's hex, as the buttons carry it
    shownPosition: at,
    replyTo: { platform },
  });

  it('looks at nothing in a process that hosts no chat (a worker): its edits would go through the outbox', async () => {
    const { positions, seen } = rig([], [kept('a', 1), kept('b', 2)]);
    positions.refresh();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.looks).toBe(0);
    expect(seen.filters).toEqual([]);
  });

  it('keeps only the messages of the chats it hosts', async () => {
    const { positions, seen } = rig(['telegram'], [kept('a', 1), kept('b', 2, 'telegram')]);
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.filters[0]).toMatchObject({ 'replyTo.platform': { $in: ['telegram'] } });
  });

  it('sees a move made in another process by looking again while a kept message waits, and stops when none does', async () => {
    const { positions, seen, startFirst } = rig(['test'], [kept('a', 1), kept('b', 2), kept('c', 3)]);
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.looks).toBe(1);
    expect(seen.edits).toEqual([]);
    startFirst(); // a worker elsewhere started 'a'; no refresh reaches this process
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen.looks).toBe(2);
    expect(seen.edits).toEqual([
      expect.stringMatching(/: queued\.$/),
      expect.stringMatching(/: queued\. Position 2 in the queue\.$/),
    ]);
    startFirst();
    startFirst();
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen.looks).toBe(3); // found the queue empty
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.looks).toBe(3);
    await positions.stop();
  });

  it("edits at most two of a chat's messages a look, the furthest off first; the rest catch up after", async () => {
    const chat = (id: string, at: number, conversationId: string): Kept => ({
      _id: id.repeat(24), // hex, as the buttons carry it
      shownPosition: at,
      replyTo: { platform: 'test', conversationId },
    });
    const queue = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => chat(id, i + 1, 'busy'));
    const { positions, seen, startFirst } = rig(['test'], [...queue, chat('9', 7, 'other')]);
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    startFirst(); // everyone moves up one
    await vi.advanceTimersByTimeAsync(2000);
    await positions.idle(); // the look's edits, one after another
    // b (2 -> 1) and c (3 -> 2) are the furthest off in the busy chat; the other chat has its own two.
    const place = (text: string) => /Position (\d+)/.exec(text)?.[1] ?? '1';
    expect(seen.edits.map(place)).toEqual(['1', '2', '6']);
    await vi.advanceTimersByTimeAsync(2000);
    await positions.idle(); // the look's edits, one after another
    expect(seen.edits.slice(3).map(place)).toEqual(['3', '4']);
    await vi.advanceTimersByTimeAsync(2000);
    await positions.idle(); // the look's edits, one after another
    expect(seen.edits.slice(5).map(place)).toEqual(['5']);
    await vi.advanceTimersByTimeAsync(2000);
    await positions.idle(); // the look's edits, one after another
    expect(seen.edits).toHaveLength(6);
    await positions.stop();
  });

  it('stops looking again after stop()', async () => {
    const { positions, seen } = rig(['test'], [kept('a', 1)]);
    positions.refresh();
    await vi.advanceTimersByTimeAsync(0);
    await positions.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.looks).toBe(1);
  });
});

describe('a process that starts hosting a chat', () => {
  it('stops looking again when only other platforms have messages waiting', async () => {
    vi.useFakeTimers();
    const { positions, seen } = rig(
      ['telegram'],
      [{ _id: 'a'.repeat(24), shownPosition: 1, replyTo: { platform: 'test' } }],
    );
    positions.refresh();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.looks).toBe(1);
    vi.useRealTimers();
  });

  it('is told when a platform registers, so messages already waiting are kept after a restart', () => {
    const notifier = createNotifier({ logger: pino({ level: 'silent' }), models: {} as Models });
    const told: string[][] = [];
    notifier.onRegister?.(() => told.push(notifier.hosted()));
    notifier.register('telegram', { send: async () => ({ messageId: 'm' }) } as unknown as ChatSink);
    expect(told).toEqual([['telegram']]);
  });
});
