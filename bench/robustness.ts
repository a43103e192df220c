// Prints how long the robustness report takes for 1 pair x 1 year of 1h (BTC/USDT, 20240101-20250101):
// from /robust to the posted card, the three Freqtrade runs (full range, in sample, out of sample),
// Freqtrade's lookahead and recursive analyses, and our code's part (walk-forward, 1,000 + 1,000 Monte Carlo
// resamples, verdict, chart). A plain backtest of the same range runs first (it warms the engine)
// and is printed beside it.
// Usage: npx tsx bench/robustness.ts [runs=3] [timerange=20240101-20250101]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { renderRobustnessChart } from '../freqtrade/robust-chart.ts';
import { tradeOutcomes } from '../freqtrade/trades.ts';
import { createApp } from '../src/app.ts';
import { runMonteCarlo } from '../src/backtest/robustness/monte-carlo.ts';
import { loadConfig } from '../src/config.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { startFerretDb } from '../src/storage/ferretdb.ts';

const runs = Number(process.argv[2] ?? 3);
const timerange = process.argv[3] ?? '20240101-20250101';
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-bench-'));
const config = loadConfig({ GENTRADE_DATA_DIR: dir, JOBS_POLL_MS: '200', BACKTEST_CONCURRENCY: '1' });
if (!config.mongo.ferretdbBin) throw new Error('run node scripts/bootstrap.mjs first');
const db = await startFerretDb({ bin: config.mongo.ferretdbBin, dataDir: path.join(dir, 'db') });
const app = await createApp(config, {
  logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  mongoUri: db.uri,
});
const seen = new Map<string, { at: number; msg: OutgoingMessage }[]>();
app.notifier.register('bench', {
  async deliver(_a, msg) {
    const key = msg.progress?.key;
    if (key) seen.set(key, [...(seen.get(key) ?? []), { at: performance.now(), msg }]);
    return { messageId: key ?? 'bench' };
  },
});
const address = { platform: 'bench', conversationId: 'bench', userId: 'bench' };
const sender = { platformUserId: 'bench', displayName: 'bench' };
const send = (name: string, args: string) =>
  app.conversation.handle({ kind: 'command', name, args, address, sender, receivedAt: new Date() });
const final = (key: string) =>
  seen.get(key)?.find((s) => s.msg.progress?.state === 'succeeded' || s.msg.progress?.state === 'failed');

/** Runs one command and waits for its card; returns the times of each message after `started`. */
async function timed(name: string, args: string) {
  const started = performance.now();
  const [queued] = await send(name, args);
  const key = queued?.progress?.key;
  if (!key) throw new Error(`not queued: ${queued?.text}`);
  while (!final(key)) await new Promise((r) => setTimeout(r, 20));
  const done = final(key);
  if (done?.msg.progress?.state !== 'succeeded') throw new Error(`failed: ${done?.msg.text}`);
  return {
    key,
    started,
    steps: (seen.get(key) ?? []).map((s) => ({ ms: s.at - started, text: s.msg.text })),
  };
}

await send('new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
const plain = await timed('backtest', `btc-sma-20-50-1h ${timerange}`);
const plainMs = plain.steps[plain.steps.length - 1]?.ms ?? 0;
console.log(
  `robustness report, BTC/USDT 1h ${timerange}, ${runs} runs (the engine warmed by one plain backtest)`,
);
console.log(
  `plain backtest, command -> card: ${(plainMs / 1000).toFixed(2)} s (the first, engine start included)`,
);
const totals: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = await timed('robust', `btc-sma-20-50-1h ${timerange}`);
  // The progress message is paced (one edit per 2 s), so the steps are timed from the record and the
  // runs' own result files: each Freqtrade run ends when its result.json is written.
  const rec = await app.models.Backtest.findById(r.key).lean();
  const since = (d: Date | null | undefined) =>
    d ? d.getTime() - (performance.timeOrigin + r.started) : Number.NaN;
  const written = (part: string) =>
    statSync(path.join(dir, 'backtests', r.key, part, 'run', 'result.json')).mtimeMs -
    (performance.timeOrigin + r.started);
  const [r1, r2, r3, r4, r5] = [
    since(rec?.startedAt),
    written('full'),
    written('in'),
    written('out'),
    since(rec?.finishedAt),
  ];
  const end = r.steps[r.steps.length - 1]?.ms ?? Number.NaN;
  totals.push(end);
  console.log(
    `run ${i + 1}: command -> card ${(end / 1000).toFixed(2)} s; queue ${(r1 / 1000).toFixed(2)} s, full range ${((r2 - r1) / 1000).toFixed(2)} s, in sample ${((r3 - r2) / 1000).toFixed(2)} s, out of sample ${((r4 - r3) / 1000).toFixed(2)} s (Freqtrade's lookahead and recursive analyses alongside), the analyses' rest + our code ${((r5 - r4) / 1000).toFixed(2)} s, chart + card ${((end - r5) / 1000).toFixed(2)} s`,
  );
}
const sorted = [...totals].sort((a, b) => a - b);
console.log(`median command -> card: ${((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000).toFixed(2)} s`);

// Our code alone, on the last report's full-run trade list.
const doc = await app.models.Backtest.findOne({ kind: 'robustness' }).sort({ finishedAt: -1 }).lean();
const cls = 'BtcSma20501h';
const result = JSON.parse(readFileSync(String(doc?.resultPath), 'utf8'));
const trades = tradeOutcomes(result, cls);
let t = performance.now();
const mc = runMonteCarlo(trades, config.freqtrade.startingBalance);
const mcMs = performance.now() - t;
t = performance.now();
await renderRobustnessChart({
  title: 'bench',
  outOfSampleResult: result,
  strategyClass: cls,
  fan: mc.fan,
  actualPath: mc.actualPath,
  resamples: mc.summary.resamples,
  seed: mc.summary.seed,
});
const chartMs = performance.now() - t;
console.log(
  `our code: Monte Carlo (1,000 bootstraps + 1,000 reorderings of ${trades.length} trades) ${mcMs.toFixed(0)} ms; chart ${chartMs.toFixed(0)} ms`,
);
await app.stop();
await db.stop();
rmSync(dir, { recursive: true, force: true });
