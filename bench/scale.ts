// Prints how the backtest queue behaves with many traders and several worker processes: pickup
// latency across processes, fairness between two traders, recovery from a killed worker, and the
// throughput of one against two workers. Pickup, fairness and recovery run the real scheduler in worker
// processes with a stand-in for the backtest (bench/support/scale-worker.ts), so they measure the queue;
// throughput runs real backtests in `src/main.ts` worker processes; the cache hit times an identical
// request answered from the result cache, in one process after one real run. The embedded FerretDB unless a
// MongoDB URI is given (a replica set: change streams wake the workers instead of their poll).
// Usage: npx tsx bench/scale.ts [mongodb-uri]
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import pino from 'pino';
import { renderEquitySeries } from '../freqtrade/chart.ts';
import { createScheduler } from '../jobs/scheduler.ts';
import { createApp } from '../src/app.ts';
import { StoredEquitySchema } from '../src/backtest/equity.ts';
import { loadConfig, repoRoot } from '../src/config.ts';
import { benchDatabase } from './support/database.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-scale-'));
const roomy = Object.fromEntries(
  ['GUEST', 'LINKED'].flatMap((who) =>
    ['BACKTESTS_PER_DAY', 'BACKTESTS_AT_ONCE', 'STRATEGIES_PER_HOUR', 'MESSAGES_PER_MINUTE'].map((what) => [
      `QUOTA_${who}_${what}`,
      '1000',
    ]),
  ),
);
const config = loadConfig({ GENTRADE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...roomy });
const database = await benchDatabase(config, dir, process.argv[2]);
const { uri } = database;
const client = await MongoClient.connect(uri);
const children = new Set<ChildProcess>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freshDb = (what: string) => `scale_${what}_${randomUUID().slice(0, 8)}`;

/** Spawns a process and resolves once it printed `ready` (or at once when `ready` is false). */
async function spawnProcess(args: string[], env: Record<string, string>, ready: boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  if (ready) {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }
  return child;
}

const stubWorker = (db: string, jobMs: number) =>
  spawnProcess(
    [
      'bench/support/scale-worker.ts',
      JSON.stringify({
        uri,
        db,
        pollMs: config.jobs.pollMs,
        leaseMs: config.jobs.leaseMs,
        jobMs,
        watch: true,
      }),
    ],
    {},
    true,
  );

function queueOn(db: string) {
  const s = createScheduler({
    db: client.db(db),
    logger: pino({ level: 'silent' }),
    concurrency: 1,
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseMs,
    process: false,
    runBacktest: () => Promise.resolve(),
  });
  return { s, ready: s.start() };
}

const starts = (db: string) => client.db(db).collection<{ backtestId: string; at: Date }>('benchStarts');
async function startOf(db: string, id: string, after = 0): Promise<number> {
  for (;;) {
    const hits = await starts(db).find({ backtestId: id }).toArray();
    const hit = hits.map((h) => h.at.getTime()).find((t) => t > after);
    if (hit) return hit;
    await sleep(5);
  }
}
const stopAll = async () => {
  for (const c of children) c.kill('SIGKILL');
  while (children.size > 0) await sleep(20);
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1] ?? 0;
const hex = () => new ObjectId().toHexString();

async function pickup() {
  const db = freshDb('pickup');
  await stubWorker(db, 0);
  const q = queueOn(db);
  await q.ready;
  const ms: number[] = [];
  for (let i = 0; i < 100; i++) {
    // A random pause, so enqueues fall anywhere in a worker's poll interval, not right after a poll.
    await sleep(Math.random() * config.jobs.pollMs);
    const id = hex();
    const t0 = Date.now();
    await q.s.enqueue({ backtestId: id, correlationId: 'bench', ownerKey: `u${i % 5}` });
    ms.push((await startOf(db, id)) - t0);
  }
  await stopAll();
  console.log(`pickup p50 ${pct(ms, 50)} ms p95 ${pct(ms, 95)} ms`);
}

async function fairness() {
  const db = freshDb('fair');
  await Promise.all([stubWorker(db, 1000), stubWorker(db, 1000)]);
  const q = queueOn(db);
  await q.ready;
  for (let i = 0; i < 60; i++)
    await q.s.enqueue({ backtestId: hex(), correlationId: 'b', ownerKey: 'heavy' });
  const id = hex();
  const jobs = client.db(db).collection('agendaJobs');
  const ahead = await jobs.countDocuments({ lockedAt: null, nextRunAt: { $ne: null } });
  const t0 = Date.now();
  await q.s.enqueue({ backtestId: id, correlationId: 'b', ownerKey: 'light' });
  const at = await startOf(db, id);
  await stopAll();
  const s = ((at - t0) / 1000).toFixed(1);
  console.log(
    `fairness: second user's first backtest started after ${s} s with ${ahead} queued ahead by another user (1 s stand-in backtests, 2 workers)`,
  );
}

async function recovery() {
  const db = freshDb('recovery');
  const first = await stubWorker(db, 600_000);
  const q = queueOn(db);
  await q.ready;
  const id = hex();
  await q.s.enqueue({ backtestId: id, correlationId: 'b', ownerKey: 'u' });
  const firstAt = await startOf(db, id);
  await stubWorker(db, 0);
  first.kill('SIGKILL');
  const killedAt = Date.now();
  const again = await startOf(db, id, firstAt);
  await stopAll();
  console.log(
    `recovery: a killed worker's backtest resumed after ${((again - killedAt) / 1000).toFixed(1)} s (lease ${config.jobs.leaseMs / 1000} s)`,
  );
}

/** The i-th of 20 distinct periods (distinct, so none is answered from the result cache). */
function periodOf(kind: 'month' | 'year') {
  const day = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
  return (i: number) => {
    if (kind === 'month') {
      const [y, m] = [2024 + Math.floor(i / 12), (i % 12) + 1];
      return `${y}${String(m).padStart(2, '0')}01-${y}${String(m).padStart(2, '0')}28`;
    }
    // The default period's length (a year of candles), moved by a week each time.
    const start = new Date(Date.UTC(2024, 0, 1 + 7 * i));
    return `${day(start)}-${day(new Date(+start + 365 * 86_400_000))}`;
  };
}

/** Seconds for 20 real backtests on `workers` worker processes (after one warm-up run each). */
async function throughput(workers: number, kind: 'month' | 'year'): Promise<number> {
  const period = periodOf(kind);
  const dbName = freshDb(`tp${workers}`);
  const appDir = mkdtempSync(path.join(dir, 'bot-'));
  const bot = await createApp(
    loadConfig({ GENTRADE_DATA_DIR: appDir, GENTRADE_ROLE: 'bot', MONGODB_DB: dbName, ...roomy }),
    { logger: pino({ level: 'silent' }), mongoUri: uri },
  );
  // Runs count as done when their card reaches the chat (the workers' messages come through the
  // outbox to the bot's sink): no polling of the database that would take CPU from the runs.
  const ended = new Set<string>();
  bot.notifier.register('bench', {
    async deliver(_to, msg) {
      const state = msg.progress?.state;
      if (state === 'succeeded' || state === 'failed') ended.add(msg.progress?.key ?? '');
      return { messageId: 'm' };
    },
  });
  const address = { platform: 'bench', conversationId: 'bench', userId: 'bench' };
  const sender = { platformUserId: 'bench', displayName: 'bench' };
  const send = (name: string, args: string) =>
    bot.conversation.handle({ kind: 'command', name, args, address, sender, receivedAt: new Date() });
  for (let i = 0; i < workers; i++) {
    await spawnProcess(
      ['src/main.ts'],
      {
        GENTRADE_ROLE: 'worker',
        MONGODB_URI: uri,
        MONGODB_DB: dbName,
        GENTRADE_DATA_DIR: mkdtempSync(path.join(dir, 'worker-')),
        BACKTEST_CONCURRENCY: '1',
        LOG_LEVEL: 'silent',
      },
      false,
    );
  }
  await send('new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
  const { Backtest } = bot.models;
  const done = async (n: number) => {
    while (ended.size < n) await sleep(20);
  };
  // One warm-up run per worker, in 2023, so the timed runs find warm engines.
  for (let i = 0; i < workers; i++)
    await send('backtest', `btc-sma-20-50-1h 2023${String(i + 1).padStart(2, '0')}01-20230228`);
  await done(workers);
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) await send('backtest', `btc-sma-20-50-1h ${period(i)}`);
  await done(workers + 20);
  const s = (Date.now() - t0) / 1000;
  if (process.env.SCALE_DETAIL) {
    const rows = await Backtest.find({}).sort({ startedAt: 1 }).lean();
    for (const r of rows)
      console.log(
        `  ${r.timerange} created ${+r.createdAt - t0} started ${+(r.startedAt ?? 0) - t0} finished ${+(r.finishedAt ?? 0) - t0}`,
      );
  }
  await stopAll();
  await bot.stop();
  return s;
}

/** Command -> card for an identical request answered from the result cache, over 20 requests. */
async function cacheHit() {
  const app = await createApp(
    loadConfig({
      GENTRADE_DATA_DIR: mkdtempSync(path.join(dir, 'cache-')),
      MONGODB_DB: freshDb('cache'),
      LOG_LEVEL: 'silent',
      ...roomy,
    }),
    { logger: pino({ level: 'silent' }), mongoUri: uri },
  );
  const finished = new Set<string>();
  app.notifier.register('bench', {
    async deliver(_to, msg) {
      if (msg.progress?.state === 'succeeded') finished.add(msg.progress.key);
      return { messageId: 'm' };
    },
  });
  const address = { platform: 'bench', conversationId: 'bench', userId: 'bench' };
  const sender = { platformUserId: 'bench', displayName: 'bench' };
  const send = (name: string, args: string) =>
    app.conversation.handle({ kind: 'command', name, args, address, sender, receivedAt: new Date() });
  await send('new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
  const request = 'btc-sma-20-50-1h 20240101-20240701';
  const [queued] = await send('backtest', request);
  const key = queued?.progress?.key ?? '';
  while (!finished.has(key)) await sleep(20);
  const ms: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const [card] = await send('backtest', request);
    if (!card?.card || !card.text?.includes('from the cache')) throw new Error(`no cache hit: ${card?.text}`);
    ms.push(performance.now() - t0);
  }
  // How much of it is drawing the card's equity chart (the same drawing the job's card has).
  const equity = StoredEquitySchema.parse((await app.models.BacktestPayload.findById(key).lean())?.equity);
  const chart: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await renderEquitySeries({ series: equity, title: request });
    chart.push(performance.now() - t0);
  }
  await app.stop();
  const f = (x: number) => x.toFixed(0);
  console.log(
    `cache hit: ${f(pct(ms, 50))} ms (p50 of 20 identical requests, command -> card; p95 ${f(pct(ms, 95))} ms; drawing its chart p50 ${f(pct(chart, 50))} ms of it)`,
  );
}

// SCALE_ONLY=throughput,throughput-year (a comma list) runs some parts; SCALE_DETAIL=1 prints each throughput run's timeline.
const only = process.env.SCALE_ONLY?.split(',');
const part = (name: string) => !only || only.includes(name);
try {
  if (part('pickup')) await pickup();
  if (part('fairness')) await fairness();
  if (part('recovery')) await recovery();
  for (const kind of ['month', 'year'] as const) {
    if (!part(kind === 'month' ? 'throughput' : 'throughput-year')) continue;
    const one = await throughput(1, kind);
    const two = await throughput(2, kind);
    const what = kind === 'month' ? 'one month of 1h each' : 'a year of 1h each, the default period';
    console.log(
      `throughput: 20 backtests (${what}), 1 worker ${one.toFixed(1)} s, 2 workers ${two.toFixed(1)} s, ratio ${(one / two).toFixed(2)}`,
    );
  }
  if (part('cache')) await cacheHit();
} finally {
  await stopAll();
  await client.close();
  await database.stop();
  if (!process.env.SCALE_KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
}
