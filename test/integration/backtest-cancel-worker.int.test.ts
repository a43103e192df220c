// A cancel reaching a worker in another OS process (`npm run worker`, no change streams on FerretDB):
// the bot records the cancel and says "cancelled"; the worker, which shares nothing with the bot but
// the database, reads the status while the run goes on, kills its engine child (the process is gone)
// and posts nothing more; then it takes the next backtest in the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { alive, childrenOf, engineServerPid } from '../support/engine-processes.ts';
import { until } from '../support/wait.ts';
import { killAllWorkers, startWorkerProcess } from '../support/worker-process.ts';

describe('cancelling a backtest another process runs', () => {
  let bot: TestApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-worker-'));
  beforeAll(async () => {
    bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
  });
  afterAll(async () => {
    await killAllWorkers();
    await bot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops the worker's engine child and posts one final message", async () => {
    const worker = startWorkerProcess({
      MONGODB_URI: bot.store.mongoUri,
      MONGODB_DB: bot.store.dbName,
      GENTRADE_DATA_DIR: dir,
      JOBS_POLL_MS: '200',
      BACKTEST_CONCURRENCY: '1',
      LOG_LEVEL: 'info',
    });
    const failWith = (err: unknown) => {
      throw new Error(`${err}\n${worker.output()}`);
    };
    await bot.send('/new BTC SMA 20/50 cross on 5m with a 5% stop');
    await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const [queued] = await bot.send('/backtest btc-sma-20-50-5m 20240101-20241231');
    const key = String(queued?.progress?.key);
    const [next] = await bot.send('/backtest btc-sma-20-50-1h 20240101-20240401');
    const nextKey = String(next?.progress?.key);

    // The worker's engine (not the bot's: the bot runs none) is in the backtest loop.
    const server = await until('the worker engine', () => engineServerPid(dir), 120_000).catch(failWith);
    await until(
      'the backtest loop, via the outbox',
      () => bot.posted.find((m) => m.progress?.key === key && /backtesting\.\.\. \d+%/.test(m.text)),
      120_000,
    ).catch(failWith);
    const [child] = childrenOf(server);
    if (child === undefined) throw new Error('no engine child while the backtest runs');

    const action = queued?.buttons?.find((b) => b.label === 'Cancel')?.action ?? '';
    const replies = await bot.click(action);
    expect(replies.map((m) => m.progress)).toEqual([{ key, state: 'cancelled', paced: true }]);
    await until('the engine child to be gone', () => !alive(child), 30_000).catch(failWith);
    expect(alive(server)).toBe(true);
    expect(worker.output()).toContain('run stopped: cancelled');

    // The worker is free again: it runs the next backtest, and the cancelled one posts nothing.
    await until(
      'the next result',
      () => bot.posted.find((m) => m.progress?.key === nextKey && m.card),
      120_000,
    ).catch(failWith);
    const finals = bot.posted.filter(
      (m) => m.progress?.key === key && ['succeeded', 'failed', 'cancelled'].includes(m.progress.state),
    );
    expect(finals).toEqual([]);
    expect((await bot.app.models.Backtest.findById(key).lean())?.status).toBe('cancelled');
  }, 300_000);
});
