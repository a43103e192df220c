// Bot and workers as separate OS processes against one database, as `npm run worker` deploys them:
// a backtest queued by the bot is run by a worker process (no change streams on FerretDB: it polls),
// and when that worker dies mid-backtest another takes the run over once the short lease runs out,
// well before the old lock (engine timeout plus a minute) would have, with exactly one result posted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';
import { until } from '../support/wait.ts';
import { killAllWorkers, startWorkerProcess } from '../support/worker-process.ts';

const LEASE_MS = 6_000;

describe('a bot process and worker processes', () => {
  let bot: TestApp;
  const dirs: string[] = [];
  const workerEnv = (leaseMs = LEASE_MS) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-worker-'));
    dirs.push(dir);
    return {
      MONGODB_URI: bot.store.mongoUri,
      MONGODB_DB: bot.store.dbName,
      GENTRADE_DATA_DIR: dir,
      JOBS_POLL_MS: '200',
      JOBS_LEASE_MS: String(leaseMs),
      BACKTEST_CONCURRENCY: '1',
      LOG_LEVEL: 'info',
    };
  };
  beforeAll(async () => {
    bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
  });
  // A test that fails before killing its workers must not leave them to take the next test's runs.
  afterEach(killAllWorkers);
  afterAll(async () => {
    await killAllWorkers();
    await bot?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const finals = (key: string) =>
    bot.posted.filter((m) => m.progress?.key === key && ['succeeded', 'failed'].includes(m.progress.state));
  const record = async (key: string) =>
    withPayload(bot.app.models, await bot.app.models.Backtest.findById(key).lean());
  /** The record once a worker runs it. */
  const runningNow = (key: string, what: string) =>
    until(
      what,
      async () => {
        const bt = await record(key);
        return bt?.status === 'running' ? bt : undefined;
      },
      120_000,
    );
  /** The record once a worker other than the one that started it at `startedAt` starts it again. */
  const startedAgain = (key: string, startedAt: Date | null | undefined, worker: { output(): string }) =>
    until(
      'another worker to take it over',
      async () => {
        const bt = await record(key);
        if (bt?.status === 'succeeded' || bt?.status === 'failed')
          throw new Error(`the run ended (${bt.status}) without being started again`);
        return bt?.startedAt && startedAt && bt.startedAt > startedAt ? bt : undefined;
      },
      120_000,
    ).catch((err) => {
      throw new Error(`${err}\n${worker.output()}`);
    });

  it('runs in a worker process a backtest the bot queued', async () => {
    const worker = startWorkerProcess(workerEnv());
    await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const queued = await bot.send('/backtest btc-sma-20-50-1h 20240101-20240401');
    const key = String(queued[0]?.progress?.key);
    await until('the result, via the outbox', () => finals(key).length > 0, 120_000).catch((err) => {
      throw new Error(`${err}\n${worker.output()}`);
    });
    expect(finals(key).map((m) => m.progress?.state)).toEqual(['succeeded']);
    await worker.kill();
  }, 180_000);

  it('keeps queue positions in the bot while a worker process moves the queue', async () => {
    await bot.send('/new ETH SMA 20/50 cross on 5m with a 5% stop');
    // Three runs queued before any worker is up: the second and third show their places.
    const keys: string[] = [];
    const replies: string[] = [];
    for (const range of ['20240101-20241231', '20240101-20240201', '20240201-20240301']) {
      const [queued] = await bot.send(`/backtest eth-sma-20-50-5m ${range}`);
      keys.push(String(queued?.progress?.key));
      replies.push(String(queued?.text));
    }
    expect(replies[1]).toMatch(/Position 2 in the queue\.$/);
    expect(replies[2]).toMatch(/Position 3 in the queue\.$/);
    const [, second, third] = keys as [string, string, string];
    const shown = (key: string) =>
      bot.posted.filter((m) => m.progress?.key === key && m.progress.state === 'queued').map((m) => m.text);

    // The worker starts the first run; only the bot hosts the chat, so only its looks can edit the
    // waiting messages: the second becomes next ("queued." with no place), the third moves to 2.
    // The worker is frozen while the first runs (a lease long enough to outlast that), so the bot
    // looks while the first still runs however fast it would have finished.
    const worker = startWorkerProcess(workerEnv(120_000));
    await runningNow(String(keys[0]), 'the worker to start the first run');
    worker.pause();
    await until(
      'the second message as next and the third at position 2',
      () =>
        shown(third).some((t) => t?.endsWith('Position 2 in the queue.')) &&
        /: queued\.$/.test(String(shown(second).at(-1))),
    ).catch((err) => {
      throw new Error(`${err}\n${JSON.stringify([shown(second), shown(third)])}\n${worker.output()}`);
    });
    expect((await record(String(keys[0])))?.status).toBe('running');
    worker.resume();

    await until('every result', () => keys.every((k) => finals(k).length > 0), 240_000);
    // One edit per move, in order: to position 2, then (if the bot looked while the second ran) next.
    const places = shown(third).map((t) => /Position (\d+)/.exec(String(t))?.[1] ?? 'next');
    expect([['2'], ['2', 'next']]).toContainEqual(places);
    for (const k of keys) expect(finals(k).map((m) => m.progress?.state)).toEqual(['succeeded']);
    await worker.kill();
  }, 300_000);

  it("fails a queued run whose strategy is gone or not its owner's, with one message each", async () => {
    const { Strategy } = bot.app.models;
    const keys: string[] = [];
    for (const request of [
      'SOL SMA 10/30 cross on 1h with a 5% stop',
      'ETH EMA 12/26 cross on 1h with a 5% stop',
    ]) {
      await bot.send(`/new ${request}`);
      const newest = await Strategy.findOne({}).sort({ createdAt: -1 }).lean();
      const [queued] = await bot.send(`/backtest ${newest?.name} 20240101-20240201`);
      keys.push(String(queued?.progress?.key));
    }
    const [gone, foreign] = await bot.app.models.Backtest.find({ _id: { $in: keys } }).lean();
    // Behind the bot's back: one strategy removed, the other now someone else's.
    await Strategy.deleteOne({ _id: gone?.strategyId });
    await Strategy.updateOne({ _id: foreign?.strategyId }, { $set: { ownerId: new Types.ObjectId() } });
    const worker = startWorkerProcess(workerEnv());
    await until('both answers', () => keys.every((k) => finals(k).length > 0), 120_000).catch((err) => {
      throw new Error(`${err}\n${worker.output()}`);
    });
    for (const k of keys) {
      expect(finals(k).map((m) => [m.progress?.state, m.text])).toEqual([
        ['failed', expect.stringMatching(/failed: the strategy was deleted\.$/)],
      ]);
    }
    await worker.kill();
  }, 180_000);

  it("takes a killed worker's backtest over within the lease and posts one result", async () => {
    const first = startWorkerProcess(workerEnv());
    await bot.send('/new BTC SMA 20/50 cross on 5m with a 5% stop');
    const queued = await bot.send('/backtest btc-sma-20-50-5m 20240101-20241231');
    const key = String(queued[0]?.progress?.key);
    const running = await runningNow(key, 'the first worker to start it');
    await first.kill();
    const killedAt = Date.now();
    expect(finals(key)).toEqual([]);

    const second = startWorkerProcess(workerEnv());
    const resumed = await startedAgain(key, running.startedAt, second);
    const takeoverMs = (resumed.startedAt?.getTime() ?? 0) - killedAt;
    // The lease, plus the second worker's own start (a new Node process and its engine).
    expect(takeoverMs).toBeLessThan(LEASE_MS + 20_000);

    await until('the result', () => finals(key).length > 0, 180_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(finals(key).map((m) => m.progress?.state)).toEqual(['succeeded']);
    await second.kill();
  }, 360_000);

  it("starts a killed worker's optimisation again in another worker, with one card", async () => {
    const first = startWorkerProcess(workerEnv());
    await bot.send('/optimize btc-sma-20-50-5m 20240101-20240401');
    // Field by field: what to tune, 60 epochs, the rest as offered.
    for (const answer of ['-', '60', '-', '-']) await bot.send(answer);
    const [queued] = await bot.send('-');
    const key = String(queued?.progress?.key);
    expect(queued?.text).toMatch(/^Optimisation of btc-sma-20-50-5m 20240101-20240401/);
    const running = await runningNow(key, 'the first worker to start the search');
    await first.kill();
    const second = startWorkerProcess(workerEnv());
    await startedAgain(key, running.startedAt, second);
    await until('the card', () => finals(key).length > 0, 240_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(finals(key).map((m) => m.progress?.state)).toEqual(['succeeded']);
    const done = await record(key);
    expect(done?.kind).toBe('optimise');
    expect((done?.optimisation as { epochsRun?: number } | null)?.epochsRun).toBe(60);
    await second.kill();
  }, 420_000);
});
