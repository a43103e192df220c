// What the real-Docker test files share: the engine set up by scripts/docker-test-setup.mjs (or why
// there is none), a results folder of their own, the local runner and the Docker runner on the same
// settings, and the sample strategies. Containers are found by the label naming this file's results
// folder, so files running at once never count each other's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { LABELS } from '../../freqtrade/docker/container.ts';
import { createDockerRunner } from '../../freqtrade/docker/runner.ts';
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import type { BacktestRequest, BacktestRunner, EngineSettings } from '../../freqtrade/runner.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { prepareRealDocker, type RealDocker } from './docker-real.ts';

const DIR = path.resolve('freqtrade/engine/tests/strategies');
export const source = (file: string) => readFileSync(path.join(DIR, `${file}.py`), 'utf8');
export const logger = pino({ level: 'silent' });
export const failure = (err: unknown) =>
  isAppError(err) ? { code: err.code, message: err.userMessage } : err;

export type DockerRealContext = {
  setup: RealDocker;
  /** A suite's name, with why it is skipped where it is (so the report says it too). */
  titled: (name: string) => string;
  resultsRoot: string;
  docker: Docker;
  settings: EngineSettings;
  local: LocalRunner;
  inDocker: BacktestRunner;
  request: (className: string, code: string, more?: Partial<BacktestRequest>) => BacktestRequest;
  /** This file's containers (by the label of its results folder), running or not. */
  mine: (root?: string) => Promise<Docker.ContainerInfo[]>;
};

/** Call at a test file's top level: registers the hooks that start and stop the runners. */
export async function dockerRealContext(name: string): Promise<DockerRealContext> {
  const setup = await prepareRealDocker();
  if (!setup.ok) process.stderr.write(`${name}: skipped, no Docker engine: ${setup.reason}\n`);
  else process.stderr.write(`${name}: ${JSON.stringify(setup)}\n`);
  const ft = loadConfig({}).freqtrade;
  let runs = 0;
  const ctx = {
    setup,
    titled: (suite: string) => (setup.ok ? suite : `${suite} (skipped: ${setup.reason})`),
    resultsRoot: mkdtempSync(path.join(os.tmpdir(), `gentrade-${name}-`)),
    request: (className: string, code: string, more: Partial<BacktestRequest> = {}) => ({
      backtestId: `run-${++runs}`,
      className,
      code,
      timeframe: '1h',
      pairs: ['BTC/USDT'],
      timerange: '20240101-20240301',
      ...more,
    }),
    mine: (root?: string) =>
      ctx.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.root}=${root ?? ctx.resultsRoot}`] },
      }),
  } as DockerRealContext;
  beforeAll(() => {
    if (!setup.ok) return;
    if (!ft.python || !ft.marketDataDir || !ft.marketsPath) throw new Error('run npm run bootstrap first');
    ctx.docker = new Docker({ socketPath: setup.socketPath });
    ctx.settings = {
      engineDir: ft.engineDir,
      marketDataDir: ft.marketDataDir,
      marketsPath: ft.marketsPath,
      resultsRoot: ctx.resultsRoot,
      timeoutMs: 180_000,
      stakeCurrency: 'USDT',
      startingBalance: 1000,
    };
    ctx.local = createLocalRunner({ ...ctx.settings, python: ft.python, path: ft.path, logger });
    ctx.inDocker = createDockerRunner({ ...ctx.settings, image: setup.image, logger, docker: ctx.docker });
  });
  afterAll(async () => {
    await ctx.local?.stop();
    rmSync(ctx.resultsRoot, { recursive: true, force: true });
  });
  return ctx;
}
