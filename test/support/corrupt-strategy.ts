// A way for a link to fail that no request can cause: the user owns a stored strategy whose _id is a
// string, which the merge can't move (a bad cast, as a hand-edited or damaged database would give).
// `remove` takes it away again, so a retry can succeed.
import type { TestApp } from './app.ts';

export async function corruptStrategyOf(t: TestApp, user: string) {
  await t.send('/help', user);
  const owner = (await t.app.models.PlatformIdentity.findOne({ platformUserId: user }).lean())?.userId;
  if (!owner) throw new Error(`no user for ${user}`);
  const { Strategy } = t.app.models;
  const raw = Strategy.db.db?.collection<{ _id: string } & Record<string, unknown>>(
    Strategy.collection.collectionName,
  );
  if (!raw) throw new Error('no database');
  const _id = `corrupt-${user}`;
  await raw.insertOne({
    _id,
    ownerId: owner,
    name: `broken-${user}`,
    className: 'Broken',
    code: '',
    version: 1,
  });
  return { remove: () => raw.deleteOne({ _id }) };
}
