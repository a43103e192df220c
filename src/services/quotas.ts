// Per-user quotas, with guest and linked defaults from config: messages per minute, strategy creations
// per hour, backtests per day and backtests queued or running at once. A refusal is an AppError('QUOTA')
// naming the limit and when it resets. What is taken for an action that then fails is given back, so
// nothing is counted that did not happen.
import type { Types } from 'mongoose';
import type { Quotas } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Models } from '../storage/models.ts';
import type { RateLimiter, RateWindow } from './rate-limit.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Tier = 'guest' | 'linked';

export type QuotaService = {
  tierOf(ownerId: Types.ObjectId): Promise<Tier>;
  /** Counts one incoming message; refuses past the per-minute limit. */
  message(ownerId: Types.ObjectId): Promise<void>;
  /** Refuses now when no strategy could be created, before a slow draft (counts nothing). */
  checkStrategy(ownerId: Types.ObjectId): Promise<void>;
  /** Runs `create` under the hourly limit; a creation that fails is not counted. */
  strategy<T>(ownerId: Types.ObjectId, create: () => Promise<T>): Promise<T>;
  /**
   * Runs `queue` under the daily and at-once backtest limits. `queue` says whether it made a new run
   * (joining one already waiting costs nothing); one that throws is not counted.
   */
  backtest<T extends { created: boolean }>(ownerId: Types.ObjectId, queue: () => Promise<T>): Promise<T>;
};

/** "14:00 UTC", with the date when it is not today. */
function when(resetsAt: Date, now: Date): string {
  const time = `${resetsAt.toISOString().slice(11, 16)} UTC`;
  return resetsAt.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)
    ? time
    : `${time} on ${resetsAt.toISOString().slice(0, 10)}`;
}

export function createQuotaService(deps: {
  models: Models;
  limiter: RateLimiter;
  quotas: { guest: Quotas; linked: Quotas };
  now?: () => Date;
}): QuotaService {
  const { User, Backtest } = deps.models;
  const now = deps.now ?? (() => new Date());

  async function tierOf(ownerId: Types.ObjectId): Promise<Tier> {
    const user = await User.findById(ownerId, { clerkUserId: 1 }).lean();
    return user?.clerkUserId ? 'linked' : 'guest';
  }
  const limitsOf = async (ownerId: Types.ObjectId) => {
    const tier = await tierOf(ownerId);
    return { tier, q: deps.quotas[tier] };
  };
  const more = (tier: Tier) => (tier === 'guest' ? ' Link an account with /link for more.' : '');

  function refuse(what: string, limit: number, resetsAt: Date, tier: Tier): AppError {
    return new AppError(
      'QUOTA',
      `You have reached your limit of ${limit} ${what}. It resets at ${when(resetsAt, now())}.${more(tier)}`,
    );
  }

  async function take(ownerId: Types.ObjectId, kind: string, w: RateWindow, what: string, tier: Tier) {
    const taken = await deps.limiter.take(`quota:${kind}:${ownerId.toString()}`, w);
    if (!taken.allowed) throw refuse(what, w.limit, taken.resetsAt, tier);
    return taken;
  }

  return {
    tierOf,
    async message(ownerId) {
      const { tier, q } = await limitsOf(ownerId);
      await take(
        ownerId,
        'messages',
        { limit: q.messagesPerMinute, windowMs: MINUTE },
        'messages a minute',
        tier,
      );
    },
    async checkStrategy(ownerId) {
      const { tier, q } = await limitsOf(ownerId);
      const w = { limit: q.strategiesPerHour, windowMs: HOUR };
      const used = await deps.limiter.used(`quota:strategies:${ownerId.toString()}`, w);
      if (used.count >= w.limit) throw refuse('new strategies an hour', w.limit, used.resetsAt, tier);
    },
    async strategy(ownerId, create) {
      const { tier, q } = await limitsOf(ownerId);
      const w = { limit: q.strategiesPerHour, windowMs: HOUR };
      const taken = await take(ownerId, 'strategies', w, 'new strategies an hour', tier);
      try {
        return await create();
      } catch (err) {
        await taken.release();
        throw err;
      }
    },
    async backtest(ownerId, queue) {
      const { tier, q } = await limitsOf(ownerId);
      const running = await Backtest.countDocuments({ ownerId, status: { $in: ['queued', 'running'] } });
      if (running >= q.backtestsAtOnce) {
        throw new AppError(
          'QUOTA',
          `You have reached your limit of ${q.backtestsAtOnce} ${q.backtestsAtOnce === 1 ? 'backtest' : 'backtests'} queued or running at once. It resets as soon as one finishes.${more(tier)}`,
        );
      }
      const taken = await take(
        ownerId,
        'backtests',
        { limit: q.backtestsPerDay, windowMs: DAY },
        'backtests a day',
        tier,
      );
      try {
        const result = await queue();
        if (!result.created) await taken.release();
        return result;
      } catch (err) {
        await taken.release();
        throw err;
      }
    },
  };
}
