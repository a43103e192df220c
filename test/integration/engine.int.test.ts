// The real engine: our Python tests (each module of them run with the venv's unittest as its own
// test), and rendered strategies loading and trading in Freqtrade on the generated sample data
// through the local runner.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { parseBacktestResult } from '../../freqtrade/result.ts';
import { loadConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import { parseStrategyText } from '../../src/strategy/parse/offline-parser.ts';
import { strategyClassName } from '../../src/strategy/spec.ts';

const config = loadConfig({});
const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-engine-'));
const runners: LocalRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  rmSync(resultsRoot, { recursive: true, force: true });
});

function runner(timeoutMs = 120_000) {
  const ft = config.freqtrade;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
    throw new Error('run node scripts/bootstrap.mjs first');
  const runner = createLocalRunner({
    python: ft.python,
    path: ft.path,
    engineDir: ft.engineDir,
    marketDataDir: ft.marketDataDir,
    marketsPath: ft.marketsPath,
    resultsRoot,
    timeoutMs,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
    logger: pino({ level: 'silent' }),
  });
  runners.push(runner);
  return runner;
}

// Each Python test module is its own test, so a failure names the module and a slow one can't
// time out the others.
const engineTests = path.join(config.freqtrade.engineDir, 'tests');
const modules = readdirSync(engineTests)
  .filter((file) => /^test_\w+\.py$/.test(file))
  .sort()
  .map((file) => `tests.${file.slice(0, -3)}`);

function unittest(module: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const began = Date.now();
  const child = spawn(config.freqtrade.python ?? 'python3', ['-m', 'unittest', module], {
    cwd: config.freqtrade.engineDir,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), PYTHONDONTWRITEBYTECODE: '1' },
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-200_000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 230_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - began });
    }),
  );
}

describe('python engine', () => {
  it('has its test modules', () => {
    expect(modules).toEqual(expect.arrayContaining(['tests.test_backtest', 'tests.test_validate_hostile']));
  });

  it.each(modules)(
    '%s passes',
    async (module) => {
      const run = await unittest(module);
      console.log(`${module}: ${(run.ms / 1000).toFixed(1)} s`);
      expect(run.code, run.stderr.slice(-4000)).toBe(0);
      expect(run.stderr).toMatch(/Ran [1-9]\d* tests?/);
    },
    240_000,
  );
});

describe('rendered strategies in Freqtrade', () => {
  const descriptions = [
    'BTC SMA 20/50 cross on 1h with a 5% stop',
    'buy SOL when RSI(14) is below 30 and sell when it is above 70 on 15m',
    'ema 9/21 cross on eth and sol 1h, take profit 10%',
  ];

  it.each(descriptions)('"%s" loads and trades', async (text) => {
    const parsed = parseStrategyText(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const className = strategyClassName(parsed.name);
    const code = renderStrategy(parsed.spec, { className, name: parsed.name });
    const run = await runner().run({
      backtestId: `${className}-${Date.now()}`,
      className,
      code,
      timeframe: parsed.spec.timeframe,
      pairs: parsed.spec.pairs,
      timerange: '20240101-20240401',
    });
    const summary = parseBacktestResult(run.result, className);
    const onDisk = JSON.parse(readFileSync(run.resultPath, 'utf8'));
    expect(summary.trades).toBe(onDisk.strategy[className].total_trades);
    expect(summary.trades).toBeGreaterThan(0);
    expect(summary.timeframe).toBe(parsed.spec.timeframe);
  });

  it('reports a strategy that fails to load as STRATEGY_LOAD with a clear sentence', async () => {
    const err = await runner()
      .run({
        backtestId: `broken-${Date.now()}`,
        className: 'Broken',
        code: 'from freqtrade.strategy import IStrategy\nclass Broken(IStrategy):\n    INTERFACE_VERSION = 3\n    timeframe = "1h"\n    minimal_roi = {"0": 1}\n    stoploss = -0.1\n    def populate_indicators(self, df, md):\n        return df +\n',
        timeframe: '1h',
        pairs: ['BTC/USDT'],
        timerange: '20240101-20240201',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    if (err instanceof AppError) {
      expect(err.code).toBe('STRATEGY_LOAD');
      expect(err.userMessage).toMatch(
        /^The strategy could not be loaded: Broken.py line 8: SyntaxError: invalid syntax\.$/,
      );
    }
  });

  it('stops a run that exceeds the wall-clock limit', async () => {
    const parsed = parseStrategyText('BTC SMA 20/50 cross on 5m with a 5% stop');
    if (!parsed.ok) throw new Error(parsed.reason);
    const err = await runner(300)
      .run({
        backtestId: `slow-${Date.now()}`,
        className: 'Slow',
        code: renderStrategy(parsed.spec, { className: 'Slow', name: 'slow' }),
        timeframe: '5m',
        pairs: ['BTC/USDT'],
        timerange: '20230101-20251231',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    if (err instanceof AppError) expect(err.code).toBe('ENGINE_TIMEOUT');
  });
});
