// /backtest at the edges of the market data and of its arguments, through the real app on FerretDB
// (a bot-only process: runs are queued, never run). A range starting before the candles do is tested
// from where they start and the trader is told; a one-day range gets an example that works; arguments
// that are neither a range nor a pair get a sentence and queue nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { sampleCatalog } from '../support/catalog.ts';

let bot: TestApp;
let name: string;
const day = (d: Date) => d.toISOString().slice(0, 10);

beforeAll(async () => {
  bot = await startTestApp({ GENTRADE_ROLE: 'bot' });
  const out = await bot.send('/new BTC SMA 20/50 cross on 1h with a 5% stop');
  name = /^Created ([a-z0-9-]+)\./.exec(out[0]?.text ?? '')?.[1] ?? '';
  expect(name).not.toBe('');
});
afterAll(async () => {
  await bot?.stop();
});

const queued = () => bot.app.models.Backtest.countDocuments({});

describe('/backtest ranges and arguments', () => {
  it('tests a range that starts before the data from where the data starts, and says so', async () => {
    const first = sampleCatalog().coverage('BTC/USDT', '1h')?.first;
    if (!first) throw new Error('no BTC/USDT 1h coverage in the sample data');
    expect(first.getUTCFullYear()).toBeGreaterThan(2015);
    const out = await bot.send(`/backtest ${name} 20150101-20240301`);
    const start = day(first).replaceAll('-', '');
    expect(out[0]?.text).toContain(`${start}-20240301`);
    expect(out[0]?.progress?.state).toBe('queued');
    expect(out[1]?.text).toBe(
      `Period: ${day(first)} to 2024-03-01, where the market data starts ("20150101-20240301").`,
    );
    const bt = await bot.app.models.Backtest.findById(String(out[0]?.progress?.key)).lean();
    expect(bt?.timerange).toBe(`${start}-20240301`);
  });

  it('answers a one-day range with an example that is not the refused range', async () => {
    const before = await queued();
    const out = await bot.send(`/backtest ${name} 20240101-20240101`);
    expect(out).toHaveLength(1);
    expect(out[0]?.text).toContain('starts and ends on the same day');
    expect(out[0]?.text).toContain('use 20240101-20240102');
    expect(out[0]?.text).not.toMatch(/for example 20240101-20240101/);
    expect(await queued()).toBe(before);
  });

  it.each([
    ['a dash before a date', '-20240101'],
    ['a JSON object', '{"$gt":""}'],
    ['a word in brackets', '(btc)'],
  ])('refuses %s as neither a range nor a pair, queueing nothing', async (_label, arg) => {
    const before = await queued();
    const out = await bot.send(`/backtest ${name} 20240101-20240301 ${arg}`);
    expect(out[0]?.text).toBe(
      `"${arg}" is neither a date range nor a pair. Usage: /backtest <name> [YYYYMMDD-YYYYMMDD] [pairs], for example /backtest ${name} 20240101-20240701 BTC/USDT,ETH/USDT.`,
    );
    expect(await queued()).toBe(before);
  });

  it('takes a year in words and other pairs, and says the dates', async () => {
    const out = await bot.send(`/backtest ${name} 2024 ETH/USDT`);
    expect(out[0]?.text).toContain('20240101-20250101 on ETH/USDT (1h): queued.');
    expect(out[1]?.text).toBe('Period: 2024-01-01 to 2025-01-01 ("2024").');
  });
});
