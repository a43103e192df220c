// The pace of a progress message's edits: at most one edit every 2 seconds per message, the newest
// state always shown. A state that comes too soon waits for its turn, and while it waits a newer state
// of at least its rank takes its place (coalescing), so a run reporting every quarter second edits its
// message every 2 seconds with whatever is newest then. Intermediate states also wait 2 seconds after
// the message was posted; a final state right after the post goes at once, so a fast backtest's card
// is not held back by the pace meant for slow ones.
import { isFinalState, PROGRESS_RANK, type ProgressState } from './types.ts';

export const EDIT_EVERY_MS = 2_000;

/** What is stored of a progress message's last writes (see the Delivery model). */
export type Written = { edits?: number | null; writtenAt?: Date | null };

/** How long a state must wait before it may edit the message `previous` describes (0: now). */
export function paceWait(previous: Written | null, state: ProgressState, now: number): number {
  if (!previous?.writtenAt) return 0; // nothing posted yet: a post is not an edit
  if (isFinalState(state) && (previous.edits ?? 0) === 0) return 0;
  return Math.max(0, previous.writtenAt.getTime() + EDIT_EVERY_MS - now);
}

type Entry = { seq: number; rank: number };

/** The states waiting to be sent per message, to tell when a newer one makes a waiting one moot. */
export type PaceQueue = {
  enter(key: string, state: ProgressState): Entry;
  /** True when a state of at least this one's rank came after it: it need not be sent. */
  superseded(key: string, entry: Entry): boolean;
  leave(key: string, entry: Entry): void;
  /**
   * Waits `ms`, or less: it ends as soon as a state of at least this one's rank comes for the message,
   * since this one will not be sent then. A fast run's card, queued behind a "running" state waiting for
   * its turn, goes out when it comes, not when that wait would have ended.
   */
  wait(key: string, entry: Entry, ms: number): Promise<void>;
};

export function createPaceQueue(): PaceQueue {
  const waiting = new Map<string, Entry[]>();
  const sleepers = new Map<string, Set<{ entry: Entry; wake: () => void }>>();
  let seq = 0;
  const superseded = (key: string, entry: Entry) =>
    (waiting.get(key) ?? []).some((e) => e.seq > entry.seq && e.rank >= entry.rank);
  return {
    enter(key, state) {
      const entry = { seq: ++seq, rank: PROGRESS_RANK[state] };
      waiting.set(key, [...(waiting.get(key) ?? []), entry]);
      for (const sleeper of sleepers.get(key) ?? []) if (sleeper.entry.rank <= entry.rank) sleeper.wake();
      return entry;
    },
    superseded,
    wait(key, entry, ms) {
      if (ms <= 0 || superseded(key, entry)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const asleep = sleepers.get(key) ?? new Set();
        sleepers.set(key, asleep);
        const sleeper = {
          entry,
          wake: () => {
            clearTimeout(timer);
            asleep.delete(sleeper);
            if (asleep.size === 0 && sleepers.get(key) === asleep) sleepers.delete(key);
            resolve();
          },
        };
        const timer = setTimeout(sleeper.wake, ms);
        asleep.add(sleeper);
      });
    },
    leave(key, entry) {
      const rest = (waiting.get(key) ?? []).filter((e) => e !== entry);
      if (rest.length > 0) waiting.set(key, rest);
      else waiting.delete(key);
    },
  };
}
