// Fair queues: one trader queues eight backtests, another two, through a bot that runs none; then two
// workers start on the shared queue. The second trader is told a place near the front and is served
// round-robin with the first, not behind all eight; no worker locks more than it can run at once, so
// none hoards the first trader's runs; and every backtest posts exactly one result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps.reverse()) await a.stop({ keepStore: a !== apps[0] });
});

/** Month `m` of 2024 as a backtest range. */
const month = (m: number) => `2024${String(m).padStart(2, '0')}01-2024${String(m).padStart(2, '0')}28`;

describe('two traders sharing the workers', () => {
  let bot: TestApp;
  beforeAll(async () => {
    bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
    apps.push(bot);
  });

  it('serves them round-robin and says where each run stands in the queue', async () => {
    const names: Record<string, string> = {};
    for (const user of ['alice', 'bob']) {
      const created = await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop', user);
      names[user] = String(/Created ([a-z0-9-]+)/.exec(created[0]?.text ?? '')?.[1]);
    }
    const queue = async (user: string, m: number) => {
      const reply = await bot.send(`/backtest ${names[user]} ${month(m)}`, user);
      return { text: reply[0]?.text ?? '', key: String(reply[0]?.progress?.key) };
    };
    const alice = [];
    for (let m = 1; m <= 8; m++) alice.push(await queue('alice', m));
    const bob = [await queue('bob', 1), await queue('bob', 2)];

    // Places counted as the workers will take them: Alice's first (queued before Bob's), then Bob's.
    expect(alice[0]?.text).toMatch(/: queued\.$/);
    expect(alice[7]?.text).toMatch(/: queued\. Position 8 in the queue\.$/);
    expect(bob[0]?.text).toMatch(/: queued\. Position 2 in the queue\.$/);
    expect(bob[1]?.text).toMatch(/: queued\. Position 4 in the queue\.$/);

    const jobs = bot.app.models.Backtest.db.collection('agendaJobs');
    let mostLocked = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        mostLocked = Math.max(mostLocked, await jobs.countDocuments({ lockedAt: { $ne: null } }));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    for (let i = 0; i < 2; i++) {
      apps.push(
        await startTestApp({ GENTRADE_ROLE: 'worker', BACKTEST_CONCURRENCY: '1' }, { takeOver: bot.store }),
      );
    }
    const all = [...alice, ...bob];
    // Each worker hosts the test platform too, so a result is posted by whichever worker ran it.
    const posted = () => apps.flatMap((a) => a.posted);
    const finals = (key: string) =>
      posted().filter((m) => m.progress?.key === key && ['succeeded', 'failed'].includes(m.progress.state));
    await until('every result', () => all.every(({ key }) => finals(key).length > 0), 180_000);
    sampling = false;
    await sampler;

    const started = await bot.app.models.Backtest.find({}, { startedAt: 1, ownerId: 1 })
      .sort({ startedAt: 1 })
      .lean();
    const order = started.map((b) => (bob.some((x) => x.key === b._id.toString()) ? 'bob' : 'alice'));
    // Round-robin: Bob's two runs start among the first few, not after Alice's eight.
    expect(order.indexOf('bob'), order.join(' ')).toBeLessThanOrEqual(2);
    expect(order.lastIndexOf('bob'), order.join(' ')).toBeLessThanOrEqual(4);
    // Two workers running one backtest each: never more than two jobs locked.
    expect(mostLocked).toBeGreaterThan(0);
    expect(mostLocked).toBeLessThanOrEqual(2);
    for (const { key } of all) expect(finals(key).map((m) => m.progress?.state)).toEqual(['succeeded']);
  }, 300_000);
});
