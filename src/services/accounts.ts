// Accounts: chat identities linked to one Clerk user. The account is a GenTrade user whose
// `clerkUserId` is set; every linked identity points at it, so strategies and backtests follow the
// trader across platforms. The Clerk user id is held as an identity of the pseudo-platform "clerk",
// whose unique index makes two identities linking at once agree on one account.
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../storage/models.ts';
import { isTombstoned } from './clerk-tombstones.ts';
import { type MergeResult, mergeUser } from './merge.ts';
import type { QuotaService } from './quotas.ts';

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

export type LinkResult =
  | ({ ok: true; identity: Identity } & MergeResult)
  | { ok: false; reason: LinkRefusal; identity?: Identity; retryAt?: Date };

export type WhoAmI = {
  identity: Identity;
  clerkUserId: string | null;
  email: string | null;
  /** Every chat identity on the account (just this one for a guest). */
  identities: { platform: string; platformUserId: string }[];
};

export type AccountService = {
  /** Links the identity to the Clerk user, merging what the identity owned into the account. */
  link(identity: Identity, clerkUserId: string): Promise<LinkResult>;
  /** Detaches the identity from its account; it starts afresh as a guest. False when it wasn't linked. */
  unlink(platform: string, platformUserId: string, displayName: string): Promise<boolean>;
  whoami(identity: Identity): Promise<WhoAmI>;
  /** The account of a Clerk user, if any identity was ever linked to it. */
  accountOf(clerkUserId: string): Promise<Types.ObjectId | null>;
};

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === DUPLICATE_KEY;

export function createAccountService(deps: {
  models: Models;
  logger: Logger;
  /** Carries the account's usage to an identity that unlinks; absent where no quotas are kept. */
  quotas?: Pick<QuotaService, 'carryOver'>;
}): AccountService {
  const { User, PlatformIdentity } = deps.models;

  async function accountOf(clerkUserId: string): Promise<Types.ObjectId | null> {
    const row = await PlatformIdentity.findOne({
      platform: CLERK_PLATFORM,
      platformUserId: clerkUserId,
    }).lean();
    return row?.userId ?? null;
  }

  /** The identity's user, created as a guest on first sight (as the conversation core would). */
  async function userOf(identity: Identity): Promise<Types.ObjectId> {
    const { platform, platformUserId } = identity;
    const row = await PlatformIdentity.findOne({ platform, platformUserId }).lean();
    if (row) return row.userId;
    const user = await User.create({ displayName: identity.displayName });
    try {
      await PlatformIdentity.create({ platform, platformUserId, userId: user._id });
      return user._id;
    } catch (err) {
      await User.deleteOne({ _id: user._id });
      if (!isDuplicate(err)) throw err;
      return userOf(identity);
    }
  }

  return {
    accountOf,
    async link(identity, clerkUserId) {
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
        if (!isDuplicate(err)) throw err;
        account = await accountOf(clerkUserId);
      }
      if (!account) throw new Error(`clerk account ${clerkUserId} vanished while linking`);
      await User.updateOne({ _id: account }, { $set: { clerkUserId } });
      if (account.equals(mine)) {
        deps.logger.info(
          { event: 'account_linked', platform: identity.platform, clerkUserId },
          'account linked',
        );
        return { ok: true, identity, moved: 0, renamed: [] };
      }
      const merged = await mergeUser(deps.models, mine, account);
      deps.logger.info(
        { event: 'account_linked', platform: identity.platform, clerkUserId, moved: merged.moved },
        'account linked; strategies merged',
      );
      return { ok: true, identity, ...merged };
    },
    async unlink(platform, platformUserId, displayName) {
      const row = await PlatformIdentity.findOne({ platform, platformUserId }).lean();
      const account = row ? await User.findById(row.userId).lean() : null;
      if (!row || !account?.clerkUserId) return false;
      // Counted first: the fresh guest must not start with more left than the trader had.
      await deps.quotas?.carryOver(row.userId, { platform, platformUserId });
      const guest = await User.create({ displayName });
      await PlatformIdentity.updateOne({ _id: row._id }, { $set: { userId: guest._id } });
      deps.logger.info({ event: 'account_unlinked', platform, clerkUserId: account.clerkUserId }, 'unlinked');
      return true;
    },
    async whoami(identity) {
      const userId = await userOf(identity);
      const user = await User.findById(userId).lean();
      const rows = await PlatformIdentity.find({ userId, platform: { $ne: CLERK_PLATFORM } }).lean();
      return {
        identity,
        clerkUserId: user?.clerkUserId ?? null,
        email: user?.email ?? null,
        identities: rows.map((r) => ({ platform: r.platform, platformUserId: r.platformUserId })),
      };
    },
  };
}
