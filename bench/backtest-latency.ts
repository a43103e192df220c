// Prints, for two backtests, the time from the chat command to the posted result card, the warm
// engine's own time for the same backtest (a runner on a warm engine server of its own, after its
// first run), and a fresh Freqtrade process's (the one-shot engine: a new Python that imports Freqtrade
// every time), with where the warm engine's time goes (engine/backtest/phases.py). The cases: today's
// (BTC/USDT 1h over six months) and a heavy one (BTC, ETH and SOL over a year of 5m candles). The first
// card of each case is a warm-up; the runs after it are "Run again" presses, which always run (the same
// command again would be answered from the result cache). Embedded FerretDB, the local engine.
// Usage: npx tsx bench/backtest-latency.ts [runs=5] [heavyRuns=3]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { spawnEngine } from '../freqtrade/client/process.ts';
import { createLocalRunner } from '../freqtrade/local-runner.ts';
import { type BacktestRequest, engineRequest } from '../freqtrade/runner.ts';
import { specRunSettings } from '../jobs/backtest-source.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { startFerretDb } from '../src/storage/ferretdb.ts';
import { percentile } from './support/meter.ts';

const runs = Number(process.argv[2] ?? 5);
const heavyRuns = Number(process.argv[3] ?? 3);
const CASES = [
  {
    label: 'BTC/USDT 1h, 6 months',
    describe: 'BTC SMA 20/50 cross on 1h with a 5% stop',
    args: '20240101-20240701',
    runs,
  },
  {
    label: 'BTC, ETH, SOL 5m, 1 year (heavy)',
    describe: 'BTC SMA 20/50 cross on 5m with a 5% stop',
    args: '20240101-20241231 BTC/USDT,ETH/USDT,SOL/USDT',
    runs: heavyRuns,
  },
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-bench-'));
const config = loadConfig({ GENTRADE_DATA_DIR: dir, JOBS_POLL_MS: '200', BACKTEST_CONCURRENCY: '1' });
const ft = config.freqtrade;
if (!config.mongo.ferretdbBin || !ft.python || !ft.marketDataDir || !ft.marketsPath)
  throw new Error('run node scripts/bootstrap.mjs first');
const db = await startFerretDb({ bin: config.mongo.ferretdbBin, dataDir: path.join(dir, 'db') });
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const app = await createApp(config, { logger, mongoUri: db.uri });
const finals = new Map<string, { at: number; msg: OutgoingMessage }>();
app.notifier.register('bench', {
  async deliver(_a, msg) {
    if (msg.progress && (msg.progress.state === 'succeeded' || msg.progress.state === 'failed')) {
      finals.set(msg.progress.key, { at: performance.now(), msg });
    }
    return { messageId: msg.progress?.key ?? 'bench' };
  },
});
const address = { platform: 'bench', conversationId: 'bench', userId: 'bench' };
const sender = { platformUserId: 'bench', displayName: 'bench' };
const base = { address, sender, receivedAt: new Date() };
const send = (name: string, args: string) =>
  app.conversation.handle({ ...base, kind: 'command', name, args });
const click = (payload: string) => app.conversation.handle({ ...base, kind: 'action', payload });

/** Waits for the run's result card; the time it was delivered. */
async function card(queued: OutgoingMessage | undefined): Promise<{ at: number; msg: OutgoingMessage }> {
  const key = queued?.progress?.key;
  if (!key || queued?.progress?.state !== 'queued') throw new Error(`not queued: ${queued?.text}`);
  while (!finals.has(key)) await new Promise((r) => setTimeout(r, 10));
  const final = finals.get(key);
  if (final?.msg.progress?.state !== 'succeeded') throw new Error(`failed: ${final?.msg.text}`);
  return final;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (label: string, xs: number[]) =>
  `  ${label.padEnd(36)} p50 ${s(percentile(xs, 50))}   p95 ${s(percentile(xs, 95))}   (${xs.length} runs)`;

/** The one-shot engine: a fresh Python importing Freqtrade, as the Docker runner's container does. */
async function oneShot(req: BacktestRequest, i: number): Promise<number> {
  const strategyDir = path.join(dir, `one-shot-${i}`, 'strategies');
  mkdirSync(strategyDir, { recursive: true });
  const strategyPath = path.join(strategyDir, `${req.className}.py`);
  writeFileSync(strategyPath, req.code);
  const paths = {
    strategyPath,
    datadir: String(ft.marketDataDir),
    marketsPath: String(ft.marketsPath),
    resultsDir: path.join(dir, `one-shot-${i}`, 'run'),
  };
  const started = performance.now();
  const child = spawnEngine(
    { python: String(ft.python), path: ft.path, engineDir: ft.engineDir },
    ['backtest'],
    {
      cwd: dir,
      home: dir,
    },
  );
  child.stdout.resume();
  child.stderr.resume();
  child.stdin.end(JSON.stringify(engineRequest(req, paths, ft)));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`one-shot backtest failed (exit ${code})`);
  return performance.now() - started;
}

for (const c of CASES) {
  await send('new', c.describe);
  const strategy = await app.models.Strategy.findOne({}).sort({ createdAt: -1 }).lean();
  if (!strategy) throw new Error(`not created: ${c.describe}`);
  // Warm-up: the first card (the app's engine server starts with the first case).
  let last = await card((await send('backtest', `${strategy.name} ${c.args}`))[0]);
  const cards: number[] = [];
  const jobs: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    const again = last.msg.buttons?.find((b) => b.label === 'Run again')?.action;
    if (!again) throw new Error('no Run again button');
    const started = performance.now();
    last = await card((await click(again))[0]);
    cards.push(last.at - started);
    const doc = await app.models.Backtest.findById(last.msg.progress?.key).lean();
    if (doc?.startedAt && doc.finishedAt) jobs.push(doc.finishedAt.getTime() - doc.startedAt.getTime());
  }
  const doc = await app.models.Backtest.findById(last.msg.progress?.key).lean();
  if (!doc) throw new Error('no backtest');
  const req: BacktestRequest = {
    backtestId: 'warm',
    className: strategy.className,
    code: strategy.code,
    timeframe: doc.timeframe,
    pairs: doc.pairs,
    timerange: doc.timerange,
    ...specRunSettings({ kind: strategy.kind ?? 'spec', spec: strategy.spec }),
  };
  // The warm engine alone: a runner and engine server of its own, idle while the app's ran.
  const runner = createLocalRunner({
    python: String(ft.python),
    path: ft.path,
    engineDir: ft.engineDir,
    marketDataDir: String(ft.marketDataDir),
    marketsPath: String(ft.marketsPath),
    resultsRoot: path.join(dir, 'warm'),
    timeoutMs: ft.timeoutMs,
    stakeCurrency: ft.stakeCurrency,
    startingBalance: ft.startingBalance,
    logger,
    slots: 1,
  });
  await runner.run(req);
  const engine: number[] = [];
  const phases = new Map<string, number[]>();
  for (let i = 0; i < c.runs; i++) {
    const run = await runner.run({ ...req, backtestId: `warm-${i}` });
    engine.push(run.durationMs);
    for (const [k, ms] of Object.entries(run.timings ?? {})) phases.set(k, [...(phases.get(k) ?? []), ms]);
  }
  await runner.stop();
  const fresh: number[] = [];
  for (let i = 0; i < Math.min(c.runs, 3); i++) fresh.push(await oneShot(req, i));

  const target = 1.2 * percentile(engine, 50) + 300;
  const cardP50 = percentile(cards, 50);
  console.log(`${c.label}: ${doc.pairs.join(', ')} ${doc.timeframe} ${doc.timerange}`);
  console.log(line('command -> result card', cards));
  console.log(line('job running -> finished', jobs));
  console.log(line('warm engine (runner round trip)', engine));
  console.log(line('fresh Freqtrade process (one-shot)', fresh));
  console.log(
    `  target: card p50 within 1.2 x engine p50 + 0.3 s = ${s(target)}: ${cardP50 <= target ? 'met' : 'missed'} (card - engine p50 ${s(cardP50 - percentile(engine, 50))})`,
  );
  const parts = [...phases].map(([k, xs]) => `${k} ${percentile(xs, 50)}`);
  console.log(`  warm engine phases, p50 ms: ${parts.join(', ')}`);
}
console.log(
  `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (bot process, engine runs in a child)`,
);
await app.stop();
await db.stop();
rmSync(dir, { recursive: true, force: true });
// Agenda leaves a lock-check timer behind after a job; nothing else is pending.
process.exit(0);
