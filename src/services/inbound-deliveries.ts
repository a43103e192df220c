// Platform deliveries taken, by the platform's own id for them (Telegram's update_id, Slack's
// event_id or trigger_id, Discord's message or interaction id): Telegram posts an update again when
// its webhook saw no answer in time, Slack retries events and a captured request can be replayed
// within its signature's 5 minutes. A delivery is claimed before it is handled and marked done after,
// so a copy of one handled or still being handled is dropped, while a copy of one whose handling
// failed, or whose claim is older than any handling takes (the process died on it), is handled again.
// Each id is kept for a bounded time, longer than any platform retries; FerretDB has no TTL indexes,
// so expired ids are swept here now and then.
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';

/** A delivery this process is handling; say how it ended so a later copy knows what to do. */
export type DeliveryClaim = {
  /** Handled: later copies are dropped. */
  done(): Promise<void>;
  /** Not handled (an unexpected error): a later copy is handled again. */
  failed(): Promise<void>;
};

export type InboundDeliveries = {
  /** A claim when this copy is to be handled; undefined for a copy of one handled or in progress. */
  claim(deliveryId: string): Promise<DeliveryClaim | undefined>;
};

/** Telegram keeps an unconfirmed update for 24 hours; Slack's retries and replay window are minutes. */
export const DELIVERY_ID_LIFETIME_MS = 24 * 60 * 60_000;
/**
 * Longer than handling one event takes (a model's turn with its retries), so a claim this old belongs
 * to a process that died on it. Slack's last retry comes after 5 minutes, Telegram's later.
 */
export const DELIVERY_CLAIM_BOUND_MS = 3 * 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;

export function createInboundDeliveries(deps: {
  models: Pick<Models, 'InboundDelivery'>;
  now?: () => Date;
}): InboundDeliveries {
  const { InboundDelivery } = deps.models;
  const now = deps.now ?? (() => new Date());
  let lastSweep = 0;

  async function sweep(at: Date): Promise<void> {
    if (at.getTime() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = at.getTime();
    await InboundDelivery.deleteMany({ expiresAt: { $lt: at } });
  }

  /** One insert, refused by the unique index when the id is held: of two copies at once, one wins. */
  async function insert(deliveryId: string, at: Date): Promise<DeliveryClaim | undefined> {
    const token = randomUUID();
    try {
      await InboundDelivery.create({
        deliveryId,
        state: 'claimed',
        claimedAt: at,
        token,
        expiresAt: new Date(at.getTime() + DELIVERY_ID_LIFETIME_MS),
      });
    } catch (err) {
      if (isDuplicateKey(err)) return undefined;
      throw err;
    }
    const mark = (state: 'done' | 'failed') => async () => {
      // Only our own claim: one taken over from us since belongs to the copy that took it.
      await InboundDelivery.updateOne({ deliveryId, token }, { $set: { state } });
    };
    return { done: mark('done'), failed: mark('failed') };
  }

  return {
    async claim(deliveryId) {
      const at = now();
      await sweep(at);
      const claimed = await insert(deliveryId, at);
      if (claimed) return claimed;
      // Held already. Take it over when it expired unswept, its handling failed, or its claim is stale.
      // A delete then the insert, not a guarded update (FerretDB reads before it writes): two copies
      // taking over at once both delete at most the old mark, and the unique index lets one insert.
      const stale = new Date(at.getTime() - DELIVERY_CLAIM_BOUND_MS);
      const gone = await InboundDelivery.deleteOne({
        deliveryId,
        $or: [
          { expiresAt: { $lt: at } },
          { state: 'failed' },
          { state: 'claimed', claimedAt: { $lt: stale } },
        ],
      });
      return gone.deletedCount === 1 ? insert(deliveryId, at) : undefined;
    },
  };
}
