// Fixed-window counters in the database, shared by every process: rate limits on link attempts and the
// per-user quotas. A window is aligned to the clock (a day is a UTC day), so "resets at" is a time
// anyone can say. What was taken for an action that then didn't happen is given back, so a refused or
// failed request costs nothing. Every change is a compare-and-set on the count read (retried when
// another got there first), never an $inc: the embedded FerretDB applies concurrent $inc to one
// document with lost updates (40 at once left 5 to 28), which let requests at the same moment pass a
// limit. MongoDB makes the conditional write atomic; FerretDB nearly (3 lost of 40 at once), so this
// process also runs the changes to one counter one after another (one-at-a-time.ts; the bot process
// is the one that takes, workers only run backtests).
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';
import { oneAtATime } from './one-at-a-time.ts';

export type RateWindow = { limit: number; windowMs: number };

export type Taken = {
  allowed: boolean;
  /** When this window ends and the count starts again. */
  resetsAt: Date;
  /** Gives the unit back (the action did not happen); only once. */
  release(): Promise<void>;
};

export type RateLimiter = {
  /** Counts one against `subject`; over the limit it is given back at once and `allowed` is false. */
  take(subject: string, w: RateWindow): Promise<Taken>;
  /** How many `subject` used in the current window, without counting one. */
  used(subject: string, w: RateWindow): Promise<{ count: number; resetsAt: Date }>;
  /** Counts `n` against `subject` whatever the limit (failed attempts). */
  add(subject: string, w: RateWindow, n?: number): Promise<number>;
  /** Makes `subject`'s count in the current window at least `n` (usage carried over from another). */
  raise(subject: string, w: RateWindow, n: number): Promise<void>;
};

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Takes one from each subject's counter, or none: when one is at its limit, what was taken from the
 * others is given back and the refusal carries that counter's reset.
 */
export async function takeAll(
  limiter: RateLimiter,
  subjects: readonly string[],
  w: RateWindow,
): Promise<{ allowed: false; resetsAt: Date } | { allowed: true; release(): Promise<void> }> {
  const taken: Taken[] = [];
  const release = async () => {
    for (const t of taken) await t.release();
  };
  for (const subject of subjects) {
    const t = await limiter.take(subject, w);
    if (!t.allowed) {
      await release();
      return { allowed: false, resetsAt: t.resetsAt };
    }
    taken.push(t);
  }
  return { allowed: true, release };
}

export function createRateLimiter(deps: { models: Models; now?: () => Date }): RateLimiter {
  const { RateCounter } = deps.models;
  const now = deps.now ?? (() => new Date());
  let lastSweep = 0;

  const slot = (subject: string, w: RateWindow) => {
    const t = now().getTime();
    const start = Math.floor(t / w.windowMs) * w.windowMs;
    return { key: `${subject}@${start}`, resetsAt: new Date(start + w.windowMs) };
  };

  async function sweep(): Promise<void> {
    const t = now().getTime();
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    await RateCounter.deleteMany({ expiresAt: { $lt: new Date(t) } });
  }

  /**
   * Sets the window's count to `next(count)` as one atomic step, or leaves it when `next` says null.
   * Returns the count it left.
   */
  async function change(
    key: string,
    resetsAt: Date,
    next: (count: number) => number | null,
  ): Promise<{ count: number; changed: boolean }> {
    return oneAtATime(key, () => compareAndSet(key, resetsAt, next));
  }

  async function compareAndSet(
    key: string,
    resetsAt: Date,
    next: (count: number) => number | null,
  ): Promise<{ count: number; changed: boolean }> {
    for (;;) {
      const doc = await RateCounter.findOne({ key }).lean();
      const count = doc?.count ?? 0;
      const to = next(count);
      if (to === null) return { count, changed: false };
      if (!doc) {
        try {
          await RateCounter.create({ key, count: to, expiresAt: resetsAt });
          return { count: to, changed: true };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          continue; // made meanwhile by another: read it again
        }
      }
      const set = await RateCounter.updateOne({ key, count }, { $set: { count: to } });
      if (set.modifiedCount === 1) return { count: to, changed: true };
    }
  }

  async function add(subject: string, w: RateWindow, n = 1): Promise<number> {
    const { key, resetsAt } = slot(subject, w);
    await sweep();
    return (await change(key, resetsAt, (c) => c + n)).count;
  }

  return {
    add,
    async take(subject, w) {
      const { key, resetsAt } = slot(subject, w);
      await sweep();
      const { changed } = await change(key, resetsAt, (c) => (c < w.limit ? c + 1 : null));
      if (!changed) return { allowed: false, resetsAt, release: async () => undefined };
      let given = false;
      const release = async () => {
        if (given) return;
        given = true;
        await change(key, resetsAt, (c) => (c > 0 ? c - 1 : null));
      };
      return { allowed: true, resetsAt, release };
    },
    async raise(subject, w, n) {
      if (n <= 0) return;
      const { key, resetsAt } = slot(subject, w);
      await change(key, resetsAt, (c) => (c < n ? n : null));
    },
    async used(subject, w) {
      const { key, resetsAt } = slot(subject, w);
      const doc = await RateCounter.findOne({ key }).lean();
      return { count: doc?.count ?? 0, resetsAt };
    },
  };
}
