// The spec's protections and open-trade cap reach Freqtrade's real backtest (it ignores protections
// unless the config enables them, and the config's max_open_trades would override the class's), and a
// futures spec with shorts goes from /new through the queued job to a Freqtrade futures backtest.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { engineRequest } from '../../freqtrade/runner.ts';
import { loadConfig } from '../../src/config.ts';
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';
import { type StrategySpec, strategyClassName, validateSpec } from '../../src/strategy/spec.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const config = loadConfig({});
const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-protections-'));
let runner: LocalRunner;
let t: TestApp;

beforeAll(async () => {
  const ft = config.freqtrade;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
    throw new Error('run node scripts/bootstrap.mjs first');
  runner = createLocalRunner({
    python: ft.python,
    path: ft.path,
    engineDir: ft.engineDir,
    marketDataDir: ft.marketDataDir,
    marketsPath: ft.marketsPath,
    resultsRoot,
    timeoutMs: 300_000,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
    logger: pino({ level: 'silent' }),
  });
  t = await startTestApp();
});
afterAll(async () => {
  await runner?.stop();
  await t?.stop();
  rmSync(resultsRoot, { recursive: true, force: true });
});

const TradeSchema = z.object({ pair: z.string(), open_timestamp: z.number(), close_timestamp: z.number() });
type Trade = z.infer<typeof TradeSchema>;
const ResultSchema = z.object({ strategy: z.record(z.string(), z.object({ trades: z.array(TradeSchema) })) });

function baseSpec(): StrategySpec {
  const parsed = parseStrategyText('buy when rsi below 30, sell when rsi above 70 on btc, eth and sol 1h');
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(parsed.spec.pairs).toHaveLength(3);
  return parsed.spec;
}

/** Backtests `spec` (optionally telling the runner its cap) and returns Freqtrade's trade list. */
async function trades(spec: StrategySpec, name: string, maxOpenTrades?: number): Promise<Trade[]> {
  const checked = validateSpec(spec);
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  const className = strategyClassName(name);
  const run = await runner.run({
    backtestId: `${name}-${Date.now()}`,
    className,
    code: renderStrategy(checked.spec, { className, name }),
    timeframe: spec.timeframe,
    pairs: spec.pairs,
    timerange: '20240101-20250101',
    ...(maxOpenTrades !== undefined ? { maxOpenTrades } : {}),
  });
  const list = ResultSchema.parse(run.result).strategy[className]?.trades;
  if (!list) throw new Error(`no trades list for ${className}`);
  return list;
}

/** The most trades open at the same moment, from their open and close times. */
function mostOpenAtOnce(list: Trade[]): number {
  const events = list.flatMap((tr) => [
    { at: tr.open_timestamp, step: 1 },
    { at: tr.close_timestamp, step: -1 },
  ]);
  // A close and an open on the same candle: the close frees the slot first.
  events.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const e of events) {
    open += e.step;
    most = Math.max(most, open);
  }
  return most;
}

describe('protections and the open-trade cap reach Freqtrade', () => {
  it('a long cooldown makes fewer trades than the same spec without it', async () => {
    const spec = baseSpec();
    const without = await trades(spec, 'rsi-free');
    const cooled = await trades({ ...spec, protections: { cooldownCandles: 1000 } }, 'rsi-cooled');
    expect(without.length).toBeGreaterThan(0);
    expect(cooled.length).toBeGreaterThan(0);
    expect(cooled.length).toBeLessThan(without.length / 2);
    // Per pair, no entry within 1000 hourly candles of the previous exit.
    for (const pair of spec.pairs) {
      const own = cooled.filter((tr) => tr.pair === pair).sort((a, b) => a.open_timestamp - b.open_timestamp);
      for (let i = 1; i < own.length; i++) {
        const gapHours = ((own[i]?.open_timestamp ?? 0) - (own[i - 1]?.close_timestamp ?? 0)) / 3_600_000;
        expect(gapHours).toBeGreaterThanOrEqual(1000);
      }
    }
  });

  it('maxOpenTrades 1 on three pairs never holds two trades at once', async () => {
    const spec = baseSpec();
    const free = await trades(spec, 'rsi-uncapped');
    expect(mostOpenAtOnce(free)).toBeGreaterThan(1); // otherwise the cap below proves nothing
    // The class's own max_open_trades wins over the request's fallback (one per pair)...
    const capped = await trades({ ...spec, maxOpenTrades: 1 }, 'rsi-capped');
    expect(capped.length).toBeGreaterThan(0);
    expect(mostOpenAtOnce(capped)).toBe(1);
    // ...and the runner passes the spec's cap on as the request's max_open_trades.
    const request = engineRequest(
      {
        backtestId: 'x',
        className: 'X',
        code: '',
        timeframe: '1h',
        pairs: spec.pairs,
        timerange: '20240101-',
      },
      { strategyPath: 's', datadir: 'd', marketsPath: 'm', resultsDir: 'r' },
      { stakeCurrency: 'USDT', startingBalance: 1000 },
    );
    expect(request.max_open_trades).toBe(3);
    const withCap = engineRequest(
      {
        backtestId: 'x',
        className: 'X',
        code: '',
        timeframe: '1h',
        pairs: spec.pairs,
        timerange: '20240101-',
        maxOpenTrades: 1,
      },
      { strategyPath: 's', datadir: 'd', marketsPath: 'm', resultsDir: 'r' },
      { stakeCurrency: 'USDT', startingBalance: 1000 },
    );
    expect(withCap.max_open_trades).toBe(1);
  });
});

const FuturesResultSchema = z.object({
  strategy: z.record(
    z.string(),
    z.object({
      trading_mode: z.string(),
      margin_mode: z.string(),
      trades: z.array(z.object({ pair: z.string(), is_short: z.boolean(), funding_fees: z.number() })),
    }),
  ),
});

describe('futures specs', () => {
  it('are created and backtest on the USDT perpetuals, with short trades', async () => {
    const out = await t.send(
      '/new BTC buy when rsi below 30 and sell above 70, short when rsi above 70 and cover below 30 on futures',
    );
    expect(out[0]?.text).toMatch(/^Created /);
    const strategy = await t.app.models.Strategy.findOne({ code: /can_short = True/ }).lean();
    if (!strategy) throw new Error(`no futures strategy stored; replied ${out[0]?.text}`);

    const queued = await t.send(`/backtest ${strategy.name} 20240101-20240701`);
    const key = queued[0]?.progress?.key;
    if (!key) throw new Error(`not queued: ${queued[0]?.text}`);
    const final = await t.waitForFinal(key, 300_000);
    expect(final.progress?.state, final.text).toBe('succeeded');

    const bt = await t.app.models.Backtest.findById(key).lean();
    const raw = FuturesResultSchema.parse(JSON.parse(readFileSync(String(bt?.resultPath), 'utf8')));
    const stats = raw.strategy[strategy.className];
    expect([stats?.trading_mode, stats?.margin_mode]).toEqual(['futures', 'isolated']);
    const shorts = stats?.trades.filter((tr) => tr.is_short) ?? [];
    expect(shorts.length).toBeGreaterThan(0);
    expect(stats?.trades.length).toBeGreaterThan(shorts.length); // longs too
    expect(new Set(stats?.trades.map((tr) => tr.pair))).toEqual(new Set(['BTC/USDT:USDT']));
    // The perpetual's funding (pairs.FUNDING_RATE every 8 h) is charged to trades held over a funding time.
    expect(stats?.trades.some((tr) => tr.funding_fees !== 0)).toBe(true);
  }, 330_000);
});
