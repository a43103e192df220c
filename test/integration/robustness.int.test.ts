// The robustness report end to end: a result card's "How robust?" button and /robust queue it through
// the backtest queue, the job runs the real engine on the sample data three times (full range, in
// sample, out of sample), and the card and chart posted to the chat carry Freqtrade's figures and what
// our code computed on Freqtrade's trade list.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradeOutcomes } from '../../freqtrade/trades.ts';
import { runMonteCarlo } from '../../src/backtest/robustness/monte-carlo.ts';
import { RobustnessReportSchema } from '../../src/backtest/robustness/report.ts';
import { BacktestSummarySchema } from '../../src/backtest/summary.ts';
import { decodeAction } from '../../src/core/actions.ts';
import type { OutgoingMessage } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const RANGE = '20240101-20250101';
const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
const field = (m: OutgoingMessage, start: string) => {
  const f = m.card?.fields.find((x) => x.name.startsWith(start));
  if (!f) throw new Error(`no field "${start}" in ${JSON.stringify(m.card)}`);
  return f.value;
};
/** Freqtrade's result of one of the report's runs, from the run's own folder. */
const resultOf = (id: string, part: 'full' | 'in' | 'out', cls: string) =>
  JSON.parse(readFileSync(path.join(t.store.dataDir, 'backtests', id, part, 'run', 'result.json'), 'utf8'))
    .strategy[cls];

describe('the robustness report', () => {
  it('runs from the result card, splits 70/30, tiles the windows, and repeats its Monte Carlo', async () => {
    await t.send('/new create a BTC/USDT SMA 20/50 cross strategy on 1h with a 5% stop');
    const strategy = await t.app.models.Strategy.findOne({}).lean();
    if (!strategy) throw new Error('no strategy');
    const queued = await t.send(`/backtest ${strategy.name} ${RANGE}`);
    const plainKey = queued[0]?.progress?.key ?? '';
    const plain = await t.waitForFinal(plainKey);
    expect(plain.progress?.state, plain.text).toBe('succeeded');

    // The result card's button.
    const button = plain.buttons?.find((b) => b.label === 'How robust?');
    expect(button && decodeAction(button.action)).toEqual({ name: 'robust', backtestId: plainKey });
    const asked = await t.click(button?.action ?? '');
    const key = asked[0]?.progress?.key ?? '';
    expect(asked[0]?.text).toMatch(
      new RegExp(`^Robustness report of ${strategy.name} ${RANGE} on BTC/USDT \\(1h\\): queued`),
    );
    expect(key).not.toBe(plainKey);

    // /robust without a range takes the latest backtest's; asked again while it waits or runs, it joins.
    const again = await t.send(`/robust ${strategy.name}`);
    expect(again[0]?.text).toMatch(
      new RegExp(
        `^A robustness report of ${strategy.name} ${RANGE} on BTC/USDT \\(1h\\) is already (queued|running)`,
      ),
    );

    const final = await t.waitForFinal(key, 600_000);
    expect(final.progress?.state, final.text).toBe('succeeded');
    const doc = await withPayload(t.app.models, await t.app.models.Backtest.findById(key).lean());
    expect(doc).toMatchObject({ kind: 'robustness', status: 'succeeded', timerange: RANGE });
    const report = RobustnessReportSchema.parse(doc?.robustness);
    const cls = strategy.className;

    // The split's dates: 366 days, 256 in sample; Freqtrade ran each part over exactly those dates.
    expect(report.split).toEqual({ inSample: '20240101-20240913', outOfSample: '20240913-20250101' });
    expect(report.inSample.periodStart.slice(0, 10)).toBe('2024-01-01');
    expect(report.inSample.periodEnd.slice(0, 10)).toBe('2024-09-13');
    expect(report.outOfSample.periodStart.slice(0, 10)).toBe('2024-09-13');
    expect(report.outOfSample.periodEnd.slice(0, 10)).toBe('2025-01-01');
    // The side-by-side figures are Freqtrade's own.
    const inRes = resultOf(key, 'in', cls);
    const outRes = resultOf(key, 'out', cls);
    expect(report.inSample.trades).toBe(inRes.total_trades);
    expect(report.outOfSample.profitTotal).toBe(outRes.profit_total);
    expect(field(final, 'Out of sample')).toContain(`Trades: ${inRes.total_trades} | ${outRes.total_trades}`);

    // Walk-forward windows tile the range and share out the full run's trades.
    const full = resultOf(key, 'full', cls);
    const { windows } = report.walkForward;
    expect(windows.length).toBeGreaterThanOrEqual(4);
    expect(windows.length).toBeLessThanOrEqual(6);
    expect(windows[0]?.start).toBe(day('2024-01-01'));
    expect(windows[windows.length - 1]?.end).toBe(day('2025-01-01'));
    for (let i = 1; i < windows.length; i++) expect(windows[i]?.start).toBe(windows[i - 1]?.end);
    expect(windows.reduce((s, w) => s + w.trades, 0)).toBe(full.total_trades);
    expect(windows.reduce((s, w) => s + w.profitAbs, 0)).toBeCloseTo(full.profit_total_abs, 6);
    expect(report.walkForward.positive).toBe(windows.filter((w) => w.profitAbs > 0).length);

    // Monte Carlo: the same seed gives the same percentiles, and they bracket the actual result.
    const mc = report.monteCarlo;
    if (!mc) throw new Error('no Monte Carlo');
    const recomputed = runMonteCarlo(
      tradeOutcomes({ strategy: { [cls]: full } }, cls),
      full.starting_balance,
    );
    expect(recomputed.summary).toEqual(mc);
    expect(mc.resamples).toBe(1000);
    expect(mc.profit.p5).toBeLessThanOrEqual(full.profit_total);
    expect(mc.profit.p95).toBeGreaterThanOrEqual(full.profit_total);
    expect(mc.drawdown.p5).toBeLessThanOrEqual(full.max_drawdown_account);
    expect(mc.drawdown.p95).toBeGreaterThanOrEqual(full.max_drawdown_account);
    expect(mc.actual.profit).toBeCloseTo(full.profit_total, 6);

    // The card: verdict with reasons, each section naming its source, and the chart.
    expect(final.text).toBe(`Robustness report of ${strategy.name} ${RANGE}: ${report.verdict.word}.`);
    expect(final.card?.fields.map((f) => f.name)).toEqual([
      `Verdict: ${report.verdict.word} (our code, thresholds in code)`,
      'Full range (Freqtrade)',
      'Out of sample: split 70/30, each part a separate Freqtrade run (Freqtrade)',
      `Walk-forward: ${windows.length} windows, our code on the full run's Freqtrade trade list (by close time)`,
      "Monte Carlo (our code on Freqtrade's trade list)",
      'Bias checks (Freqtrade)',
    ]);
    // Freqtrade's lookahead analysis ran on the out-of-sample range and found nothing in the SMA cross.
    expect(report.lookahead).toMatchObject({
      checked: true,
      biased: false,
      timerange: report.split.outOfSample,
    });
    expect(field(final, 'Bias checks')).toContain(
      `Lookahead analysis on ${report.split.outOfSample}: no bias. ${report.lookahead?.sentence}`,
    );
    // Freqtrade's recursive analysis ran with it and found the SMAs independent of the startup count.
    expect(report.lookahead?.recursive).toMatchObject({ checked: true, varies: false });
    expect(field(final, 'Bias checks')).toContain(
      `Recursive-indicator analysis on ${report.split.outOfSample}: stable. ${report.lookahead?.recursive?.sentence}`,
    );
    // Our own check finds no negative shift in the SMA cross's conditions, and says nothing of one.
    expect(report.negativeShifts).toEqual([]);
    expect(field(final, 'Bias checks')).not.toContain("our code's own check");
    expect(report.verdict.reasons.length).toBeGreaterThan(0);
    expect(field(final, 'Monte Carlo')).toContain('1,000 bootstraps');
    expect(field(final, 'Walk-forward')).toContain(
      `${report.walkForward.positive} of ${windows.length} windows in profit`,
    );
    const png = final.card?.image?.data;
    expect(png && [...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);

    // A report is never "the latest backtest": /show still shows the plain one.
    const shown = await t.send(`/show ${strategy.name}`);
    const plainDoc = await withPayload(t.app.models, await t.app.models.Backtest.findById(plainKey).lean());
    const plainTrades = BacktestSummarySchema.parse(plainDoc?.summary).trades;
    expect(shown[0]?.card?.fields.find((f) => f.name === 'Latest backtest')?.value).toContain(
      `${plainTrades} trades`,
    );
    if (process.env.ROBUST_CARD_OUT) {
      writeFileSync(
        process.env.ROBUST_CARD_OUT,
        JSON.stringify({ ...final.card, image: undefined }, null, 2),
      );
      if (png) writeFileSync(`${process.env.ROBUST_CARD_OUT}.png`, png);
    }
  }, 900_000);
});
