// A worker process for bench/scale.ts: the real scheduler (turns, lease, wake-up) with a stand-in
// for the backtest that records when it started and then waits JOB_MS, so the figures measure the
// queue itself. Settings come from argv as JSON, so nothing here reads the environment.
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { z } from 'zod';
import { createScheduler } from '../../jobs/scheduler.ts';

const Args = z.object({
  uri: z.string(),
  db: z.string(),
  pollMs: z.number(),
  leaseMs: z.number(),
  jobMs: z.number(),
  watch: z.boolean(),
});
const args = Args.parse(JSON.parse(process.argv[2] ?? '{}'));
const client = await MongoClient.connect(args.uri);
const db = client.db(args.db);
const starts = db.collection('benchStarts');
const scheduler = createScheduler({
  db,
  logger: pino({ level: 'silent' }),
  concurrency: 1,
  pollMs: args.pollMs,
  leaseMs: args.leaseMs,
  process: true,
  watch: args.watch,
  async runBacktest(data, signal) {
    const { backtestId } = z.object({ backtestId: z.string() }).parse(data);
    await starts.insertOne({ backtestId, at: new Date(), pid: process.pid });
    const end = Date.now() + args.jobMs;
    while (Date.now() < end && !signal.aborted) await new Promise((r) => setTimeout(r, 20));
  },
});
await scheduler.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void scheduler.stop().then(() => client.close().then(() => process.exit(0)));
});
