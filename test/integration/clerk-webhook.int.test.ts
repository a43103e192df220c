// POST /webhooks/clerk on the real app, signed the svix way with a test secret: bad, missing, foreign
// and stale signatures are refused and change nothing; created/updated keep the account in step;
// deleted removes everything of the account and logs it; a replayed delivery changes nothing twice.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsRoot, userChartDir } from '../../src/core/chart-files.ts';
import { createFormSessions } from '../../src/core/form-session.ts';
import type { ChatAddress } from '../../src/core/types.ts';
import { WEBHOOK_EVENT_LIFETIME_MS } from '../../src/http/clerk-webhook.ts';
import { createBacktestSlots } from '../../src/services/backtest-slots.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestClerk, type TestClerk } from '../support/clerk.ts';
import { linkThrough } from '../support/link-through.ts';

const PUBLIC_URL = 'https://bot.gentrade.test';
let t: TestApp;
let clerk: TestClerk;
let base: string;

beforeAll(async () => {
  clerk = createTestClerk();
  t = await startTestApp({ HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', PUBLIC_URL, ...clerk.env(PUBLIC_URL) });
  base = `http://127.0.0.1:${t.app.httpPort}`;
});
afterAll(() => t?.stop());

function userEvent(type: 'user.created' | 'user.updated', id: string, email: string) {
  return {
    type,
    object: 'event',
    data: {
      id,
      primary_email_address_id: 'idn_1',
      email_addresses: [{ id: 'idn_1', email_address: email }],
      first_name: 'Ivy',
      last_name: null,
    },
  };
}

async function deliver(
  event: unknown,
  opts: { id?: string; at?: number; secret?: string; headers?: Record<string, string> } = {},
) {
  const body = JSON.stringify(event);
  const signed = clerk.signWebhook(body, opts);
  const res = await fetch(`${base}/webhooks/clerk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.headers ?? signed) },
    body,
  });
  return res.status;
}

const accountOf = async (clerkUserId: string) => t.app.models.User.findOne({ clerkUserId }).lean();

describe('Clerk webhooks', () => {
  it('refuses bad, missing, foreign and stale signatures, and changes nothing', async () => {
    const event = userEvent('user.created', 'user_bad', 'bad@example.test');
    const body = JSON.stringify(event);
    const good = clerk.signWebhook(body);
    const tampered = {
      ...good,
      'svix-signature': good['svix-signature']?.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) ?? '',
    };
    const statuses = [
      await deliver(event, { headers: tampered }),
      await deliver(event, { headers: {} }),
      await deliver(event, { secret: `whsec_${Buffer.from('another secret entirely').toString('base64')}` }),
      await deliver(event, { at: Math.floor(Date.now() / 1000) - 15 * 60 }),
    ];
    for (const s of statuses) expect([400, 401]).toContain(s);
    expect(await accountOf('user_bad')).toBeNull();
    expect(await t.app.models.WebhookEvent.countDocuments({})).toBe(0);
  });

  it('keeps the account in step on created and updated, and a replay changes nothing twice', async () => {
    expect(await deliver(userEvent('user.created', 'user_ivy', 'ivy@example.test'))).toBe(200);
    expect(await accountOf('user_ivy')).toMatchObject({ email: 'ivy@example.test', displayName: 'Ivy' });
    const first = userEvent('user.updated', 'user_ivy', 'ivy.first@example.test');
    expect(await deliver(first, { id: 'msg_update_1' })).toBe(200);
    expect(
      await deliver(userEvent('user.updated', 'user_ivy', 'ivy.second@example.test'), { id: 'msg_update_2' }),
    ).toBe(200);
    // Clerk sends msg_update_1 again: the newer email stays.
    expect(await deliver(first, { id: 'msg_update_1' })).toBe(200);
    expect((await accountOf('user_ivy'))?.email).toBe('ivy.second@example.test');
    expect(await t.app.models.User.countDocuments({ clerkUserId: 'user_ivy' })).toBe(1);
  });

  it('on user.deleted removes strategies, backtests, files, conversations, forms, messages and links, and logs each count', async () => {
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'ivy');
    const ivy: ChatAddress = { platform: 'test', conversationId: 'dm-ivy', userId: 'ivy' };
    // Ivy at the terminal too: the console's charts are saved on this machine, per user.
    const ivyConsole: ChatAddress = { platform: 'console', conversationId: 'console-ivyc', userId: 'ivyc' };
    expect((await linkThrough(t, clerk, ivy, 'user_ivy')).ok).toBe(true);
    expect((await linkThrough(t, clerk, ivyConsole, 'user_ivy')).ok).toBe(true);
    const account = await accountOf('user_ivy');
    const strategy = await t.app.models.Strategy.findOne({ ownerId: account?._id }).lean();
    expect(strategy).not.toBeNull();
    const bt = await t.app.models.Backtest.create({
      ownerId: account?._id,
      strategyId: strategy?._id,
      strategyName: strategy?.name,
      strategyVersion: 1,
      timerange: '20250101-20250201',
      pairs: ['BTC/USDT'],
      timeframe: '1h',
      status: 'succeeded',
      queuedAt: new Date(),
      replyTo: { platform: 'test', conversationId: 'dm-ivy', userId: 'ivy' },
      correlationId: 'c',
    });
    // Its payload (code and figures), and someone else's.
    await t.app.models.BacktestPayload.create({ _id: bt._id, summary: { trades: 1 } });
    const otherPayload = await t.app.models.BacktestPayload.create({ _id: new Types.ObjectId() });
    // Held as if it were still running: deleting the account gives the slot back too.
    expect(
      await createBacktestSlots({ models: t.app.models }).take(String(account?._id), 4, bt._id.toString()),
    ).toBe(true);
    // The result cache's key for Ivy's run, and one for someone else's.
    const otherRun = new Types.ObjectId();
    await t.app.models.ResultCache.create({ key: 'ivy-key', backtestId: bt._id, storedAt: new Date() });
    await t.app.models.ResultCache.create({ key: 'other-key', backtestId: otherRun, storedAt: new Date() });
    const resultDir = path.join(t.store.dataDir, 'backtests', bt._id.toString());
    mkdirSync(resultDir, { recursive: true });
    writeFileSync(path.join(resultDir, 'result.json'), '{}');
    const checkpoints = t.app.models.User.db.collection('checkpoints');
    // Ivy's thread has one already (/new set what "it" means); one document per thread.
    for (const thread_id of ['test:dm-ivy:ivy', 'test:dm-other:other']) {
      await checkpoints.updateOne(
        { thread_id, checkpoint_ns: '' },
        { $setOnInsert: { checkpoint_id: '1' } },
        { upsert: true },
      );
    }
    // Charts the console saved for Ivy, and for someone else at the same terminal.
    const charts = chartsRoot(t.store.dataDir);
    for (const [user, files] of [
      ['ivyc', ['equity-1.png', 'compare-2.png']],
      ['other', ['equity-3.png']],
    ] as const) {
      mkdirSync(userChartDir(charts, user), { recursive: true });
      for (const f of files) writeFileSync(path.join(userChartDir(charts, user), f), 'png');
    }
    // A form half filled in, messages waiting (the console is not hosted here) and one shown.
    const other: ChatAddress = { platform: 'test', conversationId: 'dm-other', userId: 'other' };
    const forms = createFormSessions({ models: t.app.models });
    const form = { title: 'Edit', submit: 'x', fields: [{ key: 'stop', label: 'Stop', value: '5%' }] };
    await forms.start(ivyConsole, form);
    await forms.start(other, form);
    await t.app.notifier.notify(ivyConsole, { text: 'waiting for the console' });
    await t.app.notifier.notify({ ...ivyConsole, userId: 'other' }, { text: 'not Ivy' });
    await t.app.notifier.notify(ivy, {
      text: 'done',
      progress: { key: bt._id.toString(), state: 'succeeded' },
    });
    await t.app.notifier.notify(other, { text: 'done', progress: { key: 'other-run', state: 'succeeded' } });
    const ivyOutbox = await t.app.models.Outbox.countDocuments({ 'address.userId': 'ivyc' });
    // The link notice and the message above wait for the console.
    expect(ivyOutbox).toBe(2);
    expect(await t.app.models.Delivery.countDocuments({ progressKey: bt._id.toString() })).toBe(1);
    const otherStrategies = await t.app.models.Strategy.countDocuments({ ownerId: { $ne: account?._id } });

    expect(
      await deliver(
        { type: 'user.deleted', object: 'event', data: { id: 'user_ivy', deleted: true } },
        { id: 'msg_del' },
      ),
    ).toBe(200);
    expect(await accountOf('user_ivy')).toBeNull();
    expect(await t.app.models.Strategy.countDocuments({ ownerId: account?._id })).toBe(0);
    expect(await t.app.models.StrategyVersion.countDocuments({ ownerId: account?._id })).toBe(0);
    expect(await t.app.models.Backtest.countDocuments({ ownerId: account?._id })).toBe(0);
    expect(await t.app.models.BacktestPayload.countDocuments({ _id: bt._id })).toBe(0);
    expect(await t.app.models.BacktestPayload.countDocuments({ _id: otherPayload._id })).toBe(1);
    expect(existsSync(resultDir)).toBe(false);
    expect(await checkpoints.countDocuments({ thread_id: 'test:dm-ivy:ivy' })).toBe(0);
    expect(await checkpoints.countDocuments({ thread_id: 'test:dm-other:other' })).toBe(1);
    expect(await t.app.models.PlatformIdentity.countDocuments({ userId: account?._id })).toBe(0);
    expect(await t.app.models.Strategy.countDocuments({})).toBe(otherStrategies);
    expect(existsSync(userChartDir(charts, 'ivyc'))).toBe(false);
    expect(existsSync(path.join(userChartDir(charts, 'other'), 'equity-3.png'))).toBe(true);
    expect(await t.app.models.FormSession.countDocuments({ userId: 'ivyc' })).toBe(0);
    expect(await t.app.models.FormSession.countDocuments({ userId: 'other' })).toBe(1);
    expect(await t.app.models.Outbox.countDocuments({ 'address.userId': 'ivyc' })).toBe(0);
    expect(await t.app.models.Outbox.countDocuments({ 'address.userId': 'other' })).toBe(1);
    expect(await t.app.models.Delivery.countDocuments({ progressKey: bt._id.toString() })).toBe(0);
    expect(await t.app.models.Delivery.countDocuments({ progressKey: 'other-run' })).toBe(1);
    expect(await t.app.models.BacktestSlot.countDocuments({ backtestId: bt._id.toString() })).toBe(0);
    expect(await t.app.models.ResultCache.countDocuments({ key: 'ivy-key' })).toBe(0);
    expect(await t.app.models.ResultCache.countDocuments({ key: 'other-key' })).toBe(1);
    expect(t.logs.find((l) => l.event === 'account_deleted')).toMatchObject({
      clerkUserId: 'user_ivy',
      strategies: 1,
      strategyVersions: 0,
      backtests: 1,
      resultFiles: 1,
      charts: 2,
      identities: 2,
      conversations: 1,
      formSessions: 1,
      outbox: ivyOutbox,
      deliveries: 1,
      linkCodes: 2,
      backtestSlots: 1,
      cachedResults: 1,
      backtestPayloads: 1,
    });
    // Ivy comes back in the chat: a guest with nothing.
    expect((await t.send('/strategies', 'ivy'))[0]?.text).toContain('You have no strategies yet.');
    // The same delivery again: acknowledged, nothing to do.
    expect(
      await deliver(
        { type: 'user.deleted', object: 'event', data: { id: 'user_ivy', deleted: true } },
        { id: 'msg_del' },
      ),
    ).toBe(200);
    expect(t.logs.filter((l) => l.event === 'account_deleted')).toHaveLength(1);
  });

  it('keeps a deleted Clerk user deleted: late created/updated are ignored and linking to it is refused', async () => {
    // Deleted before Clerk's user.created reached us (Svix delivers out of order).
    expect(
      await deliver({ type: 'user.deleted', object: 'event', data: { id: 'user_zed', deleted: true } }),
    ).toBe(200);
    expect(await deliver(userEvent('user.created', 'user_zed', 'zed@example.test'))).toBe(200);
    expect(await accountOf('user_zed')).toBeNull();
    // Created, deleted, then a late update of the deleted user.
    expect(await deliver(userEvent('user.created', 'user_kim', 'kim@example.test'))).toBe(200);
    expect(await accountOf('user_kim')).not.toBeNull();
    expect(
      await deliver({ type: 'user.deleted', object: 'event', data: { id: 'user_kim', deleted: true } }),
    ).toBe(200);
    expect(await deliver(userEvent('user.updated', 'user_kim', 'kim.late@example.test'))).toBe(200);
    expect(await accountOf('user_kim')).toBeNull();
    expect(
      await t.app.models.PlatformIdentity.countDocuments({
        platformUserId: { $in: ['user_zed', 'user_kim'] },
      }),
    ).toBe(0);
    expect(t.logs.filter((l) => l.event === 'clerk_user_tombstoned').map((l) => l.clerkUserId)).toEqual([
      'user_zed',
      'user_kim',
    ]);

    // A chat user signing in as the deleted Clerk user on the link page: refused with a sentence.
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'kim');
    const kimChat: ChatAddress = { platform: 'test', conversationId: 'dm-kim', userId: 'kim' };
    expect(await linkThrough(t, clerk, kimChat, 'user_kim')).toEqual({
      ok: false,
      sentence:
        'That account was deleted, so nothing can be linked to it. Sign in with another account and send /link in the chat for a new code.',
    });
    expect(await accountOf('user_kim')).toBeNull();
    const kim = await t.app.models.PlatformIdentity.findOne({
      platform: 'test',
      platformUserId: 'kim',
    }).lean();
    expect((await t.app.models.User.findById(kim?.userId).lean())?.clerkUserId).toBeNull();
    expect((await t.send('/strategies', 'kim'))[0]?.text).toContain('btc');
  });

  it("on user.deleted first cancels the account's queued and running backtests, so no worker anywhere goes on", async () => {
    await t.send('/new ETH EMA 9/21 cross on 1h', 'una');
    const una: ChatAddress = { platform: 'test', conversationId: 'dm-una', userId: 'una' };
    expect((await linkThrough(t, clerk, una, 'user_una')).ok).toBe(true);
    const account = await accountOf('user_una');
    const strategy = await t.app.models.Strategy.findOne({ ownerId: account?._id }).lean();
    const run = (status: 'queued' | 'running') =>
      t.app.models.Backtest.create({
        ownerId: account?._id,
        strategyId: strategy?._id,
        strategyName: strategy?.name,
        strategyVersion: 1,
        timerange: '20250101-20250201',
        pairs: ['ETH/USDT'],
        timeframe: '1h',
        status,
        queuedAt: new Date(),
        replyTo: una,
        correlationId: 'c',
      });
    const queued = await run('queued');
    const running = await run('running');
    expect(
      await deliver({ type: 'user.deleted', object: 'event', data: { id: 'user_una', deleted: true } }),
    ).toBe(200);
    // Each run's end says cancelled: a worker in another process reads it and stops the engine run.
    const ends = await t.app.models.BacktestEnd.find({ _id: { $in: [queued._id, running._id] } }).lean();
    expect(ends.map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
    const cancelled = t.logs.filter((l) => l.event === 'backtest_cancelled').map((l) => l.backtestId);
    expect(cancelled).toEqual(expect.arrayContaining([queued._id.toString(), running._id.toString()]));
    expect(t.logs.find((l) => l.event === 'account_deleted' && l.clerkUserId === 'user_una')).toMatchObject({
      cancelledRuns: 2,
      backtests: 2,
    });
  });

  it('forgets acted-on delivery ids after a week (no TTL on FerretDB), keeping the recent ones', async () => {
    const events = t.app.models.WebhookEvent.collection;
    const old = new Date(Date.now() - WEBHOOK_EVENT_LIFETIME_MS - 60_000);
    await events.insertOne({ eventId: 'msg_old', type: 'user.updated', createdAt: old, updatedAt: old });
    expect(await deliver(userEvent('user.created', 'user_wes', 'wes@example.test'), { id: 'msg_wes' })).toBe(
      200,
    );
    expect(await events.countDocuments({ eventId: 'msg_old' })).toBe(0);
    expect(await events.countDocuments({ eventId: { $in: ['msg_wes', 'msg_del'] } })).toBe(2);
  });
});
