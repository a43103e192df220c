// Cancelling a running robustness report through the real core, FerretDB and the Freqtrade engine: its
// progress message carries Cancel while Freqtrade runs (paced edits, as a backtest's), the cancel's
// message is the one final message, and the report is not queued again (the job reads the cancel as a
// cancel, not as its worker stopping). Also /robust's own usage line for arguments it can't read.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/wait.ts';

const FINAL = ['succeeded', 'failed', 'cancelled'];

describe('cancelling a running robustness report', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.send('/new BTC SMA 20/50 cross on 5m with a 5% stop');
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  const jobs = (key: string) =>
    t.app.models.Backtest.db.collection('agendaJobs').countDocuments({ 'data.backtestId': key });

  it('says cancelled once, from the Cancel button on its running message, and does not run again', async () => {
    const [queued] = await t.send('/robust btc-sma-20-50-5m 20240101-20241231');
    const key = String(queued?.progress?.key);
    const running = await until(
      'the report running its first Freqtrade run',
      () =>
        t.posted.find(
          (m) =>
            m.progress?.key === key && m.progress.state === 'running' && /Freqtrade run 1 of 3/.test(m.text),
        ),
      120_000,
    );
    expect(running.text).toMatch(
      /^Robustness report of btc-sma-20-50-5m 20240101-20241231: Freqtrade run 1 of 3/,
    );
    expect(running.progress).toEqual({ key, state: 'running', paced: true });
    const cancel = running.buttons?.find((b) => b.label === 'Cancel')?.action;
    if (!cancel) throw new Error(`no Cancel button on ${JSON.stringify(running)}`);

    const replies = await t.click(cancel);
    expect(replies).toEqual([
      {
        text: 'Robustness report of btc-sma-20-50-5m 20240101-20241231 on BTC/USDT (5m): cancelled.',
        progress: { key, state: 'cancelled', paced: true },
        buttons: [expect.objectContaining({ label: 'Run again' })],
      },
    ]);
    await until('the job to end', async () => (await jobs(key)) === 0, 120_000);
    const events = t.logs.filter((l) => l.backtestId === key).map((l) => l.event);
    expect(events).toContain('robustness_cancelled_run');
    expect(events).not.toContain('robustness_requeued');
    expect(events.filter((e) => e === 'robustness_started')).toHaveLength(1);
    // Not queued again: no job left, and the record keeps its cancelled end.
    expect(await jobs(key)).toBe(0);
    expect((await t.app.models.Backtest.findById(key).lean())?.status).toBe('cancelled');
    // The cancel's reply is the one final message: the job posted none.
    const finals = [...t.posted, ...replies].filter(
      (m: OutgoingMessage) => m.progress?.key === key && FINAL.includes(m.progress.state),
    );
    expect(finals.map((m) => m.progress?.state)).toEqual(['cancelled']);
    // Its engine runs' folders (all under the record's id) go with it.
    await until('the run folder to go', () => !existsSync(path.join(t.store.dataDir, 'backtests', key)));
  }, 300_000);

  it("refuses bad arguments with /robust's own usage line", async () => {
    expect(await t.send('/robust btc-sma-20-50-5m 20240101-20240701 {"x":1}')).toEqual([
      {
        text: '"{"x":1}" is neither a date range nor a pair. Usage: /robust <name> [YYYYMMDD-YYYYMMDD] [pairs], for example /robust btc-sma-20-50-5m 20240101-20240701 BTC/USDT,ETH/USDT.',
      },
    ]);
  });
});
