// Keeps accounts in step with Clerk (its webhooks): a created or updated Clerk user becomes or updates
// the account; a deleted one takes everything with it — strategies and their versions, backtests and
// their result files and the result cache's keys for them, the console's charts, the agent's memory of its chats, forms being filled in,
// messages waiting in the outbox and the records of messages shown, link codes, and the links
// themselves — and the log says how many of each went. Each step can run twice without harm, so a retried delivery finishes the job.
// A deleted Clerk id is marked (a tombstone) first: Svix delivers out of order, and a user.created or
// user.updated that arrives after the deletion must not bring the account back.
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';
import { CLERK_PLATFORM } from './accounts.ts';
import { createBacktestPayloads } from './backtest-payloads.ts';
import type { BacktestService } from './backtests.ts';
import { isTombstoned, tombstone } from './clerk-tombstones.ts';

/** What lives outside the collections the models know; the composition root fills these in. */
export type AccountCleanup = {
  /** Deletes a backtest's result files; true when there were any. */
  removeBacktestFiles(backtestId: string): Promise<boolean>;
  /** Deletes the chart images saved for a chat identity; returns how many went. */
  removeChartFiles(platform: string, platformUserId: string): Promise<number>;
  /** Forgets the agent's conversations with a chat identity; returns how many went. */
  forgetConversations(platform: string, platformUserId: string): Promise<number>;
  /**
   * Cancels the account's queued and running backtests, as its owner's Cancel would (the engine run
   * stops wherever it runs); returns how many were stopped.
   */
  cancelLive(ownerId: Types.ObjectId): Promise<number>;
};

/** `cancelLive` through the backtest service: each live run cancelled as its owner's Cancel would. */
export function cancelLiveWith(backtests: Pick<BacktestService, 'live' | 'cancel'>) {
  return async (ownerId: Types.ObjectId): Promise<number> => {
    let stopped = 0;
    for (const run of await backtests.live(ownerId))
      if ((await backtests.cancel(ownerId, run._id.toString())).cancelled) stopped++;
    return stopped;
  };
}

export type ClerkUserFields = { clerkUserId: string; email: string | null; displayName: string };

export type DeletionReport = {
  strategies: number;
  strategyVersions: number;
  backtests: number;
  /** Queued or running backtests stopped first. */
  cancelledRuns: number;
  /** Backtests whose result folder was on disk. */
  resultFiles: number;
  charts: number;
  pendingImports: number;
  identities: number;
  conversations: number;
  formSessions: number;
  outbox: number;
  deliveries: number;
  linkCodes: number;
  /** At-once slots its queued or running backtests held. */
  backtestSlots: number;
  /** Result cache keys that answered from its backtests' figures. */
  cachedResults: number;
  /** Its backtests' payloads (code run, figures). */
  backtestPayloads: number;
};

export type AccountSync = {
  /**
   * user.created / user.updated: the account exists and carries the current email and name; false
   * when the Clerk user was deleted already (a late delivery), and nothing was done.
   */
  upsert(user: ClerkUserFields): Promise<boolean>;
  /**
   * user.deleted: the Clerk id is marked deleted for good and everything of the account goes; null
   * when there was no account.
   */
  remove(clerkUserId: string): Promise<DeletionReport | null>;
};

export function createAccountSync(deps: {
  models: Models;
  cleanup: AccountCleanup;
  logger: Logger;
}): AccountSync {
  const { User, PlatformIdentity, Strategy, StrategyVersion, Backtest, PendingImport, LinkCode } =
    deps.models;
  const { FormSession, Outbox, Delivery, BacktestSlot, ResultCache, BacktestEnd } = deps.models;

  const accountRow = (clerkUserId: string) =>
    PlatformIdentity.findOne({ platform: CLERK_PLATFORM, platformUserId: clerkUserId }).lean();

  async function upsert(u: ClerkUserFields): Promise<boolean> {
    if (await isTombstoned(deps.models, u.clerkUserId)) {
      deps.logger.info(
        { event: 'clerk_user_tombstoned', clerkUserId: u.clerkUserId },
        'Clerk user was deleted; a late created/updated is ignored',
      );
      return false;
    }
    await upsertAccount(u);
    // A deletion that landed while this ran finds what it made, or this finds the tombstone.
    if (await isTombstoned(deps.models, u.clerkUserId)) {
      await remove(u.clerkUserId);
      return false;
    }
    return true;
  }

  async function upsertAccount(u: ClerkUserFields): Promise<void> {
    const set = { clerkUserId: u.clerkUserId, email: u.email, displayName: u.displayName };
    const row = await accountRow(u.clerkUserId);
    if (row) {
      await User.updateOne({ _id: row.userId }, { $set: set });
      return;
    }
    // Made now, the account is where the first linked identity's strategies go.
    const user = await User.create(set);
    try {
      await PlatformIdentity.create({
        platform: CLERK_PLATFORM,
        platformUserId: u.clerkUserId,
        userId: user._id,
      });
    } catch (err) {
      await User.deleteOne({ _id: user._id });
      if (!isDuplicateKey(err)) throw err;
      const winner = await accountRow(u.clerkUserId);
      if (winner) await User.updateOne({ _id: winner.userId }, { $set: set });
    }
  }

  async function remove(clerkUserId: string): Promise<DeletionReport | null> {
    await tombstone(deps.models, clerkUserId);
    const row = await accountRow(clerkUserId);
    if (!row) return null;
    const ownerId = row.userId;
    // Runs stop before anything goes: a run left going would write its results after the account went.
    const cancelledRuns = await deps.cleanup.cancelLive(ownerId);
    const identities = await PlatformIdentity.find({
      userId: ownerId,
      platform: { $ne: CLERK_PLATFORM },
    }).lean();
    const backtests = await Backtest.find({ ownerId }, { _id: 1 }).lean();
    const backtestIds = backtests.map((b) => b._id.toString());
    const report: DeletionReport = {
      strategies: 0,
      strategyVersions: 0,
      backtests: 0,
      cancelledRuns,
      resultFiles: 0,
      charts: 0,
      pendingImports: 0,
      identities: identities.length,
      conversations: 0,
      formSessions: 0,
      outbox: 0,
      deliveries: 0,
      linkCodes: 0,
      backtestSlots: 0,
      cachedResults: 0,
      backtestPayloads: 0,
    };
    // What is kept per chat identity: the agent's memory, forms, messages waiting or shown, files.
    for (const i of identities) {
      const chat = { platform: i.platform, platformUserId: i.platformUserId };
      report.conversations += await deps.cleanup.forgetConversations(i.platform, i.platformUserId);
      report.charts += await deps.cleanup.removeChartFiles(i.platform, i.platformUserId);
      report.linkCodes += (await LinkCode.deleteMany(chat)).deletedCount;
      report.formSessions += (
        await FormSession.deleteMany({ platform: i.platform, userId: i.platformUserId })
      ).deletedCount;
      report.outbox += (
        await Outbox.deleteMany({ platform: i.platform, 'address.userId': i.platformUserId })
      ).deletedCount;
      report.deliveries += (
        await Delivery.deleteMany({ platform: i.platform, userId: i.platformUserId })
      ).deletedCount;
    }
    // A backtest's messages may have gone to another chat of the trader's (a group): by its key.
    report.outbox += (await Outbox.deleteMany({ progressKey: { $in: backtestIds } })).deletedCount;
    report.deliveries += (await Delivery.deleteMany({ progressKey: { $in: backtestIds } })).deletedCount;
    for (const id of backtestIds) if (await deps.cleanup.removeBacktestFiles(id)) report.resultFiles++;
    report.backtestSlots = (
      await BacktestSlot.deleteMany({
        $or: [{ userKey: ownerId.toString() }, { backtestId: { $in: backtestIds } }],
      })
    ).deletedCount;
    // The cache keeps no figures of its own, but its keys say what this account's code did.
    report.cachedResults = (
      await ResultCache.deleteMany({ backtestId: { $in: backtests.map((b) => b._id) } })
    ).deletedCount;
    report.strategies = (await Strategy.deleteMany({ ownerId })).deletedCount;
    report.strategyVersions = (await StrategyVersion.deleteMany({ ownerId })).deletedCount;
    report.backtests = (await Backtest.deleteMany({ ownerId })).deletedCount;
    // After their records: a payload is never read without its record, a record may be read without one.
    report.backtestPayloads = await createBacktestPayloads(deps.models).remove(backtestIds);
    // A cancelled end stays (it names no one): a worker in another process reads it to stop the run.
    await BacktestEnd.deleteMany({ _id: { $in: backtestIds }, status: { $ne: 'cancelled' } });
    report.pendingImports = (await PendingImport.deleteMany({ ownerId })).deletedCount;
    // The links go last: until then a retried delivery still finds the account to finish with.
    await PlatformIdentity.deleteMany({ userId: ownerId });
    await User.deleteOne({ _id: ownerId });
    deps.logger.info(
      { event: 'account_deleted', clerkUserId, ...report },
      'Clerk user deleted; account removed',
    );
    return report;
  }

  return { upsert, remove };
}
