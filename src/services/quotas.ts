// Per-user quotas, with guest and linked defaults from config: messages per minute, strategy creations
// per hour, backtests per day and backtests queued or running at once. A refusal is an AppError('QUOTA')
// naming the limit and when it resets. What is taken for an action that then fails is given back, so
// nothing is counted that did not happen. Creations and backtests count against the chat identity that
// asked as well as the account, so unlinking (a fresh guest) and linking again starts no count afresh.
import type { Types } from 'mongoose';
import type { Quotas } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Models } from '../storage/models.ts';
import type { BacktestSlots } from './backtest-slots.ts';
import { type RateLimiter, type RateWindow, type Taken, takeAll } from './rate-limit.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The console adapter's platform name (adapters/console: CONSOLE_PLATFORM). */
const CONSOLE = 'console';
/** Help and account commands a minute, any tier: far above a person's use, well below a flood's. */
export const ACCOUNT_COMMANDS_PER_MINUTE = 20;

export type Tier = 'guest' | 'linked';

/** The chat identity that asked; usage is counted against it as well as the account. */
export type Requester = { platform: string; platformUserId: string };

/** A backtest about to be queued: its id is chosen first, so its slot names it from the start. */
export type BacktestClaim = { ownerId: Types.ObjectId; backtestId: string; by?: Requester | undefined };

export type QuotaService = {
  tierOf(ownerId: Types.ObjectId): Promise<Tier>;
  /** Counts one incoming message; refuses past the per-minute limit. */
  message(ownerId: Types.ObjectId): Promise<void>;
  /**
   * Counts one help or account command (/help, /start, /whoami, /link, /unlink). These stay open past
   * the messages limit, so one who hit it can learn why and link; their own limit, the same for every
   * tier, only stops a flood.
   */
  accountCommand(ownerId: Types.ObjectId): Promise<void>;
  /** Refuses now when no strategy could be created, before a slow draft (counts nothing). */
  checkStrategy(ownerId: Types.ObjectId, by?: Requester): Promise<void>;
  /** Runs `create` under the hourly limit; a creation that fails is not counted. */
  strategy<T>(ownerId: Types.ObjectId, create: () => Promise<T>, by?: Requester): Promise<T>;
  /**
   * Runs `queue` under the daily and at-once backtest limits. `queue` says whether it made a new run
   * (joining one already waiting costs nothing); one that throws is not counted.
   */
  backtest<T extends { created: boolean }>(claim: BacktestClaim, queue: () => Promise<T>): Promise<T>;
  /** Gives back the at-once slots of backtests that finished, failed or were cancelled. */
  backtestsDone(backtestIds: readonly string[]): Promise<void>;
  /**
   * An identity leaves the account (/unlink): its counts in the current windows become at least the
   * account's, so the fresh guest has not more left than the trader had.
   */
  carryOver(fromOwner: Types.ObjectId, to: Requester): Promise<void>;
};

/** "14:00 UTC", with the date when it is not today. */
function when(resetsAt: Date, now: Date): string {
  const time = `${resetsAt.toISOString().slice(11, 16)} UTC`;
  return resetsAt.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)
    ? time
    : `${time} on ${resetsAt.toISOString().slice(0, 10)}`;
}

/** The counters one kind of usage is counted in: the account's, and the asking identity's. */
function subjects(kind: string, ownerId: Types.ObjectId, by: Requester | undefined): string[] {
  const account = `quota:${kind}:${ownerId.toString()}`;
  return by ? [account, `quota:${kind}:${by.platform}:${by.platformUserId}`] : [account];
}

/** Usage carried to an identity on /unlink. */
const CARRIED: readonly [kind: string, windowMs: number][] = [
  ['strategies', HOUR],
  ['backtests', DAY],
];

export function createQuotaService(deps: {
  models: Models;
  limiter: RateLimiter;
  slots: BacktestSlots;
  quotas: { guest: Quotas; linked: Quotas };
  now?: () => Date;
}): QuotaService {
  const { User, PlatformIdentity } = deps.models;
  const now = deps.now ?? (() => new Date());

  // Accounts with a console identity: the operator at the machine's own terminal (`npm start`), never a
  // stranger to hold back, gets the linked tier's limits without an account to link. Remembered once seen.
  const atTheConsole = new Set<string>();
  async function tierOf(ownerId: Types.ObjectId): Promise<Tier> {
    if (atTheConsole.has(ownerId.toString())) return 'linked';
    const user = await User.findById(ownerId, { clerkUserId: 1 }).lean();
    if (user?.clerkUserId) return 'linked';
    if (await PlatformIdentity.exists({ userId: ownerId, platform: CONSOLE })) {
      atTheConsole.add(ownerId.toString());
      return 'linked';
    }
    return 'guest';
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

  /** Takes one in every counter, or none: a refusal gives back what was taken. */
  async function take(keys: string[], w: RateWindow, what: string, tier: Tier): Promise<Taken['release']> {
    const taken = await takeAll(deps.limiter, keys, w);
    if (!taken.allowed) throw refuse(what, w.limit, taken.resetsAt, tier);
    return taken.release;
  }

  return {
    tierOf,
    async message(ownerId) {
      const { tier, q } = await limitsOf(ownerId);
      const w = { limit: q.messagesPerMinute, windowMs: MINUTE };
      await take(subjects('messages', ownerId, undefined), w, 'messages a minute', tier);
    },
    async accountCommand(ownerId) {
      const tier = await tierOf(ownerId);
      const w = { limit: ACCOUNT_COMMANDS_PER_MINUTE, windowMs: MINUTE };
      await take(
        subjects('account-commands', ownerId, undefined),
        w,
        'help and account commands a minute',
        tier,
      );
    },
    async checkStrategy(ownerId, by) {
      const { tier, q } = await limitsOf(ownerId);
      const w = { limit: q.strategiesPerHour, windowMs: HOUR };
      for (const key of subjects('strategies', ownerId, by)) {
        const used = await deps.limiter.used(key, w);
        if (used.count >= w.limit) throw refuse('new strategies an hour', w.limit, used.resetsAt, tier);
      }
    },
    async strategy(ownerId, create, by) {
      const { tier, q } = await limitsOf(ownerId);
      const w = { limit: q.strategiesPerHour, windowMs: HOUR };
      const release = await take(subjects('strategies', ownerId, by), w, 'new strategies an hour', tier);
      try {
        return await create();
      } catch (err) {
        await release();
        throw err;
      }
    },
    async backtest(claim, queue) {
      const { tier, q } = await limitsOf(claim.ownerId);
      const slotFree = await deps.slots.take(claim.ownerId.toString(), q.backtestsAtOnce, claim.backtestId);
      if (!slotFree) {
        throw new AppError(
          'QUOTA',
          `You have reached your limit of ${q.backtestsAtOnce} ${q.backtestsAtOnce === 1 ? 'backtest' : 'backtests'} queued or running at once. You can queue another as soon as one of them finishes.${more(tier)}`,
        );
      }
      const giveSlotBack = () => deps.slots.release([claim.backtestId]);
      let release: Taken['release'];
      try {
        const w = { limit: q.backtestsPerDay, windowMs: DAY };
        release = await take(subjects('backtests', claim.ownerId, claim.by), w, 'backtests a day', tier);
      } catch (err) {
        await giveSlotBack();
        throw err;
      }
      try {
        const result = await queue();
        if (!result.created) {
          await release();
          await giveSlotBack();
        }
        return result;
      } catch (err) {
        await release();
        await giveSlotBack();
        throw err;
      }
    },
    async backtestsDone(backtestIds) {
      await deps.slots.release(backtestIds);
    },
    async carryOver(fromOwner, to) {
      for (const [kind, windowMs] of CARRIED) {
        const w = { limit: 0, windowMs };
        const [account, identity] = subjects(kind, fromOwner, to);
        if (!account || !identity) continue;
        const used = await deps.limiter.used(account, w);
        await deps.limiter.raise(identity, w, used.count);
      }
    },
  };
}
