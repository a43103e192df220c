// Maps a chat identity (platform + platform user id) to one GenTrade user, creating both on first
// contact, and keeps the identity's display name current. The unique index on the identity makes
// concurrent first messages safe.
import type { Types } from 'mongoose';
import type { Models } from '../storage/models.ts';
import { cleanDisplayName } from '../storage/user-text.ts';

export type UserRef = { id: Types.ObjectId; isNew: boolean };

export type UserService = {
  resolve(platform: string, platformUserId: string, displayName: string): Promise<UserRef>;
};

const DUPLICATE_KEY = 11000;

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === DUPLICATE_KEY;
}

export function createUserService(deps: { models: Models }): UserService {
  const { User, PlatformIdentity } = deps.models;
  return {
    async resolve(platform, platformUserId, displayName) {
      // One round trip per message: the identity names its user.
      const existing = await PlatformIdentity.findOne({ platform, platformUserId }).lean();
      if (existing) {
        // Kept current (people rename themselves), and filled in on identities stored without one; a
        // second round trip only when it changed.
        const name = cleanDisplayName(displayName);
        if (displayName && existing.displayName !== name) {
          await PlatformIdentity.updateOne({ _id: existing._id }, { $set: { displayName: name } });
        }
        return { id: existing.userId, isNew: false };
      }
      const user = await User.create({ displayName });
      try {
        await PlatformIdentity.create({ platform, platformUserId, userId: user._id, displayName });
        return { id: user._id, isNew: true };
      } catch (err) {
        // Another message from the same person won the race; use its user and drop ours.
        await User.deleteOne({ _id: user._id });
        if (!isDuplicateKey(err)) throw err;
        const winner = await PlatformIdentity.findOne({ platform, platformUserId }).lean();
        if (!winner) throw err;
        return { id: winner.userId, isNew: false };
      }
    },
  };
}
