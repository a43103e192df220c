// Prints the agent's overhead per chat turn, the model's own time excluded (issue 5: p95 under 50 ms), over
// N turns of a realistic mix through the real conversation core, agent graph and MongoDB checkpointer on
// the embedded FerretDB. Two runs: without a model (the offline classifier routes) and with a model behind
// a loopback chat-completions server that answers at once; the time that server spends on each request is
// subtracted. Also prints where the time goes and how big the thread's checkpoints get.
// Usage: npx tsx bench/agent-overhead.ts [turns=200]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON } from 'mongodb';
import pino from 'pino';
import { LatestOnlyMongoSaver } from '../agents/checkpointer.ts';
import { equitySeries } from '../freqtrade/chart.ts';
import { parseBacktestResult, readResultJson } from '../freqtrade/result.ts';
import { type App, createApp } from '../src/app.ts';
import { storedEquity } from '../src/backtest/equity.ts';
import { loadConfig } from '../src/config.ts';
import { startFerretDb } from '../src/storage/ferretdb.ts';
import { modelAnswer, STRATEGIES, type Step, turnMix } from './support/agent-turns.ts';
import { startChatServer } from './support/chat-server.ts';
import { createMeter, meterMethods, methodNames, percentile } from './support/meter.ts';

const turns = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-bench-agent-'));
const ferretdbBin = loadConfig({ GENTRADE_DATA_DIR: dir }).mongo.ferretdbBin;
if (!ferretdbBin) throw new Error('run node scripts/bootstrap.mjs first');
const db = await startFerretDb({ bin: ferretdbBin, dataDir: path.join(dir, 'db') });

// The checkpointer is built inside createApp: its class is timed instead.
const checkpoints = createMeter();
meterMethods(LatestOnlyMongoSaver.prototype, ['getTuple', 'put', 'putWrites'], checkpoints);
let current: Step | undefined;
const chat = await startChatServer((req) => modelAnswer(req, () => current));

type Turn = { kind: string; wall: number; model: number; ckpt: number; services: number; bytes: number };

/** Succeeded backtests from the checked-in Freqtrade result, so explanations have figures to use. */
async function seedResults(app: App): Promise<void> {
  const fixture = new URL('../test/fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
  const raw = readResultJson(readFileSync(fixture, 'utf8'));
  const summary = parseBacktestResult(raw, 'BtcSma20501h');
  for (const s of await app.models.Strategy.find().lean()) {
    // The figures in the backtest's payload, as the app stores them.
    const { _id } = await app.models.BacktestPayload.create({
      _id: new BSON.ObjectId(),
      summary,
      equity: storedEquity(equitySeries(raw, 'BtcSma20501h')),
    });
    await app.models.Backtest.create({
      _id,
      ownerId: s.ownerId,
      strategyId: s._id,
      strategyName: s.name,
      strategyVersion: s.version,
      timerange: '20240101-20240701',
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      status: 'succeeded',
      queuedAt: new Date(),
      startedAt: new Date(),
      finishedAt: new Date(),
      replyTo: { platform: 'bench', conversationId: 'dm-seed', userId: 'seed' },
      correlationId: 'bench-seed',
    });
  }
}

async function run(name: string, env: Record<string, string>): Promise<Turn[]> {
  // role=bot: backtests are queued (a document and a job) but no worker runs them.
  const config = loadConfig({
    GENTRADE_DATA_DIR: path.join(dir, name),
    GENTRADE_ROLE: 'bot',
    MONGODB_DB: `bench_${name}`,
    ...env,
  });
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const app = await createApp(config, { logger, mongoUri: db.uri });
  app.notifier.register('bench', { deliver: async () => ({ messageId: 'bench' }) });
  const services = createMeter();
  meterMethods(app.strategies, methodNames(app.strategies), services);
  meterMethods(app.backtests, methodNames(app.backtests), services);
  const event = (user: string) => ({
    address: { platform: 'bench', conversationId: `dm-${user}`, userId: user },
    sender: { platformUserId: user, displayName: user },
    receivedAt: new Date(),
  });
  const say = (user: string, text: string) =>
    app.conversation.handle({ ...event(user), kind: 'message', text });

  for (const user of ['warm', 'trader']) {
    for (const d of STRATEGIES)
      await app.conversation.handle({ ...event(user), kind: 'command', name: 'new', args: d });
  }
  const names = [...new Set((await app.models.Strategy.find().lean()).map((s) => s.name))];
  const [first = '', second = ''] = names;
  await seedResults(app);
  const mix = turnMix(first, second);
  for (const step of mix) {
    current = step;
    await say('warm', step.text);
  }

  const stored = app.models.Strategy.db.getClient().db(config.mongo.dbName);
  const thread = 'bench:dm-trader:trader';
  const out: Turn[] = [];
  for (let i = 0; i < turns; i++) {
    const step = mix[i % mix.length];
    if (!step) throw new Error('empty turn mix');
    current = step;
    const before = { model: chat.busyMs(), ckpt: checkpoints.ms, services: services.ms };
    const started = performance.now();
    const replies = await say('trader', step.text);
    const wall = performance.now() - started;
    if (replies.length === 0) throw new Error(`no reply to "${step.text}"`);
    const latest = await stored
      .collection('checkpoints')
      .find({ thread_id: thread })
      .sort({ checkpoint_id: -1 })
      .limit(1)
      .next();
    out.push({
      kind: step.kind,
      wall,
      model: chat.busyMs() - before.model,
      ckpt: checkpoints.ms - before.ckpt,
      services: services.ms - before.services,
      bytes: latest ? BSON.calculateObjectSize(latest) : 0,
    });
    if ((i + 1) % 25 === 0) {
      const last = out.slice(-25).map((x) => x.wall - x.model);
      process.stderr.write(`  ${name} ${i + 1}/${turns}: last 25 overhead p50 ${ms(percentile(last, 50))}\n`);
    }
  }
  const sizes = async (collection: string) => {
    const docs = await stored.collection(collection).find({ thread_id: thread }).toArray();
    return { count: docs.length, bytes: docs.reduce((n, d) => n + BSON.calculateObjectSize(d), 0) };
  };
  const [cp, writes] = [await sizes('checkpoints'), await sizes('checkpoint_writes')];
  report(name, out, `${cp.count} checkpoints ${kib(cp.bytes)}, ${writes.count} writes ${kib(writes.bytes)}`);
  await app.stop();
  return out;
}

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
const stats = (xs: number[], unit: (v: number) => string = ms) =>
  `p50 ${unit(percentile(xs, 50))}  p95 ${unit(percentile(xs, 95))}  max ${unit(Math.max(...xs))}`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function report(name: string, t: Turn[], stored: string): void {
  const overhead = t.map((x) => x.wall - x.model);
  console.log(`\n${name}: ${t.length} turns, one thread (after a ${turnMix('', '').length}-turn warm-up)`);
  if (name === 'model') console.log(`  turn wall time (model included)  ${stats(t.map((x) => x.wall))}`);
  console.log(`  overhead per turn (no model)     ${stats(overhead)}`);
  const quarter = Math.max(1, Math.floor(t.length / 4));
  console.log(
    `  overhead p50, first vs last ${quarter} turns  ${ms(percentile(overhead.slice(0, quarter), 50))} -> ${ms(percentile(overhead.slice(-quarter), 50))}`,
  );
  const ck = mean(t.map((x) => x.ckpt));
  const sv = mean(t.map((x) => x.services));
  const md = mean(t.map((x) => x.model));
  console.log(
    `  mean per turn: checkpointer ${ms(ck)}, services ${ms(sv)}, model ${ms(md)}, ` +
      `rest (core, graph, client) ${ms(mean(t.map((x) => x.wall)) - ck - sv - md)}`,
  );
  for (const kind of [...new Set(t.map((x) => x.kind))]) {
    const of = t.filter((x) => x.kind === kind);
    console.log(
      `    ${kind.padEnd(9)} n=${String(of.length).padEnd(3)} ${stats(of.map((x) => x.wall - x.model))}`,
    );
  }
  console.log(
    `  newest checkpoint per turn       ${stats(
      t.map((x) => x.bytes),
      (b) => kib(b).padStart(9),
    )}`,
  );
  console.log(`  stored for the thread            ${stored}`);
}

console.log(
  `agent overhead per turn, ${turns} turns, embedded FerretDB, checkpoints in LatestOnlyMongoSaver`,
);
try {
  await run('offline', {});
  await run('model', {
    OPENAI_API_KEY: 'bench-key',
    OPENAI_BASE_URL: chat.baseUrl,
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '10000',
  });
  console.log(`\nmodel requests answered: ${chat.requests()}, ${ms(chat.busyMs())} in the server in all`);
} finally {
  await chat.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
// Agenda leaves a lock-check timer behind; nothing else is pending.
process.exit(0);
