// A backtest's heavy fields live in its payload (backtest_payloads, under the backtest's _id), on the
// real FerretDB: the snapshot is written before the record is queued, the figures before the status
// says succeeded (seen in the order of the commands the server receives), records from before the
// split still read from their inline fields, and a backtest that goes takes its payload with it.
import { readFileSync } from 'node:fs';
import mongoose, { type Connection, Types } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { equitySeries } from '../../freqtrade/chart.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { backtestSource } from '../../jobs/backtest-source.ts';
import { StoredEquitySchema, storedEquity } from '../../src/backtest/equity.ts';
import { loadConfig } from '../../src/config.ts';
import { createBacktestPayloads } from '../../src/services/backtest-payloads.ts';
import { createBacktestService } from '../../src/services/backtests.ts';
import { createMarketCatalog } from '../../src/services/market-catalog.ts';
import { createResultCache } from '../../src/services/result-cache.ts';
import { createStrategyService } from '../../src/services/strategies.ts';
import { createModels, type Models, syncIndexes } from '../../src/storage/models.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startTestMongo, type TestMongo } from '../support/ferretdb.ts';
import { parsed } from '../support/parse.ts';
import { LOSING_RUN } from '../support/summaries.ts';
import { until } from '../support/wait.ts';

const ft = loadConfig({}).freqtrade;
if (!ft.marketsPath || !ft.marketDataDir) throw new Error('run node scripts/bootstrap.mjs first');
const RANGE = '20240101-20240301';
const logger = pino({ level: 'silent' });

const fixture = new URL('../fixtures/freqtrade/result-btc-sma-20-50-1h.json', import.meta.url);
const series = equitySeries(JSON.parse(readFileSync(fixture, 'utf8')), 'BtcSma20501h');

let mongo: TestMongo;
let conn: Connection;
let models: Models;
/** Every command the server received since the last test began: its name and collection. */
const commands: { name: string; collection: unknown; command: Record<string, unknown> }[] = [];

beforeAll(async () => {
  mongo = await startTestMongo();
  conn = await mongoose.createConnection(mongo.uri, { monitorCommands: true }).asPromise();
  conn.getClient().on('commandStarted', (e) => {
    commands.push({ name: e.commandName, collection: e.command[e.commandName], command: e.command });
  });
  models = createModels(conn);
  await syncIndexes(models);
}, 60_000);
afterAll(async () => {
  await conn?.close();
  await mongo?.stop();
});
beforeEach(() => {
  commands.length = 0;
});

function services(enqueue: () => Promise<void> = () => Promise.resolve()) {
  const catalog = createMarketCatalog({
    marketsPath: ft.marketsPath ?? '',
    dataDir: ft.marketDataDir ?? '',
    quote: 'USDT',
  });
  const strategies = createStrategyService({ models, catalog, logger, render: renderStrategy });
  const backtests = createBacktestService({
    models,
    strategies,
    catalog,
    queue: { enqueue, position: () => Promise.resolve(null), cancel: () => Promise.resolve() },
    defaultTimerange: RANGE,
    logger,
  });
  return { strategies, backtests };
}

async function strategyOf(ownerId: Types.ObjectId, name: string) {
  const { spec } = parsed('BTC 1h buy when RSI(14) < 30, sell when RSI > 70, 5% stop');
  return services().strategies.create(ownerId, { name, spec, description: 'test' });
}

/** Where in `commands` the first command matching `pick` is (-1 when none). */
const indexOf = (pick: (c: (typeof commands)[number]) => boolean) => commands.findIndex(pick);

/** The record as the server stores it, with no schema between (what a scan decodes). */
const raw = (id: Types.ObjectId | string) =>
  models.Backtest.collection.findOne({ _id: new Types.ObjectId(String(id)) });

describe('backtest payloads', () => {
  it('queues a run with its code in the payload, written before the record', async () => {
    const ownerId = new Types.ObjectId();
    const strategy = await strategyOf(ownerId, 'queued-snapshot');
    const { backtests } = services();
    commands.length = 0;
    const { backtest, created } = await backtests.request({
      ownerId,
      strategy,
      replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
      correlationId: 'c1',
    });
    expect(created).toBe(true);
    const put = indexOf((c) => c.name === 'update' && c.collection === 'backtest_payloads');
    const insert = indexOf((c) => c.name === 'insert' && c.collection === 'backtests');
    expect(put).toBeGreaterThanOrEqual(0);
    expect(insert).toBeGreaterThan(put);
    // The record the queue scans carries no code; the payload does, and the worker reads it from there.
    const stored = await raw(backtest._id);
    expect(stored?.status).toBe('queued');
    expect(stored).not.toHaveProperty('snapshot');
    const full = await backtests.get(backtest._id.toString());
    if (!full) throw new Error('no backtest');
    expect(full.snapshot?.code).toBe(strategy.code);
    const source = await backtestSource(models, full, { ...strategy, code: 'edited since' });
    expect(source.code).toBe(strategy.code);
  });

  it('writes the figures to the payload before the status says succeeded', async () => {
    const ownerId = new Types.ObjectId();
    const strategy = await strategyOf(ownerId, 'finished-figures');
    const { backtests } = services();
    const { backtest } = await backtests.request({
      ownerId,
      strategy,
      replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
      correlationId: 'c2',
    });
    const id = backtest._id.toString();
    expect(await backtests.markRunning(id)).not.toBeNull();
    commands.length = 0;
    const done = await backtests.markSucceeded(id, { summary: LOSING_RUN, resultPath: '/r', equity: series });
    expect(done?.status).toBe('succeeded');
    const put = indexOf((c) => c.name === 'update' && c.collection === 'backtest_payloads');
    const flip = indexOf(
      (c) =>
        c.name === 'findAndModify' &&
        c.collection === 'backtests' &&
        JSON.stringify(c.command.update).includes('"status":"succeeded"'),
    );
    expect(put).toBeGreaterThanOrEqual(0);
    expect(flip).toBeGreaterThan(put);
    const stored = await raw(id);
    expect(stored?.resultPath).toBe('/r');
    expect(stored).not.toHaveProperty('summary');
    expect(stored).not.toHaveProperty('equity');
    // Read back whole: the figures, and the snapshot written when it was queued.
    const full = await backtests.get(id);
    expect(full?.summary).toEqual(LOSING_RUN);
    expect(StoredEquitySchema.parse(full?.equity)).toEqual(series);
    expect(full?.snapshot?.code).toBe(strategy.code);
    expect((await backtests.latestSucceeded(ownerId, strategy._id))?.summary.trades).toBe(LOSING_RUN.trades);
    // Ended once: a late second end writes nothing and is refused.
    expect(
      await backtests.markSucceeded(id, {
        summary: { ...LOSING_RUN, trades: 99 },
        resultPath: '/x',
        equity: null,
      }),
    ).toBeNull();
    expect((await backtests.get(id))?.summary?.trades).toBe(LOSING_RUN.trades);
  });

  it('ignores a payload whose record never came, and a retried write overwrites', async () => {
    const { backtests } = services();
    const orphan = new Types.ObjectId();
    const payloads = createBacktestPayloads(models);
    await payloads.put(orphan, { summary: LOSING_RUN });
    expect(await backtests.get(orphan.toString())).toBeNull();
    await payloads.put(orphan, { summary: { ...LOSING_RUN, trades: 12 } });
    const kept = await models.BacktestPayload.find({ _id: orphan }).lean();
    expect(kept.map((p) => p.summary?.trades)).toEqual([12]);
  });

  it('reads records from before the split, whose heavy fields are inline', async () => {
    const ownerId = new Types.ObjectId();
    const strategy = await strategyOf(ownerId, 'inline-record');
    const { backtests } = services();
    const _id = new Types.ObjectId();
    const snapshot = {
      kind: 'spec',
      className: strategy.className,
      code: '# the code as queued',
      spec: null,
    };
    // Written as an earlier version wrote it: everything on the record, no payload.
    await models.Backtest.collection.insertOne({
      _id,
      ownerId,
      strategyId: strategy._id,
      strategyName: strategy.name,
      strategyVersion: 1,
      timerange: RANGE,
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      kind: 'backtest',
      snapshot,
      status: 'succeeded',
      summary: LOSING_RUN,
      equity: storedEquity(series),
      robustness: null,
      optimisation: null,
      diagnosis: 'never crossed',
      queuedAt: new Date(),
      finishedAt: new Date(),
      replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
      correlationId: 'old',
    });
    expect(await models.BacktestPayload.countDocuments({ _id })).toBe(0);
    const full = await backtests.getOwned(ownerId, _id.toString());
    expect(full.summary).toEqual(LOSING_RUN);
    expect(full.snapshot?.code).toBe('# the code as queued');
    expect(StoredEquitySchema.parse(full.equity)).toEqual(series);
    // The worker runs the code it was queued with; /show and /compare read its figures.
    expect((await backtestSource(models, full, strategy)).code).toBe('# the code as queued');
    const latest = await backtests.latestSucceeded(ownerId, strategy._id);
    expect(latest?.summary).toEqual(LOSING_RUN);
    expect(latest?.equity).toEqual(series);
    expect((await backtests.latestFor(ownerId, strategy._id))?.summary?.trades).toBe(LOSING_RUN.trades);
    // The result cache answers from it too.
    const cache = createResultCache({ models, logger });
    await cache.remember('inline-key', _id.toString());
    const hit = await cache.find('inline-key');
    expect(hit?.summary).toEqual(LOSING_RUN);
    expect(hit?.equity).toEqual(series);
    expect(hit?.diagnosis).toBe('never crossed');
    // Queued by an earlier version (snapshot inline), finished by this one (figures in the payload):
    // each field is read from where it is.
    await models.BacktestPayload.create({ _id, summary: { ...LOSING_RUN, trades: 11 } });
    const mixed = await backtests.get(_id.toString());
    expect(mixed?.summary?.trades).toBe(11);
    expect(mixed?.snapshot?.code).toBe('# the code as queued');
  });

  it('moves the inline fields of records from before the split into their payloads, once', async () => {
    const ownerId = new Types.ObjectId();
    const strategy = await strategyOf(ownerId, 'moved-records');
    const { backtests } = services();
    const payloads = createBacktestPayloads(models);
    // Records with inline fields (other tests' too) are moved first, so only this test's are counted.
    await payloads.moveInline();
    const record = (_id: Types.ObjectId, fields: Record<string, unknown>) =>
      models.Backtest.collection.insertOne({
        _id,
        ownerId,
        strategyId: strategy._id,
        strategyName: strategy.name,
        strategyVersion: 1,
        timerange: RANGE,
        pairs: ['BTC/USDT'],
        timeframe: '1h',
        kind: 'backtest',
        status: 'succeeded',
        queuedAt: new Date(),
        finishedAt: new Date(),
        replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
        correlationId: 'old',
        ...fields,
      });
    const snapshot = { kind: 'spec', className: strategy.className, code: '# queued long ago', spec: null };
    const old = new Types.ObjectId();
    await record(old, { snapshot, summary: LOSING_RUN, equity: storedEquity(series), robustness: null });
    // Queued by an earlier version, finished by this one: its figures are in the payload already.
    const mixed = new Types.ObjectId();
    await record(mixed, { snapshot, summary: { ...LOSING_RUN, trades: 1 } });
    await payloads.put(mixed, { summary: { ...LOSING_RUN, trades: 5 } });
    // Queued before snapshots were kept: figures, no code.
    const noCode = new Types.ObjectId();
    await record(noCode, { summary: { ...LOSING_RUN, trades: 3 } });
    expect((await backtests.get(noCode.toString()))?.summary?.trades).toBe(3);
    const before = await backtests.get(old.toString());

    expect(await payloads.moveInline()).toBe(3);
    for (const id of [old, mixed, noCode]) {
      const stored = await raw(id);
      expect(stored?.status).toBe('succeeded');
      for (const field of ['snapshot', 'summary', 'equity', 'robustness', 'optimisation'])
        expect(stored).not.toHaveProperty(field);
    }
    // Read as before the move, now from the payloads.
    expect(await backtests.get(old.toString())).toEqual(before);
    expect((await backtests.get(old.toString()))?.summary).toEqual(LOSING_RUN);
    const both = await backtests.get(mixed.toString());
    expect(both?.summary?.trades).toBe(5);
    expect(both?.snapshot?.code).toBe('# queued long ago');
    expect(await backtests.get(noCode.toString())).toMatchObject({ snapshot: null, summary: { trades: 3 } });
    expect(await payloads.moveInline()).toBe(0);
  });

  it('deletes the record and its payload when the run cannot be queued', async () => {
    const ownerId = new Types.ObjectId();
    const strategy = await strategyOf(ownerId, 'queue-down');
    const { backtests } = services(() => Promise.reject(new Error('queue down')));
    const payloadsBefore = await models.BacktestPayload.countDocuments({});
    await expect(
      backtests.request({
        ownerId,
        strategy,
        replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
        correlationId: 'c3',
      }),
    ).rejects.toMatchObject({ code: 'STORAGE' });
    expect(
      indexOf((c) => c.name === 'update' && c.collection === 'backtest_payloads'),
    ).toBeGreaterThanOrEqual(0);
    expect(await models.Backtest.countDocuments({ ownerId })).toBe(0);
    expect(await models.BacktestPayload.countDocuments({})).toBe(payloadsBefore);
  });
});

describe('an app starting on records from before the split', () => {
  it('moves their heavy fields into payloads in the background', async () => {
    const first = await startTestApp();
    let t: TestApp = first;
    try {
      const _id = new Types.ObjectId();
      await first.app.models.Backtest.collection.insertOne({
        _id,
        ownerId: new Types.ObjectId(),
        strategyId: new Types.ObjectId(),
        strategyName: 'from-before',
        strategyVersion: 1,
        timerange: RANGE,
        pairs: ['BTC/USDT'],
        timeframe: '1h',
        status: 'succeeded',
        summary: LOSING_RUN,
        equity: storedEquity(series),
        queuedAt: new Date(),
        finishedAt: new Date(),
        replyTo: { platform: 'test', conversationId: 'c', userId: 'u' },
        correlationId: 'old',
      });
      await first.stop({ keepStore: true });
      t = await startTestApp({}, { takeOver: first.store });
      const { Backtest, BacktestPayload } = t.app.models;
      await until('the record to give up its fields', async () => {
        const stored = await Backtest.collection.findOne({ _id });
        return stored !== null && !('summary' in stored) && !('equity' in stored);
      });
      const payload = await BacktestPayload.findById(_id).lean();
      expect(payload?.summary).toEqual(LOSING_RUN);
      expect(StoredEquitySchema.parse(payload?.equity)).toEqual(series);
      expect(t.logs.find((l) => l.event === 'backtest_payloads_moved')).toMatchObject({ count: 1 });
    } finally {
      await t.stop();
      if (t !== first) await first.stop();
    }
  });
});
