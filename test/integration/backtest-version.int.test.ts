// A backtest runs the version it was queued for. Backtests are queued by a bot-only process (nothing
// runs them), the strategies are edited while they wait, then a worker takes over and runs them with
// the real engine: Freqtrade's own result file says which stop-loss and pairs actually ran, and the
// result card, /show and /compare name the version a result is from once the strategy has moved on.
// Backtests queued before snapshots existed (no snapshot on the document) still run when their version
// can be found, and otherwise fail with a sentence asking to run them again.
import { readFileSync } from 'node:fs';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestSummarySchema } from '../../src/backtest/summary.ts';
import { summaryLine } from '../../src/core/cards.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';

const RANGE = '20240101-20240301';
let bot: TestApp;
let worker: TestApp | undefined;

beforeAll(async () => {
  bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
});
afterAll(async () => {
  await worker?.stop();
  await bot?.stop();
});

async function create(description: string): Promise<string> {
  const out = await bot.send(`/new ${description}`);
  const name = /^Created ([a-z0-9-]+)\./.exec(out[0]?.text ?? '')?.[1];
  if (!name) throw new Error(`not created: ${out[0]?.text}`);
  return name;
}

/** Edits through the field-by-field form: timeframe, indicator periods, stop %, take profit %, pairs. */
async function edit(name: string, answers: string[], version: number): Promise<void> {
  await bot.send(`/edit ${name}`);
  let last: OutgoingMessage[] = [];
  for (const a of answers) last = await bot.send(a);
  expect(last[0]?.text).toBe(`Saved ${name} as version ${version}.`);
}

async function queue(name: string): Promise<string> {
  const out = await bot.send(`/backtest ${name} ${RANGE}`);
  expect(out[0]?.progress?.state, out[0]?.text).toBe('queued');
  return String(out[0]?.progress?.key);
}

/** Makes a queued backtest look like one queued before snapshots were stored. */
async function withoutSnapshot(key: string): Promise<void> {
  const _id = new Types.ObjectId(key);
  // The snapshot lives in the backtest's payload; records from before kept it inline.
  await bot.app.models.BacktestPayload.updateOne({ _id }, { $unset: { snapshot: 1 } });
  const raw = await bot.app.models.Backtest.collection.findOne({ _id });
  expect(raw).toBeTruthy();
  expect(raw && 'snapshot' in raw).toBe(false);
  const payload = await bot.app.models.BacktestPayload.collection.findOne({ _id });
  expect(payload && 'snapshot' in payload).toBe(false);
}

function field(card: OutgoingMessage['card'], name: string): string {
  const f = card?.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${JSON.stringify(card)}`);
  return f.value;
}

/** What Freqtrade says it ran: the strategy's stats from the stored result file. */
async function ran(t: TestApp, key: string) {
  const bt = await t.app.models.Backtest.findById(key).lean();
  expect(bt?.status, JSON.stringify(bt?.error)).toBe('succeeded');
  const strategy = await t.app.models.Strategy.findById(bt?.strategyId).lean();
  const raw = JSON.parse(readFileSync(String(bt?.resultPath), 'utf8'));
  return raw.strategy[String(strategy?.className)];
}

describe('a backtest queued before an edit', () => {
  it('runs the version it was queued for and says so wherever its result is shown', async () => {
    // Queued at v1 (5% stop, BTC), then edited twice while it waits: v3 has a 2% stop on BTC and ETH.
    const edited = await create('BTC SMA 20/50 cross on 1h with a 5% stop');
    const k1 = await queue(edited);
    await edit(edited, ['1h', '10, 30', '3', '12%', 'btc, eth'], 2);
    await edit(edited, ['1h', '10, 30', '2', '12%', 'btc, eth'], 3);
    const snap = (await withPayload(bot.app.models, await bot.app.models.Backtest.findById(k1).lean()))
      ?.snapshot;
    expect(snap?.code).toContain('stoploss = -0.05');
    expect(snap?.spec).toMatchObject({ stoploss: -0.05, pairs: ['BTC/USDT'] });

    // Queued before snapshots, never edited: runs the strategy's code, which is still that version.
    const untouched = await create('ETH EMA 12/26 cross on 1h with a 4% stop');
    const k2 = await queue(untouched);
    await withoutSnapshot(k2);

    // Queued before snapshots, edited since: runs the kept copy of the version it was queued for.
    const kept = await create('BTC EMA 10/30 cross on 1h with a 4% stop');
    const k3 = await queue(kept);
    await withoutSnapshot(k3);
    await edit(kept, ['1h', '10, 30', '3', '12%', 'btc'], 2);

    // Queued before snapshots, edited since, and that version is gone: fails, asking to run it again.
    const gone = await create('ETH SMA 20/50 cross on 1h with a 5% stop');
    const k4 = await queue(gone);
    await withoutSnapshot(k4);
    await edit(gone, ['1h', '20, 50', '3', '12%', 'eth'], 2);
    const goneDoc = await bot.app.models.Strategy.findOne({ name: gone }).lean();
    await bot.app.models.StrategyVersion.deleteOne({ strategyId: goneDoc?._id, version: 1 });

    // Nothing ran yet: the bot only queues. A worker takes over the same database and runs them all.
    expect(await bot.app.models.Backtest.countDocuments({ status: 'queued' })).toBe(4);
    await bot.stop({ keepStore: true });
    worker = await startTestApp({ BACKTEST_CONCURRENCY: '1' }, { takeOver: bot.store });
    const w = worker;
    const [f1, f2, f3, f4] = await Promise.all([k1, k2, k3, k4].map((k) => w.waitForFinal(k, 240_000)));

    // k1 ran v1 (Freqtrade's own record of the stop-loss and pairs), and its card says v1, not v3.
    const s1 = await ran(w, k1);
    expect(s1.stoploss).toBe(-0.05);
    expect(s1.pairlist).toEqual(['BTC/USDT']);
    expect(f1?.text).toBe(`Backtest of ${edited} v1 ${RANGE}: done.`);
    expect(f1?.card?.title).toBe(`Backtest: ${edited} v1 ${RANGE}`);
    expect(f1?.card?.description).toBe(`BTC/USDT on 1h. Version 1; ${edited} is now at version 3.`);
    expect(field(f1?.card, 'Trades')).toBe(String(s1.total_trades));
    const stored = await withPayload(w.app.models, await w.app.models.Backtest.findById(k1).lean());
    expect(stored?.strategyVersion).toBe(1);

    // The v3 strategy card never shows v1's figures as its own.
    const shown = await w.send(`/show ${edited}`);
    expect(shown[0]?.card?.title).toBe(`${edited} (v3)`);
    expect(field(shown[0]?.card, 'Latest backtest')).toBe(
      // v3 trades other pairs than v1 ran on: the line names the ones it ran on.
      `v1 (now v3), BTC/USDT, ${RANGE}: ${summaryLine(BacktestSummarySchema.parse(stored?.summary))}`,
    );
    expect(summaryLine(BacktestSummarySchema.parse(stored?.summary))).toContain(`${s1.total_trades} trades`);

    // k2: legacy, same version: runs and is labelled like any current result.
    const s2 = await ran(w, k2);
    expect(s2.stoploss).toBe(-0.04);
    expect(f2?.card?.title).toBe(`Backtest: ${untouched} ${RANGE}`);
    expect(f2?.card?.description).toBe('ETH/USDT on 1h');
    expect(field((await w.send(`/show ${untouched}`))[0]?.card, 'Latest backtest')).toMatch(
      new RegExp(`^${RANGE}: ${s2.total_trades} trades`),
    );

    // /compare names the older version beside the current one.
    const [cmp] = await w.send(`/compare ${edited} ${untouched}`);
    const lines = cmp?.card?.description?.split('\n') ?? [];
    expect(lines).toContain(`${edited} v1 (now v3): ${RANGE}, BTC/USDT, 1h`);
    expect(lines).toContain(`${untouched}: ${RANGE}, ETH/USDT, 1h`);

    // k3: legacy, edited since: the kept v1 ran (4% stop), not v2 (3%).
    const s3 = await ran(w, k3);
    expect(s3.stoploss).toBe(-0.04);
    expect(f3?.card?.title).toBe(`Backtest: ${kept} v1 ${RANGE}`);

    // k4: legacy, version gone: failed with a sentence the trader can act on.
    expect(f4?.progress?.state).toBe('failed');
    expect(f4?.text).toBe(
      `Backtest of ${gone} ${RANGE} failed: ${gone} changed from version 1 to version 2 while this backtest waited, and I no longer have version 1. Run the backtest again to test version 2.`,
    );
    const failed = await w.app.models.Backtest.findById(k4).lean();
    expect(failed?.status).toBe('failed');
    expect(failed?.error?.code).toBe('NOT_FOUND');
    expect(field((await w.send(`/show ${gone}`))[0]?.card, 'Latest backtest')).toBe(
      `v1 (now v2), ${RANGE}: failed - ${failed?.error?.message}`,
    );
  }, 420_000);
});
