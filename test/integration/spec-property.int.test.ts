// The acceptance property of the strategy engine: 200 random valid specs (spot, and futures with or
// without shorts) all render, pass the validation pipeline's static and load stages, and backtest without
// error in real Freqtrade through the warm engine (two at a time). A failure names the spec's index in
// the seeded list and the spec.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineServer } from '../../freqtrade/client/server.ts';
import { validateCode } from '../../freqtrade/client/verdict.ts';
import { createLocalRunner } from '../../freqtrade/local-runner.ts';
import { renderStrategy } from '../../freqtrade/render.ts';
import { parseBacktestResult } from '../../freqtrade/result.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import type { StrategySpec } from '../../src/strategy/spec.ts';
import { randomSpecs } from '../support/spec-arbitrary.ts';

const SEED = 20240501;
const COUNT = 200;
const CONCURRENCY = 2;
// Short ranges keep each run around a second; finer timeframes get fewer days.
const TIMERANGES: Record<string, string> = {
  '5m': '20240301-20240315',
  '15m': '20240301-20240401',
  '1h': '20240301-20240501',
  '4h': '20240301-20240501',
  '1d': '20240101-20240501',
};

const ft = loadConfig({}).freqtrade;
if (!ft.python || !ft.marketDataDir || !ft.marketsPath)
  throw new Error('run node scripts/bootstrap.mjs first');
const paths = { datadir: ft.marketDataDir, marketsPath: ft.marketsPath };
const root = mkdtempSync(path.join(os.tmpdir(), 'gentrade-spec-property-'));
const logger = pino({ level: 'silent' });
const server = createEngineServer({
  python: ft.python,
  path: ft.path,
  engineDir: ft.engineDir,
  slots: CONCURRENCY,
  workDir: path.join(root, 'server'),
  logger,
});
const runner = createLocalRunner({
  ...paths,
  python: ft.python,
  path: ft.path,
  engineDir: ft.engineDir,
  marketDataDir: ft.marketDataDir,
  resultsRoot: path.join(root, 'results'),
  timeoutMs: 120_000,
  stakeCurrency: 'USDT',
  startingBalance: 1000,
  logger,
  server,
});
afterAll(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Renders, validates (static + load) and backtests spec `index`; resolves with what went wrong. */
async function check(spec: StrategySpec, index: number): Promise<string | undefined> {
  const className = `PropertySpec${index}`;
  const timerange = TIMERANGES[spec.timeframe] ?? '20240301-20240501';
  try {
    const code = renderStrategy(spec, { className, name: `property-spec-${index}` });
    const verdict = await validateCode(server, code, {
      ...paths,
      className,
      pairs: spec.pairs,
      smoke: false,
      tradingMode: spec.tradingMode,
    });
    if (!verdict.accepted) return `rejected at ${verdict.stage}: ${JSON.stringify(verdict.violations)}`;
    const run = await runner.run({
      backtestId: `spec-${index}`,
      className,
      code,
      timeframe: spec.timeframe,
      pairs: spec.pairs,
      timerange,
      tradingMode: spec.tradingMode,
    });
    const summary = parseBacktestResult(run.result, className);
    if (summary.timeframe !== spec.timeframe) return `backtest ran on ${summary.timeframe}`;
    return undefined;
  } catch (err) {
    return isAppError(err) ? `${err.code}: ${err.userMessage} (${err.message})` : String(err);
  }
}

describe('random valid specs in Freqtrade', () => {
  it(`${COUNT} specs render, validate (static + load) and backtest without error`, async () => {
    const specs = randomSpecs(SEED, COUNT);
    // Otherwise the futures path would go untested.
    expect(specs.filter((s) => s.short !== undefined).length).toBeGreaterThan(10);
    const failures: string[] = [];
    const began = Date.now();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < specs.length; index = next++) {
        const spec = specs[index];
        if (!spec) continue;
        const problem = await check(spec, index);
        if (problem) failures.push(`#${index} (seed ${SEED}): ${problem}\n  spec: ${JSON.stringify(spec)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - began) / 1000;
    console.log(`${COUNT} specs: ${seconds.toFixed(1)} s (${((seconds * 1000) / COUNT).toFixed(0)} ms each)`);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 900_000);
});
