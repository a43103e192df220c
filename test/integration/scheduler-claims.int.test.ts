// One start per backtest on a database whose locks aren't atomic: FerretDB reads before it writes, so
// Agenda can hand one job to two slots, or to two workers, at once. Two workers with two slots each,
// each on a connection of its own, run a queue of many jobs; every backtest starts exactly once. A job
// handed out while another run held it is locked again only while that run still holds it.
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScheduler, type Scheduler } from '../../jobs/scheduler.ts';
import { createStartClaims, ENDED_KEPT_MS, hasRun, isHeld } from '../../jobs/start-claims.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';
import { until } from '../support/wait.ts';

const JOBS = 40;
const PayloadSchema = z.object({ backtestId: z.string() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a job handed out twice at once', () => {
  let mongo: TestMongo;
  const clients: MongoClient[] = [];
  const schedulers: Scheduler[] = [];
  beforeAll(async () => {
    mongo = await startTestMongo();
  });
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    for (const c of clients) await c.close();
    await mongo?.stop();
  });

  it('says a backtest is held only while its latest claim is live: not once it ended or ran out', async () => {
    const client = await MongoClient.connect(mongo.uri);
    clients.push(client);
    const claims = createStartClaims({ db: client.db('claims_held'), leaseMs: 400 });
    const claim = await claims.claim('bt-held');
    if (isHeld(claim) || hasRun(claim)) throw new Error('a fresh backtest was held');
    expect(await claims.held('bt-held')).toBe(true);
    await claim.end();
    expect(await claims.held('bt-held')).toBe(false);
    await claims.claim('bt-lapsed');
    expect(await claims.held('bt-lapsed')).toBe(true);
    await sleep(500);
    expect(await claims.held('bt-lapsed')).toBe(false);
  });

  it("finds a job's second hand-out, after its own run ended, already run; another job may run it again", async () => {
    const client = await MongoClient.connect(mongo.uri);
    clients.push(client);
    const claims = createStartClaims({ db: client.db('claims_ran'), leaseMs: 4_000 });
    const first = await claims.claim('bt-ran', 'job-1');
    if (isHeld(first) || hasRun(first)) throw new Error('a fresh backtest was held');
    await first.end();
    expect(hasRun(await claims.claim('bt-ran', 'job-1'))).toBe(true);
    const again = await claims.claim('bt-ran', 'job-2');
    expect(isHeld(again) || hasRun(again)).toBe(false);
  });

  it('starts each backtest once across two workers with two slots each', async () => {
    const starts = new Map<string, number>();
    const worker = async () => {
      const client = await MongoClient.connect(mongo.uri);
      clients.push(client);
      const s = createScheduler({
        db: client.db(),
        logger: pino({ level: 'silent' }),
        concurrency: 2,
        pollMs: 50,
        leaseMs: 4_000,
        process: true,
        watch: false,
        async runBacktest(data) {
          const id = PayloadSchema.parse(data).backtestId;
          starts.set(id, (starts.get(id) ?? 0) + 1);
          await sleep(100);
        },
      });
      schedulers.push(s);
      return s;
    };
    const [a, b] = [await worker(), await worker()];
    const ids = Array.from({ length: JOBS }, (_, i) => i.toString(16).padStart(24, '0'));
    for (const [i, backtestId] of ids.entries())
      await a.enqueue({ backtestId, correlationId: `c${i}`, ownerKey: `u${i % 4}` });
    await Promise.all([a.start(), b.start()]);
    await until('every backtest to start', () => ids.every((id) => starts.has(id)), 120_000);
    await until(
      'the queue to empty',
      async () => (await clients[0]?.db().collection('agendaJobs').countDocuments({})) === 0,
      60_000,
    );
    const twice = ids.filter((id) => (starts.get(id) ?? 0) > 1);
    expect(twice, `${twice.length} of ${JOBS} started more than once`).toEqual([]);
  }, 240_000);

  it('runs a job handed out while a dead run still held its claim, once that claim runs out', async () => {
    // A worker that died between renewing its claim and its job's lock (or before its first renewal)
    // leaves the job's lock expired while the claim still looks alive: the next worker is handed the
    // job, finds the claim held and drops it, and must still get the job once the claim runs out.
    const client = await MongoClient.connect(mongo.uri);
    clients.push(client);
    const db = client.db('held-claim');
    const LEASE = 2_000;
    const started: string[] = [];
    const s = createScheduler({
      db,
      logger: pino({ level: 'silent' }),
      concurrency: 1,
      pollMs: 100,
      leaseMs: LEASE,
      process: true,
      watch: false,
      async runBacktest(data) {
        started.push(PayloadSchema.parse(data).backtestId);
      },
    });
    schedulers.push(s);
    const backtestId = 'ab'.repeat(12);
    await s.enqueue({ backtestId, correlationId: 'held', ownerKey: 'u' });
    // The dead worker: the job locked long ago, its claim renewed just now.
    await db
      .collection('agendaJobs')
      .updateOne({}, { $set: { lockedAt: new Date(Date.now() - 10 * LEASE) } });
    await db
      .collection<{ _id: string; backtestId: string; generation: number; renewedAt: Date; endedAt: null }>(
        'backtestStarts',
      )
      .insertOne({
        _id: `${backtestId}:1`,
        backtestId,
        generation: 1,
        renewedAt: new Date(),
        endedAt: null,
      });
    await s.start();
    // An ended claim from two days ago, of another backtest: swept when a run ends.
    const old = 'cd'.repeat(12);
    const twoDays = new Date(Date.now() - 2 * ENDED_KEPT_MS);
    await db
      .collection<{ _id: string; backtestId: string; generation: number; renewedAt: Date; endedAt: Date }>(
        'backtestStarts',
      )
      .insertOne({ _id: `${old}:1`, backtestId: old, generation: 1, renewedAt: twoDays, endedAt: twoDays });
    await until('the job to run once the dead claim ran out', () => started.length > 0, 30_000);
    expect(started).toEqual([backtestId]);
    await until(
      'the old ended claim swept',
      async () => (await db.collection('backtestStarts').countDocuments({ backtestId: old })) === 0,
    );
    // This run's own claim stays (ended) until it is a day old.
    expect(await db.collection('backtestStarts').countDocuments({ backtestId })).toBe(1);
  }, 60_000);
});
