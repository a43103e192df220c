// Folds one user's belongings into another's: what happens when a chat identity that already owns
// strategies is linked to an account. Strategies keep their ids (backtests, versions and buttons still
// point at them); a name the account already uses gets the next free "-N" suffix and is reported.
// No transactions on FerretDB: each step is idempotent, so a merge cut short is finished by running it
// again, and nothing is deleted before it has moved.
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../storage/duplicate-key.ts';
import type { Models } from '../storage/models.ts';
import { moveSlots } from './backtest-slots.ts';

export type Rename = { from: string; to: string };
export type MergeResult = { moved: number; renamed: Rename[] };

/** The first of name, name-2, name-3 … not in `taken` (kept within the 48-character limit). */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  const base = name.replace(/-\d+$/, '').slice(0, 44).replace(/-+$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export async function mergeUser(
  models: Models,
  from: Types.ObjectId,
  into: Types.ObjectId,
): Promise<MergeResult> {
  const { Strategy, StrategyVersion, Backtest, PendingImport, PlatformIdentity, User } = models;
  const taken = new Set((await Strategy.find({ ownerId: into }, { name: 1 }).lean()).map((s) => s.name));
  const renamed: Rename[] = [];
  let moved = 0;
  for (const s of await Strategy.find({ ownerId: from }).sort({ createdAt: 1 }).lean()) {
    for (;;) {
      const name = freeName(s.name, taken);
      try {
        await Strategy.updateOne({ _id: s._id, ownerId: from }, { $set: { ownerId: into, name } });
        taken.add(name);
        if (name !== s.name) renamed.push({ from: s.name, to: name });
        moved++;
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        taken.add(name); // created meanwhile on the account; try the next
      }
    }
  }
  await StrategyVersion.updateMany({ ownerId: from }, { $set: { ownerId: into } });
  await Backtest.updateMany({ ownerId: from }, { $set: { ownerId: into } });
  // Its queued and running backtests now count against the account's at-once limit.
  await moveSlots(models, from.toString(), into.toString());
  await PendingImport.updateMany({ ownerId: from }, { $set: { ownerId: into } });
  await PlatformIdentity.updateMany({ userId: from }, { $set: { userId: into } });
  await User.deleteOne({ _id: from });
  return { moved, renamed };
}
