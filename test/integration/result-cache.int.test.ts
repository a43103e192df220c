// The result cache through the conversation core, the real engine and FerretDB: an identical request
// is answered at once from the first run's figures (no job, no engine run, no quota), on a card that
// says so; changing the code, the dates, the pairs or the market data on disk runs again; Run again
// always runs; another trader's identical code gets a card of their own. The market data is this
// file's own, made by our generator, so it can be changed on disk.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { decodeAction } from '../../src/core/actions.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
/** The first app, whose database the last test's app takes over; it stops the database at the end. */
let first: TestApp | undefined;
const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-cache-data-'));
const dataDir = path.join(dataRoot, 'binance');
const RANGE = '20240101-20240301';

/** Our deterministic generator, BTC and ETH over 2024's first quarter, ending on `end`. */
function generate(end: string): void {
  const ft = loadConfig({}).freqtrade;
  execFileSync(
    String(ft.python),
    [
      '-m',
      'gentrade_engine',
      'gen-data',
      '--out',
      dataDir,
      '--pairs',
      'BTC/USDT,ETH/USDT',
      '--start',
      '2024-01-01',
      '--end',
      end,
    ],
    { env: { PATH: ft.path, PYTHONPATH: ft.engineDir }, stdio: 'ignore' },
  );
}

beforeAll(async () => {
  generate('2024-03-31');
  t = await startTestApp({ MARKET_DATA_DIR: dataDir });
  const created = await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
  expect(created[0]?.text).toMatch(/^Created /);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (first && first !== t) await first.stop();
  rmSync(dataRoot, { recursive: true, force: true });
});

const NAME = 'btc-sma-20-50-1h';
const field = (m: OutgoingMessage | undefined, name: string) =>
  m?.card?.fields.find((f) => f.name === name)?.value;
const engineRuns = () => t.logs.filter((l) => l.event === 'backtest_started').length;

/** Sends a request that must run: queued, then its final card. */
async function runs(text: string, user = 'alice'): Promise<OutgoingMessage> {
  const [queued] = await t.send(text, user);
  expect(queued?.progress?.state, queued?.text).toBe('queued');
  const final = await t.waitForFinal(String(queued?.progress?.key));
  expect(final.progress?.state, final.text).toBe('succeeded');
  return final;
}

/** Sends a request that must be answered from the cache: the card comes back in the reply itself. */
async function hits(text: string, user = 'alice'): Promise<OutgoingMessage> {
  const before = engineRuns();
  const reply = await t.send(text, user);
  expect(reply).toHaveLength(1);
  const [card] = reply;
  expect(card?.progress?.state, card?.text).toBe('succeeded');
  expect(card?.text).toContain('(from the cache)');
  expect(engineRuns()).toBe(before);
  return card as OutgoingMessage;
}

const FIGURES = ['Trades', 'Win rate', 'Total profit', 'Max drawdown', 'Sharpe', 'Period', 'Run time'];

describe('the result cache', () => {
  it('answers an identical request at once from the first run, with no job, engine run or quota', async () => {
    const first = await runs(`/backtest ${NAME} ${RANGE}`);
    const original = await t.app.models.Backtest.findById(first.progress?.key).lean();
    const quotaUsed = async () =>
      (await t.app.models.RateCounter.find({ key: /^quota:backtests:/ }).lean()).reduce(
        (n, c) => n + c.count,
        0,
      );
    const used = await quotaUsed();

    const card = await hits(`/backtest ${NAME} ${RANGE}`);
    for (const f of FIGURES) expect(field(card, f), f).toBe(field(first, f));
    expect(card.card?.title).toBe(`Backtest: ${NAME} ${RANGE}`);
    const ranAt = original?.finishedAt?.toISOString().slice(0, 16).replace('T', ' ');
    expect(field(card, 'From the cache')).toContain(`finished ${ranAt} UTC`);
    expect(card.card?.image?.contentType).toBe('image/png');

    const id = String(card.progress?.key);
    expect(id).not.toBe(first.progress?.key);
    const bt = await t.app.models.Backtest.findById(id).lean();
    expect(bt).toMatchObject({ status: 'succeeded', startedAt: null, resultPath: null, timerange: RANGE });
    expect(bt?.cachedFrom?.getTime()).toBe(original?.finishedAt?.getTime());
    // Nothing was queued or run for it: no Agenda job, no result folder, no slot, no backtest of the day.
    const jobs = t.app.models.User.db.collection('agendaJobs');
    expect(await jobs.countDocuments({ 'data.backtestId': id })).toBe(0);
    expect(existsSync(path.join(t.store.dataDir, 'backtests', id))).toBe(false);
    expect(await t.app.models.BacktestSlot.countDocuments({ backtestId: id })).toBe(0);
    expect(await quotaUsed()).toBe(used);
    expect(t.logs.find((l) => l.event === 'backtest_cached' && l.backtestId === id)).toBeTruthy();
    // The user's latest result is this one, as for any run.
    const shown = await t.send(`/show ${NAME}`);
    expect(field(shown[0], 'Latest backtest')).toContain(`${field(first, 'Trades')} trades`);
  });

  it('runs again when the code, the dates, the pairs or the market data on disk change', async () => {
    const doc = await t.app.models.Strategy.findOne({ name: NAME }).lean();
    const code = String(doc?.code);
    await t.app.models.Strategy.updateOne({ _id: doc?._id }, { $set: { code: `${code}\n# edited\n` } });
    try {
      await runs(`/backtest ${NAME} ${RANGE}`);
    } finally {
      await t.app.models.Strategy.updateOne({ _id: doc?._id }, { $set: { code } });
    }
    await runs(`/backtest ${NAME} 20240101-20240215`);
    await runs(`/backtest ${NAME} ${RANGE} ETH/USDT`);
    await hits(`/backtest ${NAME} ${RANGE} ETH/USDT`);

    // The same candle files written again by the generator, over a shorter quarter.
    generate('2024-03-30');
    await runs(`/backtest ${NAME} ${RANGE}`);
    await hits(`/backtest ${NAME} ${RANGE}`);
  });

  it('runs afresh when Run again is pressed on a card from the cache', async () => {
    const card = await hits(`/backtest ${NAME} ${RANGE}`);
    // The same buttons as a card the job posts, "How robust?" on the asker's own run included.
    const own = String(card.progress?.key);
    expect(card.buttons?.map((b) => [b.label, decodeAction(b.action)])).toEqual([
      ['Run again', { name: 'rerun', backtestId: own }],
      ['How robust?', { name: 'robust', backtestId: own }],
      ['Optimise', expect.objectContaining({ name: 'optimise' })],
      ['Show strategy', expect.objectContaining({ name: 'show' })],
    ]);
    const rerun = card.buttons?.find((b) => b.label === 'Run again');
    const before = engineRuns();
    const [queued] = await t.click(String(rerun?.action));
    expect(queued?.progress?.state, queued?.text).toBe('queued');
    const key = String(queued?.progress?.key);
    const final = await t.waitForFinal(key);
    expect(final.progress?.state).toBe('succeeded');
    expect(engineRuns()).toBe(before + 1);
    // The fresh run is the one the cache answers from now.
    const fresh = await t.app.models.Backtest.findById(key).lean();
    const again = await hits(`/backtest ${NAME} ${RANGE}`);
    const bt = await t.app.models.Backtest.findById(again.progress?.key).lean();
    expect(bt?.cachedFrom?.getTime()).toBe(fresh?.finishedAt?.getTime());
  });

  it("gives another trader's identical code a card of their own, with their strategy's name", async () => {
    const alice = await t.app.models.Strategy.findOne({ name: NAME }).lean();
    await t.send('/strategies', 'bob');
    const bobId = (await t.app.models.PlatformIdentity.findOne({ platformUserId: 'bob' }).lean())?.userId;
    if (!alice || !bobId) throw new Error('no strategy or no bob');
    await t.app.strategies.createCustom(bobId, {
      name: 'bobs-cross',
      description: 'a copy',
      className: alice.className,
      code: alice.code,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
    });
    const card = await hits(`/backtest bobs-cross ${RANGE}`, 'bob');
    expect(card.card?.title).toBe(`Backtest: bobs-cross ${RANGE}`);
    expect(card.text).toBe(`Backtest of bobs-cross ${RANGE}: done (from the cache).`);
    const aliceRuns = await t.app.models.Backtest.find({ ownerId: alice.ownerId }, { _id: 1 }).lean();
    const shown = JSON.stringify({ ...card, card: { ...card.card, image: undefined } });
    expect(shown).not.toContain(NAME);
    for (const r of aliceRuns) expect(shown).not.toContain(r._id.toString());
    const bt = await t.app.models.Backtest.findById(card.progress?.key).lean();
    expect(bt?.ownerId.toString()).toBe(bobId.toString());
    expect(bt?.replyTo.userId).toBe('bob');
    // Its buttons are Bob's: Alice pressing them finds nothing.
    const rerun = decodeAction(String(card.buttons?.[0]?.action));
    expect(rerun).toEqual({ name: 'rerun', backtestId: bt?._id.toString() });
    expect((await t.click(String(card.buttons?.[0]?.action), 'alice'))[0]?.text).toContain(
      'no longer exists',
    );
  });

  it('answers from the cache at the at-once limit, where a request that must run is refused', async () => {
    // The same database, now with one backtest at once and no worker: a queued run keeps the slot.
    first = t;
    await t.stop({ keepStore: true });
    t = await startTestApp(
      { MARKET_DATA_DIR: dataDir, GENTRADE_ROLE: 'bot', QUOTA_GUEST_BACKTESTS_AT_ONCE: '1' },
      { takeOver: first.store },
    );
    const [queued] = await t.send(`/backtest ${NAME} 20240101-20240120`);
    expect(queued?.progress?.state, queued?.text).toBe('queued');
    const [refused] = await t.send(`/backtest ${NAME} 20240101-20240110`);
    expect(refused?.text).toContain('limit of 1 backtest queued or running at once');
    const card = await hits(`/backtest ${NAME} ${RANGE}`);
    expect(field(card, 'Trades')).toMatch(/^\d+$/);
    // The queued run still holds the one slot, and nothing else was queued.
    const slots = await t.app.models.BacktestSlot.find({}).lean();
    expect(slots.map((x) => x.backtestId)).toEqual([queued?.progress?.key]);
    expect(await t.app.models.Backtest.countDocuments({ status: 'queued' })).toBe(1);
  });
});
