// Fixed-window counters in the database, shared by every process: rate limits on link attempts and the
// per-user quotas. A window is aligned to the clock (a day is a UTC day), so "resets at" is a time
// anyone can say. Taking is one atomic upserting $inc; what was taken for an action that then didn't
// happen is given back, so a refused or failed request costs nothing.
import type { Models } from '../storage/models.ts';

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

  async function add(subject: string, w: RateWindow, n = 1): Promise<number> {
    const { key, resetsAt } = slot(subject, w);
    await sweep();
    const doc = await RateCounter.findOneAndUpdate(
      { key },
      { $inc: { count: n }, $setOnInsert: { expiresAt: resetsAt } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return doc?.count ?? n;
  }

  return {
    add,
    async take(subject, w) {
      const { key, resetsAt } = slot(subject, w);
      const count = await add(subject, w);
      let given = false;
      const release = async () => {
        if (given) return;
        given = true;
        await RateCounter.updateOne({ key }, { $inc: { count: -1 } });
      };
      if (count > w.limit) {
        await release();
        return { allowed: false, resetsAt, release: async () => undefined };
      }
      return { allowed: true, resetsAt, release };
    },
    async raise(subject, w, n) {
      if (n <= 0) return;
      const { key, resetsAt } = slot(subject, w);
      await RateCounter.updateOne(
        { key },
        { $max: { count: n }, $setOnInsert: { expiresAt: resetsAt } },
        { upsert: true },
      );
    },
    async used(subject, w) {
      const { key, resetsAt } = slot(subject, w);
      const doc = await RateCounter.findOne({ key }).lean();
      return { count: doc?.count ?? 0, resetsAt };
    },
  };
}
