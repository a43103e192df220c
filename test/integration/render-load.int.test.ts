// Rendered golden strategies in the real Freqtrade engine (one-shot backtest, offline sample data): the
// MACD/Bollinger, informative-timeframe and volume/OBV shapes load and backtest; the futures strategy
// with shorts backtests on the USDT perpetuals and opens short trades.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalRunner } from '../../freqtrade/local-runner.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { parseBacktestResult } from '../../freqtrade/result.ts';
import { loadConfig } from '../../src/config.ts';
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';
import { strategyClassName } from '../../src/strategy/spec.ts';
import { GOLDEN } from '../fixtures/golden/specs.ts';

const config = loadConfig({});
const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-render-load-'));
afterAll(() => rmSync(resultsRoot, { recursive: true, force: true }));

function runner() {
  const ft = config.freqtrade;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
    throw new Error('run node scripts/bootstrap.mjs first');
  return createLocalRunner({
    python: ft.python,
    path: ft.path,
    engineDir: ft.engineDir,
    marketDataDir: ft.marketDataDir,
    marketsPath: ft.marketsPath,
    resultsRoot,
    timeoutMs: 180_000,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
    logger: pino({ level: 'silent' }),
  });
}

const FuturesTradesSchema = z.object({
  strategy: z.record(
    z.string(),
    z.object({
      trading_mode: z.string(),
      trades: z.array(z.object({ pair: z.string(), is_short: z.boolean() })),
    }),
  ),
});

const StopTradesSchema = z.object({
  strategy: z.record(
    z.string(),
    z.object({ trades: z.array(z.object({ exit_reason: z.string(), profit_ratio: z.number() })) }),
  ),
});

function backtest(name: string) {
  const g = GOLDEN.find((x) => x.name === name);
  if (g === undefined) throw new Error(`no golden strategy ${name}`);
  const className = strategyClassName(g.name);
  return {
    className,
    spec: g.spec,
    run: () =>
      runner().run({
        backtestId: `${className}-${Date.now()}`,
        className,
        code: renderStrategy(g.spec, { className, name: g.name }),
        timeframe: g.spec.timeframe,
        pairs: g.spec.pairs,
        timerange: '20240101-20240601',
        tradingMode: g.spec.tradingMode,
      }),
  };
}

/** Reads plain words with the offline parser, renders them and backtests the strategy over five months. */
async function backtestWords(text: string) {
  const parsed = parseStrategyText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const className = strategyClassName(parsed.name);
  const { result } = await runner().run({
    backtestId: `${className}-${Date.now()}`,
    className,
    code: renderStrategy(parsed.spec, { className, name: parsed.name }),
    timeframe: parsed.spec.timeframe,
    pairs: parsed.spec.pairs,
    timerange: '20240101-20240601',
    tradingMode: parsed.spec.tradingMode,
  });
  return { spec: parsed.spec, className, result };
}

describe('rendered golden strategies in Freqtrade', () => {
  it.each(['btc-macd-bollinger-1h', 'eth-trend-4h-confirm-1h', 'eth-sol-pullback-4h'])(
    '%s loads and backtests',
    async (name) => {
      const { className, spec, run } = backtest(name);
      const summary = parseBacktestResult((await run()).result, className);
      expect(summary.timeframe).toBe(spec.timeframe);
      expect(summary.trades).toBeGreaterThan(0);
    },
    200_000,
  );

  it('backtests the futures strategy on the USDT perpetual with at least one short trade', async () => {
    const { className, spec, run } = backtest('btc-futures-long-short-1h');
    expect(spec.tradingMode).toBe('futures');
    const { result } = await run();
    const stats = FuturesTradesSchema.parse(result).strategy[className];
    expect(stats?.trading_mode).toBe('futures');
    expect(stats?.trades.every((tr) => tr.pair === 'BTC/USDT:USDT')).toBe(true);
    expect(stats?.trades.some((tr) => tr.is_short)).toBe(true);
    expect(stats?.trades.some((tr) => !tr.is_short)).toBe(true);
    expect(parseBacktestResult(result, className).trades).toBe(stats?.trades.length);
  }, 200_000);

  it('backtests an ATR stop read from plain words: stopped trades lose about 2 ATR, less than the fixed 10%', async () => {
    const { spec, className, result } = await backtestWords('btc ema 9/21 cross on 1h with a 2x atr stop');
    expect(spec.atrStop).toEqual({ period: 14, multiplier: 2 });
    const trades = StopTradesSchema.parse(result).strategy[className]?.trades ?? [];
    const stopped = trades.filter((t) => t.exit_reason.includes('stop_loss'));
    expect(stopped.length).toBeGreaterThan(0);
    // Each stopped trade closed well inside the 10% ceiling: the ATR set the stop, not the fixed stoploss.
    for (const t of stopped) expect(t.profit_ratio).toBeGreaterThan(-0.09);
  }, 200_000);

  it('backtests a short-only strategy read from plain words: every trade is a short', async () => {
    const { spec, className, result } = await backtestWords(
      'short eth futures when rsi crosses below 70 on 1h, 4% stop, cover when rsi below 40',
    );
    expect(spec.entry).toEqual({ all: [] });
    const stats = FuturesTradesSchema.parse(result).strategy[className];
    expect(stats?.trades.length).toBeGreaterThan(0);
    expect(stats?.trades.every((tr) => tr.is_short && tr.pair === 'ETH/USDT:USDT')).toBe(true);
  }, 200_000);
});
