// Platform deliveries already taken, by the platform's own id for them (Telegram's update_id, Slack's
// event_id or trigger_id, Discord's message or interaction id): Telegram posts an update again when
// its webhook saw no answer in time, Slack retries events and a captured request can be replayed
// within its signature's 5 minutes. Each id is kept for a bounded time, longer than any platform
// retries; FerretDB has no TTL indexes, so expired ids are swept here now and then.
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';

export type InboundDeliveries = {
  /** True the first time `deliveryId` is seen within its lifetime; false for a repeat. */
  firstTime(deliveryId: string): Promise<boolean>;
};

/** Telegram keeps an unconfirmed update for 24 hours; Slack's retries and replay window are minutes. */
export const DELIVERY_ID_LIFETIME_MS = 24 * 60 * 60_000;
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

  return {
    async firstTime(deliveryId) {
      const at = now();
      const expiresAt = new Date(at.getTime() + DELIVERY_ID_LIFETIME_MS);
      await sweep(at);
      try {
        // The unique index makes this the one check: of two copies arriving at once, one insert wins.
        await InboundDelivery.create({ deliveryId, expiresAt });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Seen before: a repeat, unless that mark expired and was not swept yet.
      const renewed = await InboundDelivery.updateOne(
        { deliveryId, expiresAt: { $lt: at } },
        { $set: { expiresAt } },
      );
      return renewed.modifiedCount === 1;
    },
  };
}
