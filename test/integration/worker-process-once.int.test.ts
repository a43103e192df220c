// Two worker processes, two slots each, share one queue on FerretDB, whose locks aren't atomic: a job
// can be handed to both at once. Every backtest still starts its engine exactly once (each start is
// claimed by a unique insert) and posts exactly one result; before that claim, copies of one backtest
// ran side by side and shared a results folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';
import { killAllWorkers, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const BACKTESTS = 16;
/** Two-week ranges of 2024, all different, so none is answered from the result cache. */
const range = (i: number) => {
  const day = (d: number) =>
    new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day(i * 14)}-${day(i * 14 + 14)}`;
};

describe('two worker processes on one queue', () => {
  let bot: TestApp;
  const dirs: string[] = [];
  const workerEnv = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-worker-'));
    dirs.push(dir);
    return {
      MONGODB_URI: bot.store.mongoUri,
      MONGODB_DB: bot.store.dbName,
      GENTRADE_DATA_DIR: dir,
      JOBS_POLL_MS: '50',
      JOBS_LEASE_MS: '8000',
      BACKTEST_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
    };
  };
  beforeAll(async () => {
    bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
  });
  afterAll(async () => {
    await killAllWorkers();
    await bot?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const finals = (key: string) =>
    bot.posted.filter((m) => m.progress?.key === key && ['succeeded', 'failed'].includes(m.progress.state));

  it('starts each backtest once and posts one result for each', async () => {
    await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    const keys: string[] = [];
    for (let i = 0; i < BACKTESTS; i++) {
      const queued = await bot.send(`/backtest btc-sma-20-50-1h ${range(i)}`);
      keys.push(String(queued[0]?.progress?.key));
    }
    const workers: WorkerProcess[] = [startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv())];
    const output = () => workers.map((w) => w.output()).join('\n---\n');
    await until('every result', () => keys.every((k) => finals(k).length > 0), 240_000).catch((err) => {
      throw new Error(`${err}\n${output()}`);
    });
    // Late copies, if any, would post or log within the next polls.
    await new Promise((r) => setTimeout(r, 2_000));

    const starts = new Map<string, number>();
    for (const line of workers.flatMap((w) => w.events('backtest_started'))) {
      const id = String(line.backtestId);
      starts.set(id, (starts.get(id) ?? 0) + 1);
    }
    const twice = keys.filter((k) => starts.get(k) !== 1);
    expect(twice, `started other than once: ${twice.map((k) => `${k}×${starts.get(k) ?? 0}`)}`).toEqual([]);
    for (const k of keys) expect(finals(k).map((m) => m.progress?.state)).toEqual(['succeeded']);
    await Promise.all(workers.map((w) => w.kill()));
  }, 360_000);
});
