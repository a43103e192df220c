// Prints how long a backtest takes from the chat command to the posted result card (p50/p95 over N
// runs), split into queue wait and engine time, on the embedded FerretDB and the local engine (the warm
// engine server; its first run includes the server's start). For comparison it then times the one-shot
// engine, which starts a fresh Python and imports Freqtrade for every backtest.
// Usage: npx tsx bench/backtest-latency.ts [runs=10] [timerange=20240101-20240701]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { spawnEngine } from '../freqtrade/client/process.ts';
import { engineRequest } from '../freqtrade/runner.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { startFerretDb } from '../src/storage/ferretdb.ts';

const runs = Number(process.argv[2] ?? 10);
const timerange = process.argv[3] ?? '20240101-20240701';
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-bench-'));
const config = loadConfig({ GENTRADE_DATA_DIR: dir, JOBS_POLL_MS: '200', BACKTEST_CONCURRENCY: '1' });
if (!config.mongo.ferretdbBin) throw new Error('run node scripts/bootstrap.mjs first');
const db = await startFerretDb({ bin: config.mongo.ferretdbBin, dataDir: path.join(dir, 'db') });
const app = await createApp(config, {
  logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  mongoUri: db.uri,
});
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
const send = (name: string, args: string) =>
  app.conversation.handle({ kind: 'command', name, args, address, sender, receivedAt: new Date() });

await send('new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
const total: number[] = [];
const engine: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const [queued] = await send('backtest', `btc-sma-20-50-1h ${timerange}`);
  const key = queued?.progress?.key;
  if (!key) throw new Error(`not queued: ${queued?.text}`);
  while (!finals.has(key)) await new Promise((r) => setTimeout(r, 20));
  const final = finals.get(key);
  if (final?.msg.progress?.state !== 'succeeded') throw new Error(`backtest failed: ${final?.msg.text}`);
  total.push(final.at - started);
  const doc = await app.models.Backtest.findById(key).lean();
  if (doc?.startedAt && doc.finishedAt) engine.push(doc.finishedAt.getTime() - doc.startedAt.getTime());
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const line = (label: string, xs: number[]) =>
  `${label.padEnd(34)} p50 ${(q(xs, 0.5) / 1000).toFixed(2)} s   p95 ${(q(xs, 0.95) / 1000).toFixed(2)} s`;
console.log(`backtest latency, ${runs} runs, BTC/USDT 1h ${timerange}`);
console.log(line('command -> result card', total));
console.log(line('job running -> finished (engine)', engine));
console.log(line('engine, warm runs (after the 1st)', engine.slice(1)));
const ft = config.freqtrade;
const oneShot: number[] = [];
for (let i = 0; i < Math.min(runs, 5) && ft.python && ft.marketDataDir && ft.marketsPath; i++) {
  const request = engineRequest(
    { backtestId: 'o', className: 'BtcSma20501h', code: '', timeframe: '1h', pairs: ['BTC/USDT'], timerange },
    {
      strategyPath: path.join(import.meta.dirname, '..', 'test', 'fixtures', 'golden', 'BtcSma20501h.py'),
      datadir: ft.marketDataDir,
      marketsPath: ft.marketsPath,
      resultsDir: path.join(dir, `one-shot-${i}`),
    },
    ft,
  );
  const started = performance.now();
  const child = spawnEngine({ python: ft.python, path: ft.path, engineDir: ft.engineDir }, ['backtest'], {
    cwd: dir,
    home: dir,
  });
  child.stdout.resume();
  child.stderr.resume();
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`one-shot backtest failed (exit ${code})`);
  oneShot.push(performance.now() - started);
}
console.log(line('one-shot engine (fresh Python)', oneShot));
console.log(
  `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (bot process, engine runs in a child)`,
);
await app.stop();
await db.stop();
rmSync(dir, { recursive: true, force: true });
// Agenda leaves a lock-check timer behind after a job; nothing else is pending.
process.exit(0);
