// Editing (a form where the platform has modals, field by field elsewhere), backtest date presets,
// and /compare, through the real core, database and engine.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equitySeries } from '../../freqtrade/chart.ts';
import { readResultJson } from '../../freqtrade/result.ts';
import { StoredEquitySchema } from '../../src/backtest/equity.ts';
import type { IncomingEvent } from '../../src/core/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { withPayload } from '../support/backtest-payload.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
  await t.send('/new ETH EMA 12/26 cross on 1h with a 4% stop');
});
afterAll(async () => {
  await t?.stop();
});

const strategy = (name: string) => t.app.models.Strategy.findOne({ name }).lean();

describe('edit', () => {
  it('asks field by field on a platform without forms and saves a new version', async () => {
    const q1 = await t.send('/edit btc-sma-20-50-1h');
    expect(q1[0]?.text).toContain('Edit btc-sma-20-50-1h (1/5): Timeframe');
    expect(q1[0]?.text).toContain('Now: 1h');
    const q2 = await t.send('4h');
    expect(q2[0]?.text).toContain('(2/5): Indicator parameters');
    expect(q2[0]?.text).toContain('Now: SMA 20, SMA 50');
    await t.send('10, 30');
    const again = await t.send('lots');
    expect(again[0]?.text).toContain('"lots" isn\'t a percentage between 0 and 100.');
    expect(again[0]?.text).toContain('(3/5): Stop-loss %');
    await t.send('3');
    await t.send('12%');
    const saved = await t.send('btc, eth');
    expect(saved[0]?.text).toBe('Saved btc-sma-20-50-1h as version 2.');
    const doc = await strategy('btc-sma-20-50-1h');
    expect(doc?.version).toBe(2);
    expect(doc?.spec).toMatchObject({
      timeframe: '4h',
      stoploss: -0.03,
      minimalRoi: { '0': 0.12 },
      pairs: ['BTC/USDT', 'ETH/USDT'],
      entry: {
        all: [{ op: 'crosses_above', left: { kind: 'sma', period: 10 }, right: { kind: 'sma', period: 30 } }],
      },
    });
    expect(doc?.code).toContain('timeframe = "4h"');
    const v1 = await t.app.models.StrategyVersion.findOne({ strategyId: doc?._id, version: 1 }).lean();
    expect(v1?.spec).toMatchObject({ timeframe: '1h', stoploss: -0.05 });
  });

  it('shows what changed between two versions: the spec in words, the code as a diff file', async () => {
    const [out] = await t.send('/diff btc-sma-20-50-1h');
    expect(out?.text).toContain('btc-sma-20-50-1h: v1 → v2');
    expect(out?.text).toContain('stoploss: -0.05 → -0.03');
    expect(out?.text).toContain('timeframe: "1h" → "4h"');
    expect(out?.text).toContain('+ pairs[1]: "ETH/USDT"');
    expect(out?.code?.filename).toBe('btc-sma-20-50-1h-v1-v2.diff');
    expect(out?.code?.content).toContain('-    timeframe = "1h"');
    expect(out?.code?.content).toContain('+    timeframe = "4h"');
    expect((await t.send('/diff btc-sma-20-50-1h 2 2'))[0]?.text).toBe(
      'btc-sma-20-50-1h v2 and v2 are the same.',
    );
    expect((await t.send('/diff btc-sma-20-50-1h 7'))[0]?.text).toBe(
      'btc-sma-20-50-1h has no version 7; it has v1 to v2.',
    );
    expect((await t.send('/diff btc-sma-20-50-1h one'))[0]?.text).toContain('"one" is not a version number.');
    // The example names the trader's own strategy.
    expect((await t.send('/diff eth-ema-12-26-1h 9 x'))[0]?.text).toBe(
      '"x" is not a version number. Usage: /diff <name> [version] [version], e.g. /diff eth-ema-12-26-1h 1 3',
    );
  });

  it('drops a half-filled form when the person moves on to a command', async () => {
    await t.send('/edit btc-sma-20-50-1h');
    expect(await t.app.models.FormSession.countDocuments()).toBe(1);
    await t.send('/strategies');
    expect(await t.app.models.FormSession.countDocuments()).toBe(0);
  });

  it('takes a submitted form in one go, and refuses a bad value without changing anything', async () => {
    const doc = await strategy('eth-ema-12-26-1h');
    const id = String(doc?._id);
    const opened = await t.app.conversation.handle(
      formCapable({ kind: 'command', name: 'edit', args: 'eth-ema-12-26-1h' }),
    );
    const form = opened[0]?.form;
    expect(form?.fields.map((f) => f.key)).toEqual(['timeframe', 'params', 'stoploss', 'roi', 'pairs']);
    const submit = String(form?.submit);
    const bad = await t.app.conversation.handle(
      formCapable({
        kind: 'form',
        submit,
        values: { timeframe: '1h', params: 'EMA 12', stoploss: '4', roi: '', pairs: 'ETH/USDT' },
      }),
    );
    expect(bad[0]?.text).toBe('Give 2 numbers for the parameters, in this order: EMA, EMA. Got 1.');
    const worse = await t.app.conversation.handle(
      formCapable({
        kind: 'form',
        submit,
        values: { timeframe: '1h', params: 'EMA 12, EMA 26', stoploss: 'lots', roi: '', pairs: 'ETH/USDT' },
      }),
    );
    expect(worse[0]?.text).toBe('Stop-loss must be a percentage between 0 and 100, got "lots".');
    expect((await strategy('eth-ema-12-26-1h'))?.version).toBe(1);
    const ok = await t.app.conversation.handle(
      formCapable({
        kind: 'form',
        submit,
        values: { timeframe: '1h', params: 'EMA 9, EMA 21', stoploss: '2.5', roi: '', pairs: 'ETH/USDT' },
      }),
    );
    expect(ok[0]?.text).toBe('Saved eth-ema-12-26-1h as version 2.');
    expect((await t.app.models.Strategy.findById(id).lean())?.spec).toMatchObject({ stoploss: -0.025 });
  });
});

function formCapable(e: Record<string, unknown> & { kind: string }): IncomingEvent {
  const base = {
    address: { platform: 'test', conversationId: 'dm-alice', userId: 'alice' },
    sender: { platformUserId: 'alice', displayName: 'alice' },
    receivedAt: new Date(),
    capabilities: { forms: true },
  };
  if (e.kind === 'form') {
    const values: Record<string, string> = {};
    if (typeof e.values === 'object' && e.values !== null) {
      for (const [k, v] of Object.entries(e.values)) values[k] = String(v);
    }
    return { ...base, kind: 'form', submit: String(e.submit), values };
  }
  return { ...base, kind: 'command', name: String(e.name), args: String(e.args) };
}

describe('backtest presets and compare', () => {
  it('offers date presets that end where the data ends, and runs the one pressed', async () => {
    const card = await t.send('/show eth-ema-12-26-1h');
    const backtest = card[0]?.buttons?.find((b) => b.label === 'Backtest');
    const ask = await t.click(String(backtest?.action));
    expect(ask[0]?.text).toContain('ending 2025-12-31');
    expect(ask[0]?.buttons?.map((b) => b.label)).toEqual([
      '1 month',
      '3 months',
      '6 months',
      '1 year',
      'Custom',
    ]);
    const custom = await t.click(String(ask[0]?.buttons?.[4]?.action));
    expect(custom[0]?.text).toBe(
      'Type the range as: /backtest eth-ema-12-26-1h YYYYMMDD-YYYYMMDD (data up to 20251231)',
    );
    const queued = await t.click(String(ask[0]?.buttons?.[1]?.action));
    expect(queued[0]?.text).toContain('20251001-20251231');
    // Pressing the same preset again joins the run already queued instead of starting a second one, and
    // says so in a plain sentence (a stale "queued" progress state would be dropped by the platforms).
    const again = await t.click(String(ask[0]?.buttons?.[1]?.action));
    expect(again).toEqual([
      {
        text: expect.stringMatching(
          /^A backtest of eth-ema-12-26-1h 20251001-20251231 on .+ is already (queued|running); its result will be posted here\.$/,
        ),
      },
    ]);
    expect(await t.app.models.Backtest.countDocuments({ timerange: '20251001-20251231' })).toBe(1);
    expect(queued[0]?.buttons?.[0]).toMatchObject({ label: 'Run again', disabled: true });
    const final = await t.waitForFinal(String(queued[0]?.progress?.key));
    expect(final.progress?.state).toBe('succeeded');
    expect(final.buttons?.[0]).toMatchObject({ label: 'Run again' });
    expect(final.buttons?.[0]?.disabled).toBeFalsy();
  });

  it('compares the latest results of two strategies side by side', async () => {
    const missing = await t.send('/compare btc-sma-20-50-1h eth-ema-12-26-1h');
    expect(missing[0]?.text).toBe(
      'btc-sma-20-50-1h has no finished backtest yet. Run /backtest btc-sma-20-50-1h first.',
    );
    const q = await t.send('/backtest btc-sma-20-50-1h 20250101-20250601');
    await t.waitForFinal(String(q[0]?.progress?.key));
    const out = await t.send('/compare btc-sma-20-50-1h eth-ema-12-26-1h');
    const card = out[0]?.card;
    expect(card?.title).toBe('Compare: btc-sma-20-50-1h vs eth-ema-12-26-1h');
    // Different periods (and pairs, and timeframes after the edit to 4h): the card says so first.
    expect(card?.description?.split('\n')[0]).toMatch(
      /^Warning: not like for like, different periods \(btc-sma-20-50-1h: 2025-01-01 to 2025-0[56]-\d\d; eth-ema-12-26-1h: 2025-10-01 to 2025-12-\d\d\), different pairs \(btc-sma-20-50-1h: BTC\/USDT, ETH\/USDT; eth-ema-12-26-1h: ETH\/USDT\), different timeframes \(btc-sma-20-50-1h: 4h; eth-ema-12-26-1h: 1h\)\. Backtest both over the same range to compare them fairly\.$/,
    );
    const a = await withPayload(
      t.app.models,
      await t.app.models.Backtest.findOne({ strategyName: 'btc-sma-20-50-1h', status: 'succeeded' }).lean(),
    );
    const b = await withPayload(
      t.app.models,
      await t.app.models.Backtest.findOne({ strategyName: 'eth-ema-12-26-1h', status: 'succeeded' }).lean(),
    );
    expect(card?.fields.find((f) => f.name === 'Trades')?.value).toBe(
      `${a?.summary?.trades} | ${b?.summary?.trades}`,
    );
    expect(card?.image?.data.length).toBeGreaterThan(1000);
    // The curves are stored with the backtests: a bot process without the worker's result files
    // (docker-compose runs them apart) still draws the chart, from the same figures.
    for (const bt of [a, b]) {
      const strategy = await t.app.models.Strategy.findById(bt?.strategyId).lean();
      const result = readResultJson(readFileSync(String(bt?.resultPath), 'utf8'));
      // One string per curve (see storedEquity), not an array of objects the database decodes on every scan.
      expect(typeof bt?.equity).toBe('string');
      expect(StoredEquitySchema.parse(bt?.equity)).toEqual(equitySeries(result, String(strategy?.className)));
      rmSync(String(bt?.resultPath));
    }
    const again = await t.send('/compare btc-sma-20-50-1h eth-ema-12-26-1h');
    expect(again[0]?.card?.image?.data.length).toBeGreaterThan(1000);
    expect((await t.send('/compare only-one'))[0]?.text).toBe('Usage: /compare <name> <name>');
  });
});
