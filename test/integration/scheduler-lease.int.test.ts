// Leases that follow the run, on the real scheduler against the real database: a job that runs for
// several lease lifetimes keeps its lock by renewing it, so a second worker polling the same queue
// never starts it; and a worker whose renewals hang (its database stops answering, the process lives
// on) gives the run up before another worker takes it over, which then runs it once.
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLeaseLost } from '../../jobs/lease.ts';
import { createScheduler, type Scheduler } from '../../jobs/scheduler.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';
import { startTcpGate, type TcpGate } from '../support/tcp-gate.ts';
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
  let gate: TcpGate | undefined;
  afterAll(async () => {
    await gate?.close();
    for (const s of schedulers) await s.stop().catch(() => undefined);
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

  it('loses the lease when its renewals hang, before another worker takes the run over', async () => {
    // The first test's workers would take the job too.
    for (const s of schedulers.splice(0)) await s.stop();
    const events: string[] = [];
    const at = new URL(mongo.uri);
    gate = await startTcpGate({ host: at.hostname, port: Number(at.port) });
    at.host = `127.0.0.1:${gate.port}`;
    const gated = await MongoClient.connect(at.toString(), { serverSelectionTimeoutMS: 2_000 });
    const worker = (name: string, db: MongoClient) => {
      const s = createScheduler({
        db: db.db(),
        logger: pino({ level: 'silent' }),
        concurrency: 1,
        pollMs: 100,
        leaseMs: LEASE_MS,
        process: true,
        watch: false,
        async runBacktest(_data, signal) {
          events.push(`${name} started`);
          if (name === 'second') return;
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          events.push(isLeaseLost(signal.reason) ? `${name} lost the lease` : `${name} aborted`);
        },
      });
      schedulers.push(s);
      return s;
    };
    const hung = worker('first', gated);
    await hung.start();
    await hung.enqueue({ backtestId: 'b'.repeat(24), correlationId: 'c2', ownerKey: 'u2' });
    await until('the first worker to start it', () => events.includes('first started'), 10_000);
    gate.hold();
    await worker('second', client).start();
    await until('the second worker to take it over', () => events.includes('second started'), 30_000).catch(
      (err) => {
        throw new Error(`${err}: ${events.join(', ')}`);
      },
    );
    await until('the first worker to give it up', () => events.includes('first lost the lease'), 10_000);
    expect(events).toEqual(['first started', 'first lost the lease', 'second started']);
    await sleep(2 * LEASE_MS);
    expect(events.filter((e) => e === 'second started')).toHaveLength(1);
  }, 60_000);
});
