// The "backtests queued or running at once" limit without a race: each run takes a numbered slot of
// its owner by inserting a document, and the unique (userKey, slot) index refuses a second taker, so
// N requests at the same moment get exactly the free slots between them. A slot is given back when its
// run finishes, fails, is cancelled or deleted; one whose run ended without giving it back (a crash, a
// status set by hand) is reclaimed when the owner finds every slot held.
import { Types } from 'mongoose';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';

export type BacktestSlots = {
  /** Takes a free slot below `limit` for the backtest about to be queued; false when all are held. */
  take(userKey: string, limit: number, backtestId: string): Promise<boolean>;
  /** Gives back the slots of these backtests; giving one back twice does nothing. */
  release(backtestIds: readonly string[]): Promise<number>;
};

/** A slot without its backtest yet is a run being queued; past this it was never queued (a crash). */
const QUEUEING_GRACE_MS = 60_000;

export function createBacktestSlots(deps: { models: Models; now?: () => Date }): BacktestSlots {
  const { BacktestSlot, Backtest } = deps.models;
  const now = deps.now ?? (() => new Date());

  /**
   * Inserts into the first free slot below `limit`; the index settles who gets a contested one. An
   * owner holding `limit` slots or more (some numbered past it, brought along by a link) gets none.
   */
  async function tryTake(userKey: string, limit: number, backtestId: string): Promise<boolean> {
    const held = new Set((await BacktestSlot.find({ userKey }, { slot: 1 }).lean()).map((s) => s.slot));
    if (held.size >= limit) return false;
    for (let slot = 0; slot < limit; slot++) {
      if (held.has(slot)) continue;
      try {
        await BacktestSlot.create({ userKey, slot, backtestId, takenAt: now() });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    return false;
  }

  /** Frees the owner's slots whose run is over or was never queued; true when any was. */
  async function reclaim(userKey: string): Promise<boolean> {
    const slots = await BacktestSlot.find({ userKey }).lean();
    const ids = slots.map((s) => s.backtestId).filter((id) => Types.ObjectId.isValid(id));
    // Which exist first, then which are live: a backtest queued between the two reads is seen as live or
    // not yet existing (inside the grace), never as an existing one that is over.
    const exists = new Set(
      (await Backtest.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((b) => b._id.toString()),
    );
    const live = new Set(
      (
        await Backtest.find({ _id: { $in: ids }, status: { $in: ['queued', 'running'] } }, { _id: 1 }).lean()
      ).map((b) => b._id.toString()),
    );
    const stale = slots.filter(
      (s) =>
        !live.has(s.backtestId) &&
        (exists.has(s.backtestId) || now().getTime() - s.takenAt.getTime() > QUEUEING_GRACE_MS),
    );
    if (stale.length === 0) return false;
    await BacktestSlot.deleteMany({ _id: { $in: stale.map((s) => s._id) } });
    return true;
  }

  return {
    async take(userKey, limit, backtestId) {
      if (await tryTake(userKey, limit, backtestId)) return true;
      return (await reclaim(userKey)) && tryTake(userKey, limit, backtestId);
    },
    async release(backtestIds) {
      if (backtestIds.length === 0) return 0;
      return (await BacktestSlot.deleteMany({ backtestId: { $in: [...backtestIds] } })).deletedCount;
    },
  };
}

/**
 * Hands `fromKey`'s slots to `intoKey` (a chat's runs joining an account when it links), each under the
 * next number the account doesn't hold, past its limit if need be: those runs are queued already and
 * keep going, and the account takes no new slot until it holds fewer than its limit again.
 */
export async function moveSlots(models: Models, fromKey: string, intoKey: string): Promise<void> {
  const { BacktestSlot } = models;
  for (const s of await BacktestSlot.find({ userKey: fromKey }).lean()) {
    const held = new Set(
      (await BacktestSlot.find({ userKey: intoKey }, { slot: 1 }).lean()).map((x) => x.slot),
    );
    for (let slot = 0; ; slot++) {
      if (held.has(slot)) continue;
      try {
        await BacktestSlot.updateOne({ _id: s._id }, { $set: { userKey: intoKey, slot } });
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        held.add(slot); // taken meanwhile by a new run of the account's
      }
    }
  }
}
