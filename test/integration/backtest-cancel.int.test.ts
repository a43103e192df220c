// Cancelling backtests through the real core, FerretDB and the Freqtrade engine: a queued one leaves the
// queue and gives its at-once slot back, and the runs behind it move up in their messages; /cancel
// alone takes the latest, /cancel <name> that strategy's; nobody cancels another trader's; a running
// one has its engine child killed (the process is gone, the engine server lives on); and a cancel
// racing the run's own end leaves one final state and one final message.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { alive, childrenOf, engineServerPid } from '../support/engine-processes.ts';
import { until } from '../support/wait.ts';

const FINAL = ['succeeded', 'failed', 'cancelled'];
const isFinal = (key: string) => (m: OutgoingMessage) =>
  m.progress?.key === key && FINAL.includes(m.progress.state);
const cancelButton = (m: OutgoingMessage | undefined) => {
  const action = m?.buttons?.find((b) => b.label === 'Cancel')?.action;
  if (!action) throw new Error(`no Cancel button on ${JSON.stringify(m)}`);
  return action;
};

describe('cancelling queued backtests (a bot that runs none)', () => {
  let bot: TestApp;
  beforeAll(async () => {
    bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
    await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
    await bot.send('/new ETH SMA 20/50 cross on 1h with a 5% stop');
    await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop', 'bob');
  }, 120_000);
  afterAll(async () => {
    await bot?.stop();
  });

  const status = async (key: string) => (await bot.app.models.Backtest.findById(key).lean())?.status;
  const slots = (key: string) => bot.app.models.BacktestSlot.countDocuments({ backtestId: key });
  const jobs = (key: string) =>
    bot.app.models.Backtest.db.collection('agendaJobs').countDocuments({ 'data.backtestId': key });

  it('takes a queued backtest out of the queue from its Cancel button, and only for its owner', async () => {
    const [queued] = await bot.send('/backtest btc-sma-20-50-1h 20240101-20240401');
    const key = String(queued?.progress?.key);
    expect(queued?.buttons?.map((b) => b.label)).toEqual(['Run again', 'Cancel']);
    expect([await slots(key), await jobs(key)]).toEqual([1, 1]);

    // Another trader pressing it (a forwarded message, a shared channel) changes nothing.
    expect(await bot.click(cancelButton(queued), 'bob')).toEqual([
      { text: 'That backtest no longer exists.' },
    ]);
    expect(await bot.send('/cancel', 'bob')).toEqual([{ text: 'You have no backtest queued or running.' }]);
    expect(await status(key)).toBe('queued');

    const replies = await bot.click(cancelButton(queued));
    expect(replies).toEqual([
      {
        text: 'Backtest of btc-sma-20-50-1h 20240101-20240401 on BTC/USDT (1h): cancelled.',
        progress: { key, state: 'cancelled', paced: true },
        buttons: [expect.objectContaining({ label: 'Run again' })],
      },
    ]);
    expect(await status(key)).toBe('cancelled');
    // The at-once slot is given back and no worker will ever pick the run up.
    expect([await slots(key), await jobs(key)]).toEqual([0, 0]);
    const again = await bot.click(cancelButton(queued));
    expect(again[0]?.text).toMatch(/was already cancelled; nothing to cancel\.$/);
  });

  it('cancels the latest with /cancel, a strategy’s with /cancel <name>, and moves the others up', async () => {
    const queue = async (what: string) => String((await bot.send(`/backtest ${what}`))[0]?.progress?.key);
    const first = await queue('btc-sma-20-50-1h 20240101-20240201');
    const eth = await queue('eth-sma-20-50-1h 20240101-20240201');
    const last = await queue('btc-sma-20-50-1h 20240201-20240301');

    const byName = await bot.send('/cancel eth-sma-20-50-1h');
    expect(byName.map((m) => m.text)).toEqual([
      'Backtest of eth-sma-20-50-1h 20240101-20240201 on ETH/USDT (1h): cancelled.',
      'Cancelled the backtest of eth-sma-20-50-1h 20240101-20240201 on ETH/USDT (1h).',
    ]);
    expect(byName[0]?.progress).toEqual({ key: eth, state: 'cancelled', paced: true });
    // The run behind it moved from 3rd to 2nd: its message says so (the queued reply said 3).
    await until('the last run moved up', () =>
      bot.delivered.find(
        (d) => d.message.progress?.key === last && d.message.text.endsWith('Position 2 in the queue.'),
      ),
    );
    expect(await bot.send('/cancel eth-sma-20-50-1h')).toEqual([
      { text: 'No backtest of eth-sma-20-50-1h is queued or running.' },
    ]);

    const latest = await bot.send('/cancel');
    expect(latest.map((m) => m.progress?.key ?? m.text)).toEqual([
      last,
      'Cancelled the backtest of btc-sma-20-50-1h 20240201-20240301 on BTC/USDT (1h).',
      'Still going:\n- btc-sma-20-50-1h 20240101-20240201 on BTC/USDT (1h): queued\nSend /cancel again to cancel the next one.',
    ]);
    expect((await bot.send('/cancel'))[0]?.progress).toEqual({ key: first, state: 'cancelled', paced: true });
    expect(await bot.send('/cancel')).toEqual([{ text: 'You have no backtest queued or running.' }]);
    for (const key of [first, eth, last]) expect(await status(key)).toBe('cancelled');
  });

  it('says a cancel lost to a run that was recording its end, not "nothing to cancel"', async () => {
    const [queued] = await bot.send('/backtest btc-sma-20-50-1h 20240401-20240501');
    const key = String(queued?.progress?.key);
    // The run's end claimed (backtest_ends), its status not written yet: the moment a cancel can land in.
    await bot.app.models.BacktestEnd.create({ _id: key, status: 'succeeded', endedAt: new Date() });
    const replies = await bot.click(cancelButton(queued));
    expect(replies.map((m) => m.text)).toEqual([
      'The backtest of btc-sma-20-50-1h 20240401-20240501 on BTC/USDT (1h) ended as you cancelled it; its own message says how.',
    ]);
  });

  it('takes "cancel my backtest" in words as /cancel', async () => {
    const key = String((await bot.send('/backtest btc-sma-20-50-1h 20240301-20240401'))[0]?.progress?.key);
    const eth = String((await bot.send('/backtest eth-sma-20-50-1h 20240301-20240401'))[0]?.progress?.key);
    const byName = await bot.send('Please stop the backtest of btc-sma-20-50-1h');
    expect(byName[0]?.progress).toEqual({ key, state: 'cancelled', paced: true });
    const latest = await bot.send('cancel my backtest');
    expect(latest[0]?.progress).toEqual({ key: eth, state: 'cancelled', paced: true });
  });
});

describe('cancelling running backtests (bot and worker in one process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.send('/new BTC SMA 20/50 cross on 5m with a 5% stop');
    await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** True once the job of `key` has returned (its Agenda job is removed after it ends). */
  const jobGone = async (key: string) =>
    (await t.app.models.Backtest.db.collection('agendaJobs').countDocuments({ 'data.backtestId': key })) ===
    0;

  it('kills the engine child of a running backtest and says "cancelled" once', async () => {
    const [queued] = await t.send('/backtest btc-sma-20-50-5m 20240101-20241231');
    const key = String(queued?.progress?.key);
    const server = await until('the engine server', () => engineServerPid(t.store.dataDir));
    // The backtest loop under way: the engine reported its percentage.
    await until(
      'the backtest loop',
      () => t.posted.find((m) => m.progress?.key === key && /backtesting\.\.\. \d+%/.test(m.text)),
      120_000,
    );
    const [child] = childrenOf(server);
    if (child === undefined) throw new Error('no engine child while the backtest runs');

    const replies = await t.click(cancelButton(queued));
    expect(replies.map((m) => m.progress)).toEqual([{ key, state: 'cancelled', paced: true }]);
    await until('the engine child to be gone', () => !alive(child), 30_000);
    expect(alive(server)).toBe(true);
    await until('the job to end', () => jobGone(key));
    expect(t.logs.some((l) => l.event === 'backtest_cancelled_run' && l.backtestId === key)).toBe(true);
    // The cancel's message is the only final one: the job posted none.
    expect(t.posted.filter(isFinal(key))).toEqual([]);
    expect((await t.app.models.Backtest.findById(key).lean())?.status).toBe('cancelled');
    expect(await t.app.models.BacktestSlot.countDocuments({ backtestId: key })).toBe(0);
    // Its folder of results (strategy, partial output) goes with it.
    expect(existsSync(path.join(t.store.dataDir, 'backtests', key))).toBe(false);
  }, 180_000);

  it('leaves one final state and one final message when a cancel races the run’s end', async () => {
    // How long such a run takes from its start to its recorded end, measured on one left alone.
    const [timed] = await t.send('/backtest btc-sma-20-50-1h 20240101-20240401');
    const timedKey = String(timed?.progress?.key);
    await t.waitForFinal(timedKey);
    const run = await t.app.models.Backtest.findById(timedKey).lean();
    const runMs = (run?.finishedAt?.getTime() ?? 0) - (run?.startedAt?.getTime() ?? 0);
    const outcomes: string[] = [];
    // Cancels sent ever later after the start, so some land before the run's end and some after.
    for (const [i, share] of [0, 0.3, 0.6, 0.8, 0.9, 1, 1.1, 1.3, 2, 4].entries()) {
      const delayMs = Math.round(share * runMs);
      // Three months each, as long as the timed run, each a new range (not joining an earlier run).
      const range = [i, i + 3].map((m) => new Date(Date.UTC(2023, m, 1)).toISOString().slice(0, 10));
      const [queued] = await t.send(
        `/backtest btc-sma-20-50-1h ${range.map((d) => d.replaceAll('-', '')).join('-')}`,
      );
      const key = String(queued?.progress?.key);
      await until('the run to start', async () => {
        const bt = await t.app.models.Backtest.findById(key).lean();
        return bt?.status !== 'queued';
      });
      await new Promise((r) => setTimeout(r, delayMs));
      const replies = await t.click(cancelButton(queued));
      await until('the job to end', () => jobGone(key), 120_000);
      const status = (await t.app.models.Backtest.findById(key).lean())?.status;
      const finals = [...t.posted, ...replies].filter(isFinal(key));
      expect(finals.map((m) => m.progress?.state)).toEqual([status]);
      if (status === 'cancelled') expect(replies[0]?.progress?.state).toBe('cancelled');
      // Its end recorded first: either its status was read as finished, or the end was recorded as the
      // cancel read it still running.
      else
        expect(replies[0]?.text).toMatch(
          /(has already finished; its result is posted; nothing to cancel|ended as you cancelled it; its own message says how)\.$/,
        );
      outcomes.push(String(status));
    }
    // Both ways of the race happened: the figures did not always win, nor the cancel.
    expect(new Set(outcomes)).toEqual(new Set(['cancelled', 'succeeded']));
  }, 300_000);
});
