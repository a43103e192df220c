// Leases that follow the run, on the real scheduler against the real database: a job that runs for
// several lease lifetimes keeps its lock by renewing it, so a second worker polling the same queue
// never starts it; and a worker that stalls past its lease gives the run up to the one that took it.
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../jobs/scheduler.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';
import { until } from '../support/wait.ts';

const LEASE_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a running job renews its lease', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  const schedulers: Scheduler[] = [];
  beforeAll(async () => {
    mongo = await startTestMongo();
    client = await MongoClient.connect(mongo.uri);
  });
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    await client?.close();
    await mongo?.stop();
  });

  it('is not taken by a second worker while it runs for several lease lifetimes', async () => {
    const starts: string[] = [];
    const worker = (name: string) => {
      const s = createScheduler({
        db: client.db(),
        logger: pino({ level: 'silent' }),
        concurrency: 1,
        pollMs: 100,
        leaseMs: LEASE_MS,
        process: true,
        watch: false,
        async runBacktest(_data, signal) {
          starts.push(name);
          const end = Date.now() + 3.5 * LEASE_MS;
          while (Date.now() < end && !signal.aborted) await sleep(50);
        },
      });
      schedulers.push(s);
      return s;
    };
    const first = worker('first');
    await first.start();
    await first.enqueue({ backtestId: 'a'.repeat(24), correlationId: 'c1', ownerKey: 'u1' });
    await until('the first worker to start it', () => starts.length === 1, 10_000);
    const second = worker('second');
    await second.start();
    // Well past the lease: without renewal the second worker would take the job over.
    await sleep(3 * LEASE_MS);
    expect(starts).toEqual(['first']);
    await until('the job to finish and be removed', async () => {
      return (await client.db().collection('agendaJobs').countDocuments({ name: 'run-backtest' })) === 0;
    });
    expect(starts).toEqual(['first']);
  }, 60_000);
});
