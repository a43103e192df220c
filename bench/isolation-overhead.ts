// Prints what the OS sandbox costs, side by side in one run: chat `/backtest` -> result card on the
// real app (embedded FerretDB, the warm engine server), and the validation of a typical pasted
// strategy (static policy, load check, 30-day smoke backtest) on the warm engine. "guards" is the
// engine without the OS boundary (the Python audit hooks alone, what a machine without namespaces
// gets); "sandbox" is the default. Runs alternate between the two so drift on a shared machine hits
// both alike.
// Usage: npx tsx bench/isolation-overhead.ts [backtests=10] [validations=20]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createEngineServer, type EngineServer } from '../freqtrade/client/server.ts';
import { validateCode } from '../freqtrade/client/verdict.ts';
import { type App, createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { OutgoingMessage } from '../src/core/types.ts';
import { startFerretDb } from '../src/storage/ferretdb.ts';

const backtests = Number(process.argv[2] ?? 10);
const validations = Number(process.argv[3] ?? 20);
const timerange = '20240101-20240701';
const MODES = { guards: ['--isolation', 'guards'], sandbox: [] } as const;
type Mode = keyof typeof MODES;

const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-bench-iso-'));
const base = loadConfig({ GENTRADE_DATA_DIR: dir });
if (!base.mongo.ferretdbBin) throw new Error('run node scripts/bootstrap.mjs first');
const db = await startFerretDb({ bin: base.mongo.ferretdbBin, dataDir: path.join(dir, 'db') });
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

type Bench = {
  app: App;
  finals: Map<string, number>;
  send: (name: string, args: string) => Promise<OutgoingMessage[]>;
};

async function start(mode: Mode): Promise<Bench> {
  const config = loadConfig({
    GENTRADE_DATA_DIR: path.join(dir, mode),
    MONGODB_DB: `bench_${mode}`,
    JOBS_POLL_MS: '200',
    BACKTEST_CONCURRENCY: '1',
  });
  const app = await createApp(config, { logger, mongoUri: db.uri, test: { engineServeArgs: MODES[mode] } });
  const finals = new Map<string, number>();
  app.notifier.register('bench', {
    async deliver(_a, msg) {
      const state = msg.progress?.state;
      if (msg.progress && (state === 'succeeded' || state === 'failed')) {
        if (state === 'failed') throw new Error(`backtest failed: ${msg.text}`);
        finals.set(msg.progress.key, performance.now());
      }
      return { messageId: msg.progress?.key ?? 'bench' };
    },
  });
  const address = { platform: 'bench', conversationId: mode, userId: mode };
  const sender = { platformUserId: mode, displayName: mode };
  const send = (name: string, args: string) =>
    app.conversation.handle({ kind: 'command', name, args, address, sender, receivedAt: new Date() });
  await send('new', 'BTC SMA 20/50 cross on 1h with a 5% stop');
  return { app, finals, send };
}

async function backtestOnce(bench: Bench): Promise<number> {
  const started = performance.now();
  const [queued] = await bench.send('backtest', `btc-sma-20-50-1h ${timerange}`);
  const key = queued?.progress?.key;
  if (!key) throw new Error(`not queued: ${queued?.text}`);
  while (!bench.finals.has(key)) await new Promise((r) => setTimeout(r, 10));
  return (bench.finals.get(key) ?? Number.NaN) - started;
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const row = (label: string, xs: number[]) =>
  `  ${label.padEnd(9)} p50 ${q(xs, 0.5).toFixed(0).padStart(6)} ms   p95 ${q(xs, 0.95).toFixed(0).padStart(6)} ms   (n=${xs.length})`;
const overhead = (a: number[], b: number[]) =>
  `  sandbox vs guards at p50: ${(((q(b, 0.5) - q(a, 0.5)) / q(a, 0.5)) * 100).toFixed(1)}%`;

const benches = { guards: await start('guards'), sandbox: await start('sandbox') };
const cards: Record<Mode, number[]> = { guards: [], sandbox: [] };
// The first backtest of each app starts its engine server; it is left out.
for (const mode of ['guards', 'sandbox'] as const) await backtestOnce(benches[mode]);
for (let i = 0; i < backtests; i++) {
  for (const mode of i % 2 ? (['sandbox', 'guards'] as const) : (['guards', 'sandbox'] as const)) {
    cards[mode].push(await backtestOnce(benches[mode]));
  }
}
console.log(`chat /backtest -> result card, BTC/USDT 1h ${timerange}, warm engine`);
for (const mode of ['guards', 'sandbox'] as const) console.log(row(mode, cards[mode]));
console.log(overhead(cards.guards, cards.sandbox));
await Promise.all(Object.values(benches).map((b) => b.app.stop()));

// Validation of a pasted strategy written the way community strategies are (qtpylib, helpers).
const ft = base.freqtrade;
if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
  throw new Error('run node scripts/bootstrap.mjs first');
const strategy = path.join(ft.engineDir, 'tests', 'strategies', 'community_qtpylib_bands.py');
const code = readFileSync(strategy, 'utf8');
const servers: Record<Mode, EngineServer> = {
  guards: createEngineServer({
    ...{ python: ft.python, path: ft.path, engineDir: ft.engineDir, slots: 1, logger },
    workDir: path.join(dir, 'guards'),
    serveArgs: MODES.guards,
  }),
  sandbox: createEngineServer({
    ...{ python: ft.python, path: ft.path, engineDir: ft.engineDir, slots: 1, logger },
    workDir: path.join(dir, 'sandbox'),
  }),
};
const checks: Record<Mode, number[]> = { guards: [], sandbox: [] };
const opts = { datadir: ft.marketDataDir, marketsPath: ft.marketsPath };
for (const mode of ['guards', 'sandbox'] as const) await validateCode(servers[mode], code, opts);
for (let i = 0; i < validations; i++) {
  for (const mode of i % 2 ? (['sandbox', 'guards'] as const) : (['guards', 'sandbox'] as const)) {
    const began = performance.now();
    const verdict = await validateCode(servers[mode], code, opts);
    if (!verdict.accepted) throw new Error(`${path.basename(strategy)} was refused`);
    checks[mode].push(performance.now() - began);
  }
}
console.log(`validation of ${path.basename(strategy)} (static, load, 30-day smoke), warm engine`);
for (const mode of ['guards', 'sandbox'] as const) console.log(row(mode, checks[mode]));
console.log(overhead(checks.guards, checks.sandbox));
await Promise.all(Object.values(servers).map((s) => s.stop()));
await db.stop();
rmSync(dir, { recursive: true, force: true });
// Agenda leaves a lock-check timer behind after a job; nothing else is pending.
process.exit(0);
