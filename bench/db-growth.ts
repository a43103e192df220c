// Prints how the backtest queries a run makes slow down as the backtests collection grows, on the
// embedded FerretDB (or a MongoDB URI given), with the records split (what the app writes: a small
// record, its code and figures in backtest_payloads under its _id) against records carrying them
// inline (what earlier versions wrote; the curve as one JSON string). Records are shaped like real
// ones: the checked-in Freqtrade result's summary and curve, and a parsed strategy's spec and code.
// Usage: npx tsx bench/db-growth.ts [sizes=100,500,1000] [mongodb-uri]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { equitySeries } from '../freqtrade/chart.ts';
import { renderStrategy } from '../freqtrade/render.ts';
import { parseBacktestResult } from '../freqtrade/result.ts';
import { storedEquity } from '../src/backtest/equity.ts';
import { loadConfig } from '../src/config.ts';
import { createModels } from '../src/storage/models.ts';
import { parseStrategyText } from '../src/strategy/parse/offline-parser.ts';
import { benchDatabase } from './support/database.ts';

const sizes = (process.argv[2] ?? '100,500,1000').split(',').map(Number);
const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-growth-'));
const config = loadConfig({ GENTRADE_DATA_DIR: dir, LOG_LEVEL: 'silent' });
const database = await benchDatabase(config, dir, process.argv[3]);
const { uri } = database;

const fixture = new URL('../test/fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const result: unknown = JSON.parse(readFileSync(fixture, 'utf8'));
const summary = parseBacktestResult(result, 'BtcSma20501h');
const series = equitySeries(result, 'BtcSma20501h');
const parsed = parseStrategyText(
  'BTC 1h buy when RSI(14) < 30 and close > EMA 200, sell when RSI > 70, 5% stop',
);
if (!parsed.ok) throw new Error(parsed.reason);
const spec = parsed.spec;
const code = renderStrategy(spec, { className: 'BtcRsi1h', name: 'btc-rsi-1h' });

const ms = async (run: () => Promise<unknown>, times = 5) => {
  const t0 = performance.now();
  for (let i = 0; i < times; i++) await run();
  return (performance.now() - t0) / times;
};

try {
  for (const layout of ['split', 'inline'] as const) {
    const conn = await mongoose
      .createConnection(uri, { dbName: `growth_${layout}_${Date.now()}` })
      .asPromise();
    const { Backtest, BacktestPayload } = createModels(conn);
    const ownerId = new Types.ObjectId();
    const strategyId = new Types.ObjectId();
    let have = 0;
    for (const n of sizes) {
      const heavy = {
        snapshot: { kind: 'spec', className: 'BtcSma20501h', code, spec },
        summary,
        equity: storedEquity(series),
      };
      const docs = Array.from({ length: n - have }, (_, i) => ({
        _id: new Types.ObjectId(),
        ownerId,
        strategyId,
        strategyName: 'btc-sma-20-50-1h',
        strategyVersion: 1,
        timerange: `2024${String((i % 12) + 1).padStart(2, '0')}01-20241231`,
        pairs: ['BTC/USDT'],
        timeframe: '1h',
        status: 'succeeded',
        queuedAt: new Date(),
        finishedAt: new Date(),
        replyTo: { platform: 'console', conversationId: 'c', userId: 'u' },
        correlationId: 'bench',
      }));
      for (let i = 0; i < docs.length; i += 200) {
        const part = docs.slice(i, i + 200);
        if (layout === 'split') {
          await BacktestPayload.insertMany(part.map((d) => ({ _id: d._id, ...heavy })));
          await Backtest.insertMany(part);
        } else {
          // Past the schema, as an earlier version wrote them.
          await Backtest.collection.insertMany(part.map((d) => ({ ...d, ...heavy })));
        }
      }
      have = n;
      const id = (await Backtest.findOne({}).sort({ _id: -1 }).select({ _id: 1 }).lean())?._id;
      const get = await ms(() => Backtest.findById(id).lean());
      // What a card, /compare or the worker's start reads besides the record (inline: nothing more).
      const payload = layout === 'split' ? await ms(() => BacktestPayload.findById(id).lean()) : 0;
      // The worker's start: a status-guarded update (a filter beyond _id is decoded document by document).
      const guarded = await ms(() =>
        Backtest.findOneAndUpdate({ _id: id, status: { $in: ['succeeded'] } }, { $set: { diagnosis: null } }),
      );
      // The queue's look and the duplicate check: filters on other fields.
      const scan = await ms(() => Backtest.find({ ownerId, status: 'queued' }).lean());
      console.log(
        `backtests ${String(n).padStart(5)} (${layout.padEnd(6)}): by id ${get.toFixed(1)} ms${layout === 'split' ? `, its payload by id ${payload.toFixed(1)} ms` : ''}, status-guarded update ${guarded.toFixed(1)} ms, owner's queued ${scan.toFixed(1)} ms`,
      );
    }
    await conn.close();
  }
} finally {
  await database.stop();
  rmSync(dir, { recursive: true, force: true });
}
