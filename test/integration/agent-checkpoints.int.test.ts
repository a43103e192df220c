// The agent's checkpoints stay small: one checkpoint per conversation thread (older ones are deleted
// as a turn saves its new one) and a capped message history, so a long conversation costs the same per
// turn as a short one; a pending question still survives in that single checkpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatestOnlyMongoSaver } from '../../agents/checkpointer.ts';
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

  it('keeps one checkpoint per thread and at most 24 messages in it', async () => {
    for (let i = 0; i < 15; i++) await t.send(i % 2 ? 'list my strategies' : 'show it');
    const db = t.app.models.Strategy.db.getClient().db(t.store.dbName);
    expect(await db.collection('checkpoints').countDocuments({ thread_id: THREAD })).toBe(1);
    const saver = new LatestOnlyMongoSaver({ client: db.client, dbName: t.store.dbName });
    const tuple = await saver.getTuple({ configurable: { thread_id: THREAD } });
    const messages = tuple?.checkpoint.channel_values.messages;
    expect(Array.isArray(messages) ? messages.length : -1).toBe(24);
  });

  it('keeps the pending question and its answer in the single checkpoint', async () => {
    const asked = await t.send('delete it');
    expect(asked.at(-1)?.text).toBe('Delete btc-sma-20-50-1h? This cannot be undone.');
    expect((await t.send('no')).at(-1)?.text).toBe('Cancelled; btc-sma-20-50-1h was kept.');
    const db = t.app.models.Strategy.db.getClient().db(t.store.dbName);
    expect(await db.collection('checkpoints').countDocuments({ thread_id: THREAD })).toBe(1);
  });
});
