// Fair turns on FerretDB, which neither makes an upsert nor an $inc atomic: a new user's first
// requests arriving at once all get a turn (none fails on the duplicate key of two upserts inserting
// the same counter), and a cancelled backtest gives its owner's turn back.
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFairTurns } from '../../jobs/fair-turns.ts';
import { createScheduler } from '../../jobs/scheduler.ts';
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

  it('gives a cancelled backtest its turn back', async () => {
    const queue = createScheduler({
      db: client.db(),
      logger: pino({ level: 'silent' }),
      concurrency: 1,
      pollMs: 100,
      leaseMs: 2_000,
      process: false,
      runBacktest: async () => undefined,
    });
    await queue.start();
    const id = (name: string) => Buffer.from(name.padEnd(12, '.')).toString('hex');
    const enqueue = (name: string, owner: string) =>
      queue.enqueue({ backtestId: id(name), correlationId: name, ownerKey: owner });
    for (const name of ['alice-1', 'alice-2', 'alice-3']) await enqueue(name, 'alice');
    for (const name of ['alice-1', 'alice-2', 'alice-3']) await queue.cancel(id(name));
    await enqueue('bob-1', 'bob');
    await enqueue('bob-2', 'bob');
    await enqueue('alice-4', 'alice');
    // Round-robin from here: Alice's new backtest goes between Bob's, not behind the turns she gave up.
    expect(await queue.order()).toEqual([id('bob-1'), id('alice-4'), id('bob-2')]);
    await queue.stop();
  });
});
