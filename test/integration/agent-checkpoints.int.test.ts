// The agent's checkpoints stay small: one checkpoint per conversation thread (overwritten as a turn
// saves its new one) and a capped message history, so a long conversation costs the same per turn as a
// short one; a pending question still survives in that single checkpoint, the pending writes of older
// checkpoints go, and a checkpoint read once for a turn is never served to another turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatestOnlyMongoSaver } from '../../agents/checkpointer.ts';
import { HISTORY } from '../../agents/nodes/route.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const THREAD = 'test:dm-alice:alice';

describe('agent checkpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps one checkpoint per thread and at most 12 messages in it (what routing reads)', async () => {
    for (let i = 0; i < 15; i++) await t.send(i % 2 ? 'list my strategies' : 'show it');
    const db = t.app.models.Strategy.db.getClient().db(t.store.dbName);
    expect(await db.collection('checkpoints').countDocuments({ thread_id: THREAD })).toBe(1);
    const saver = new LatestOnlyMongoSaver({ client: db.client, dbName: t.store.dbName });
    const tuple = await saver.getTuple({ configurable: { thread_id: THREAD } });
    const messages = tuple?.checkpoint.channel_values.messages;
    expect(Array.isArray(messages) ? messages.length : -1).toBe(HISTORY);
  });

  it('keeps the pending question and its answer in the single checkpoint', async () => {
    const asked = await t.send('delete it');
    expect(asked.at(-1)?.text).toBe('Delete btc-sma-20-50-1h? This cannot be undone.');
    expect((await t.send('no')).at(-1)?.text).toBe('Cancelled; btc-sma-20-50-1h was kept.');
    const db = t.app.models.Strategy.db.getClient().db(t.store.dbName);
    expect(await db.collection('checkpoints').countDocuments({ thread_id: THREAD })).toBe(1);
    const [latest] = await db.collection('checkpoints').find({ thread_id: THREAD }).toArray();
    const writes = await db.collection('checkpoint_writes').find({ thread_id: THREAD }).toArray();
    expect(writes.filter((w) => w.checkpoint_id !== latest?.checkpoint_id)).toEqual([]);
  });

  it('reads the database again for a new turn after another process wrote the thread', async () => {
    const db = t.app.models.Strategy.db.getClient().db(t.store.dbName);
    const here = new LatestOnlyMongoSaver({ client: db.client, dbName: t.store.dbName });
    const elsewhere = new LatestOnlyMongoSaver({ client: db.client, dbName: t.store.dbName });
    const thread = 'test:other-process';
    const config = (turn_id: string) => ({ configurable: { thread_id: thread, checkpoint_ns: '', turn_id } });
    const base = await here.getTuple({ configurable: { thread_id: THREAD } });
    if (!base?.metadata) throw new Error('no checkpoint to copy');
    const { metadata } = base;
    const first = { ...base.checkpoint, id: '1f0a0000-0000-6000-8000-000000000001' };
    const second = { ...base.checkpoint, id: '1f0a0000-0000-6000-8000-000000000002' };
    await here.put(config('t0'), first, metadata);
    expect((await here.getTuple(config('t1')))?.checkpoint.id).toBe(first.id);
    await elsewhere.put(config('x'), second, metadata);
    // The same turn may be served what it read (it holds the thread); a new turn sees the new write.
    expect((await here.getTuple(config('t2')))?.checkpoint.id).toBe(second.id);
    expect(await db.collection('checkpoints').countDocuments({ thread_id: thread })).toBe(1);
  });

  it('sets up one document per thread, keeping the newest where a race left two', async () => {
    const db = t.app.models.Strategy.db.getClient().db(`${t.store.dbName}_setup`);
    const raw = db.collection('checkpoints');
    const doc = (checkpoint_id: string) => ({ thread_id: 'raced', checkpoint_ns: '', checkpoint_id });
    await raw.insertMany([
      doc('1f0a0000-0000-6000-8000-000000000001'),
      doc('1f0a0000-0000-6000-8000-000000000002'),
    ]);
    const saver = new LatestOnlyMongoSaver({ client: db.client, dbName: db.databaseName });
    expect(await saver.setup()).toEqual([]);
    const left = await raw.find({ thread_id: 'raced' }).toArray();
    expect(left.map((d) => d.checkpoint_id)).toEqual(['1f0a0000-0000-6000-8000-000000000002']);
    await expect(raw.insertOne(doc('1f0a0000-0000-6000-8000-000000000003'))).rejects.toThrow(
      /duplicate key/i,
    );
    expect(await saver.setup()).toEqual([]); // idempotent
  });
});
