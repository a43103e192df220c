// Keeps accounts in step with Clerk (its webhooks): a created or updated Clerk user becomes or updates
// the account; a deleted one takes everything with it — strategies and their versions, backtests and
// their result files, the agent's memory of its chats, link codes, and the links themselves — and the
// log says what went. Each step can run twice without harm, so a retried delivery finishes the job.
// A deleted Clerk id is marked (a tombstone) first: Svix delivers out of order, and a user.created or
// user.updated that arrives after the deletion must not bring the account back.
import type { Logger } from 'pino';
import type { Models } from '../storage/models.ts';
import { CLERK_PLATFORM } from './accounts.ts';
import { isTombstoned, tombstone } from './clerk-tombstones.ts';

/** What lives outside the collections the models know; the composition root fills these in. */
export type AccountCleanup = {
  /** Deletes a backtest's result files. */
  removeBacktestFiles(backtestId: string): Promise<void>;
  /** Forgets the agent's conversations with a chat identity; returns how many went. */
  forgetConversations(platform: string, platformUserId: string): Promise<number>;
};

export type ClerkUserFields = { clerkUserId: string; email: string | null; displayName: string };

export type DeletionReport = {
  strategies: number;
  backtests: number;
  identities: number;
  conversations: number;
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

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === DUPLICATE_KEY;

export function createAccountSync(deps: {
  models: Models;
  cleanup: AccountCleanup;
  logger: Logger;
}): AccountSync {
  const { User, PlatformIdentity, Strategy, StrategyVersion, Backtest, PendingImport, LinkCode } =
    deps.models;

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
      if (!isDuplicate(err)) throw err;
      const winner = await accountRow(u.clerkUserId);
      if (winner) await User.updateOne({ _id: winner.userId }, { $set: set });
    }
  }

  async function remove(clerkUserId: string): Promise<DeletionReport | null> {
    await tombstone(deps.models, clerkUserId);
    const row = await accountRow(clerkUserId);
    if (!row) return null;
    const ownerId = row.userId;
    const identities = await PlatformIdentity.find({
      userId: ownerId,
      platform: { $ne: CLERK_PLATFORM },
    }).lean();
    let conversations = 0;
    for (const i of identities) {
      conversations += await deps.cleanup.forgetConversations(i.platform, i.platformUserId);
      await LinkCode.deleteMany({ platform: i.platform, platformUserId: i.platformUserId });
    }
    const backtests = await Backtest.find({ ownerId }, { _id: 1 }).lean();
    for (const b of backtests) await deps.cleanup.removeBacktestFiles(b._id.toString());
    const report: DeletionReport = {
      strategies: (await Strategy.deleteMany({ ownerId })).deletedCount,
      backtests: (await Backtest.deleteMany({ ownerId })).deletedCount,
      identities: identities.length,
      conversations,
    };
    await StrategyVersion.deleteMany({ ownerId });
    await PendingImport.deleteMany({ ownerId });
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
