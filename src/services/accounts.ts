// Accounts: chat identities linked to one Clerk user. The account is a GenTrade user whose
// `clerkUserId` is set; every linked identity points at it, so strategies and backtests follow the
// trader across platforms. The Clerk user id is held as an identity of the pseudo-platform "clerk",
// whose unique index makes two identities linking at once agree on one account.
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { ChatAddress } from '../core/types.ts';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';
import { isTombstoned } from './clerk-tombstones.ts';
import { type MergeResult, mergeUser } from './merge.ts';
import type { QuotaService } from './quotas.ts';
import { createUserService } from './users.ts';

export const CLERK_PLATFORM = 'clerk';

export type Identity = { platform: string; platformUserId: string; displayName: string };

/** Why a link did not happen; each has its sentence in link-sentences.ts. */
export type LinkRefusal =
  | 'unknown'
  | 'expired'
  | 'used'
  | 'wrong_account'
  | 'already_linked'
  | 'rate_limited'
  | 'account_deleted';

/** A chat identity on an account: its name when known, and where a private message reaches it. */
export type LinkedIdentity = {
  platform: string;
  platformUserId: string;
  displayName: string | null;
  direct: ChatAddress | null;
};

export type LinkResult =
  | ({
      ok: true;
      identity: Identity /** The account's other chat identities. */;
      others: LinkedIdentity[];
      /** The account it joined, as the linked chat is told of it. */
      account: { clerkUserId: string; email: string | null };
    } & MergeResult)
  | { ok: false; reason: LinkRefusal; identity?: Identity; retryAt?: Date };

export type WhoAmI = {
  identity: Identity;
  clerkUserId: string | null;
  email: string | null;
  /** Every chat identity on the account (just this one for a guest). */
  identities: LinkedIdentity[];
};

export type AccountService = {
  /**
   * Links the identity to the Clerk user, merging what the identity owned into the account; `direct`
   * is kept as where a private message reaches it (the account's later link notices).
   */
  link(identity: Identity, clerkUserId: string, direct?: ChatAddress): Promise<LinkResult>;
  /**
   * Detaches the identity from its account; it starts afresh as a guest. False when it wasn't linked,
   * or, given `account`, is not linked to that account.
   */
  unlink(
    identity: { platform: string; platformUserId: string; displayName?: string },
    opts?: { account?: Types.ObjectId },
  ): Promise<boolean>;
  whoami(identity: Identity): Promise<WhoAmI>;
  /** The account of a Clerk user, if any identity was ever linked to it. */
  accountOf(clerkUserId: string): Promise<Types.ObjectId | null>;
};

export function createAccountService(deps: {
  models: Models;
  logger: Logger;
  /** Carries the account's usage to an identity that unlinks; absent where no quotas are kept. */
  quotas?: Pick<QuotaService, 'carryOver'>;
}): AccountService {
  const { User, PlatformIdentity } = deps.models;
  const users = createUserService({ models: deps.models });

  async function accountOf(clerkUserId: string): Promise<Types.ObjectId | null> {
    const row = await PlatformIdentity.findOne({
      platform: CLERK_PLATFORM,
      platformUserId: clerkUserId,
    }).lean();
    return row?.userId ?? null;
  }

  /** The identity's user, created as a guest on first sight (as the conversation core would). */
  const userOf = async (identity: Identity): Promise<Types.ObjectId> =>
    (await users.resolve(identity.platform, identity.platformUserId, identity.displayName)).id;

  /** The account's chat identities (not the Clerk pseudo-identity). */
  async function identitiesOf(userId: Types.ObjectId): Promise<LinkedIdentity[]> {
    const rows = await PlatformIdentity.find({ userId, platform: { $ne: CLERK_PLATFORM } })
      .sort({ createdAt: 1 })
      .lean();
    return rows.map((r) => ({
      platform: r.platform,
      platformUserId: r.platformUserId,
      displayName: r.displayName ?? null,
      direct: r.direct
        ? {
            platform: r.direct.platform,
            conversationId: r.direct.conversationId,
            userId: r.direct.userId,
            ...(r.direct.threadId ? { threadId: r.direct.threadId } : {}),
          }
        : null,
    }));
  }

  /** What a successful link says back: the merge, and the account's other identities to tell. */
  async function linked(
    identity: Identity,
    account: Types.ObjectId,
    merged: MergeResult,
    direct?: ChatAddress,
  ) {
    const { platform, platformUserId, displayName } = identity;
    await PlatformIdentity.updateOne(
      { platform, platformUserId },
      { $set: { displayName, ...(direct ? { direct } : {}) } },
    );
    const others = (await identitiesOf(account)).filter(
      (i) => !(i.platform === platform && i.platformUserId === platformUserId),
    );
    const user = await User.findById(account, { clerkUserId: 1, email: 1 }).lean();
    const joined = { clerkUserId: user?.clerkUserId ?? '', email: user?.email ?? null };
    return { ok: true as const, identity, others, account: joined, ...merged };
  }

  return {
    accountOf,
    async link(identity, clerkUserId, direct) {
      // A deleted Clerk user stays deleted: nothing may be linked to it, or its account would return.
      if (await isTombstoned(deps.models, clerkUserId)) {
        deps.logger.info(
          { event: 'clerk_user_tombstoned', platform: identity.platform, clerkUserId },
          'link to a deleted Clerk user refused',
        );
        return { ok: false, reason: 'account_deleted', identity };
      }
      const mine = await userOf(identity);
      const me = await User.findById(mine).lean();
      if (me?.clerkUserId === clerkUserId) return { ok: false, reason: 'already_linked', identity };
      if (me?.clerkUserId) return { ok: false, reason: 'wrong_account', identity };
      // Claim the account for this user unless another identity already made it.
      let account: Types.ObjectId | null = null;
      try {
        await PlatformIdentity.create({
          platform: CLERK_PLATFORM,
          platformUserId: clerkUserId,
          userId: mine,
        });
        account = mine;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        account = await accountOf(clerkUserId);
      }
      if (!account) throw new Error(`clerk account ${clerkUserId} vanished while linking`);
      await User.updateOne({ _id: account }, { $set: { clerkUserId } });
      if (account.equals(mine)) {
        deps.logger.info(
          { event: 'account_linked', platform: identity.platform, clerkUserId },
          'account linked',
        );
        return linked(identity, account, { moved: 0, renamed: [] }, direct);
      }
      const merged = await mergeUser(deps.models, mine, account);
      deps.logger.info(
        { event: 'account_linked', platform: identity.platform, clerkUserId, moved: merged.moved },
        'account linked; strategies merged',
      );
      return linked(identity, account, merged, direct);
    },
    async unlink({ platform, platformUserId, displayName }, opts = {}) {
      const row = await PlatformIdentity.findOne({ platform, platformUserId }).lean();
      if (!row || (opts.account && !row.userId.equals(opts.account))) return false;
      const account = await User.findById(row.userId).lean();
      if (!account?.clerkUserId) return false;
      // Counted first: the fresh guest must not start with more left than the trader had.
      await deps.quotas?.carryOver(row.userId, { platform, platformUserId });
      const guest = await User.create({ displayName: displayName ?? row.displayName ?? platformUserId });
      // Only while it still belongs to that account: a second unlink at the same time changes nothing.
      const moved = await PlatformIdentity.updateOne(
        { _id: row._id, userId: row.userId },
        { $set: { userId: guest._id } },
      );
      if (moved.modifiedCount === 0) {
        await User.deleteOne({ _id: guest._id });
        return false;
      }
      deps.logger.info({ event: 'account_unlinked', platform, clerkUserId: account.clerkUserId }, 'unlinked');
      return true;
    },
    async whoami(identity) {
      const userId = await userOf(identity);
      const user = await User.findById(userId).lean();
      return {
        identity,
        clerkUserId: user?.clerkUserId ?? null,
        email: user?.email ?? null,
        identities: await identitiesOf(userId),
      };
    },
  };
}
