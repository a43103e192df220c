// Deleted Clerk users, remembered for good: a Clerk id is never reused, and Svix may deliver a
// user.created or user.updated after the user.deleted. Account sync and linking both ask here.
import type { Models } from '../storage/models.ts';

/** Marks the Clerk id deleted; marking it twice changes nothing. */
export async function tombstone(models: Models, clerkUserId: string): Promise<void> {
  await models.ClerkTombstone.updateOne(
    { clerkUserId },
    { $setOnInsert: { deletedAt: new Date() } },
    { upsert: true },
  );
}

export async function isTombstoned(models: Models, clerkUserId: string): Promise<boolean> {
  return (await models.ClerkTombstone.exists({ clerkUserId })) !== null;
}
