// The embedded FerretDB: starts, serves the MongoDB operations our storage relies on, runs
// side by side with another instance, and is gone after stop().
//
// Known gaps of FerretDB 1.24.2 on SQLite (probed; don't rely on them in storage code):
// - $group computes only its FIRST accumulator; later ones silently come back as 0.
// - $group accumulators other than $sum/$count ($first, $last, $min, $max, $avg, $push, $addToSet)
//   fail with code 238 (NotImplemented); so do $lookup, $facet and expression operators like $add.
// - $project/$addFields with a '$field' path return the literal string instead of the value.
// - An update that violates a unique index fails with code 1, not 11000 (inserts do give 11000).
// - No transactions, change streams, TTL (expireAfterSeconds) or partial indexes.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Db, MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFerretDb } from '../../src/storage/ferretdb.ts';
import { ferretDbBinFromManifest, startTestMongo, type TestMongo } from '../support/ferretdb.ts';

const external = Boolean(process.env.MONGODB_URI);

describe('test database', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    mongo = await startTestMongo();
    client = new MongoClient(mongo.uri);
    db = client.db();
  });

  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  it('stores and finds documents', async () => {
    const strategies = db.collection('strategies');
    await strategies.insertMany([
      { name: 'sma-cross', pair: 'BTC/USDT' },
      { name: 'rsi-revert', pair: 'ETH/USDT' },
    ]);
    const found = await strategies.findOne({ pair: 'ETH/USDT' }, { projection: { _id: 0 } });
    expect(found).toEqual({ name: 'rsi-revert', pair: 'ETH/USDT' });
  });

  it('rejects a duplicate key on a unique index with code 11000', async () => {
    const users = db.collection('users');
    await users.createIndex({ platformUserId: 1 }, { unique: true });
    await users.insertOne({ platformUserId: 'tg:1' });
    const err = await users.insertOne({ platformUserId: 'tg:1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000 });
  });

  it('upserts with findOneAndUpdate and returns the document after the update', async () => {
    const counters = db.collection<{ _id: string; n: number; createdAt?: Date }>('counters');
    const update = () =>
      counters.findOneAndUpdate(
        { _id: 'backtests' },
        { $inc: { n: 1 }, $setOnInsert: { createdAt: new Date(0) } },
        { upsert: true, returnDocument: 'after' },
      );
    expect(await update()).toEqual({ _id: 'backtests', n: 1, createdAt: new Date(0) });
    expect(await update()).toEqual({ _id: 'backtests', n: 2, createdAt: new Date(0) });
  });

  it('aggregates with $match, $sort and a single-accumulator $group, and counts documents', async () => {
    const runs = db.collection('runs');
    await runs.insertMany([
      { user: 'a', profit: 1, status: 'done' },
      { user: 'b', profit: 2, status: 'done' },
      { user: 'a', profit: 3, status: 'done' },
      { user: 'a', profit: 100, status: 'failed' },
    ]);
    const totals = await runs
      .aggregate([
        { $match: { status: 'done' } },
        { $sort: { user: 1 } },
        { $group: { _id: '$user', profit: { $sum: '$profit' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(totals).toEqual([
      { _id: 'a', profit: 4 },
      { _id: 'b', profit: 2 },
    ]);
    expect(await runs.countDocuments({ user: 'a' })).toBe(3);
    expect(await runs.countDocuments({ user: 'a' }, { skip: 1, limit: 1 })).toBe(1);
  });
});

describe.skipIf(external)('embedded FerretDB processes', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-ferretdb-int-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs two instances side by side with separate data', async () => {
    const bin = ferretDbBinFromManifest();
    const [one, two] = await Promise.all([
      startFerretDb({ bin, dataDir: tempDir() }),
      startFerretDb({ bin, dataDir: tempDir() }),
    ]);
    const clients = [new MongoClient(one.uri), new MongoClient(two.uri)] as const;
    try {
      expect(one.port).not.toBe(two.port);
      await clients[0].db('app').collection('c').insertOne({ from: 'one' });
      await clients[1].db('app').collection('c').insertOne({ from: 'two' });
      const seen = await Promise.all(clients.map((c) => c.db('app').collection('c').find({}).toArray()));
      expect(seen.map((docs) => docs.map((d) => d.from))).toEqual([['one'], ['two']]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('stop() ends the process and frees the port', async () => {
    const dataDir = tempDir();
    const db = await startFerretDb({ bin: ferretDbBinFromManifest(), dataDir });
    expect(isAlive(db.pid)).toBe(true);
    await db.stop();
    expect(isAlive(db.pid)).toBe(false);
    expect(await canConnect(db.port)).toBe(false);
    await db.stop(); // second call is a no-op
  });

  it('fails clearly when the port belongs to another server', async () => {
    const bin = ferretDbBinFromManifest();
    const first = await startFerretDb({ bin, dataDir: tempDir() });
    try {
      // Same fixed port: the first server answers, so a naive ping would report success.
      const second = startFerretDb({ bin, dataDir: tempDir(), port: first.port });
      await expect(second).rejects.toThrow(/already served by another process|address already in use/);
    } finally {
      await first.stop();
    }
  });
});

it('says how to get FerretDB when the binary is missing', async () => {
  const dataDir = path.join(os.tmpdir(), 'gentrade-ferretdb-never-created');
  await expect(startFerretDb({ bin: '/nonexistent/ferretdb', dataDir })).rejects.toThrow(/bootstrap/);
});

it.skipIf(external)('reports the tail of its log when FerretDB exits during startup', async () => {
  const squatter = createServer().listen(0, '127.0.0.1');
  await once(squatter, 'listening');
  const address = squatter.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gentrade-ferretdb-int-'));
  try {
    await expect(startFerretDb({ bin: ferretDbBinFromManifest(), dataDir, port })).rejects.toThrow(
      /exited early[\s\S]*address already in use/,
    );
  } finally {
    squatter.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
