// Cancelling a backtest the Docker runner runs, on a real Docker engine (the setup of
// docker-real.int.test.ts): aborting the run kills its container, so the engine inside stops working,
// and the container is removed; the run answers "stopped", not a result. Skipped, with the reason
// printed, where no engine can be had.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../freqtrade/docker/container.ts';
import { createDockerRunner } from '../../freqtrade/docker/runner.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { prepareRealDocker } from '../support/docker-real.ts';
import { until } from '../support/wait.ts';

const setup = await prepareRealDocker();
if (!setup.ok) process.stderr.write(`docker-real-cancel: skipped, no Docker engine: ${setup.reason}\n`);
const titled = (name: string) => (setup.ok ? name : `${name} (skipped: ${setup.reason})`);

const ft = loadConfig({}).freqtrade;
const resultsRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-cancel-'));
afterAll(() => rmSync(resultsRoot, { recursive: true, force: true }));

describe.skipIf(!setup.ok)(titled('cancelling a Docker run on the real engine'), () => {
  it('kills the running container and removes it; the run says it was stopped', async () => {
    if (!setup.ok || !ft.marketDataDir || !ft.marketsPath) throw new Error('run npm run bootstrap first');
    const docker = new Docker({ socketPath: setup.socketPath });
    const runner = createDockerRunner({
      engineDir: ft.engineDir,
      marketDataDir: ft.marketDataDir,
      marketsPath: ft.marketsPath,
      resultsRoot,
      timeoutMs: 180_000,
      stakeCurrency: 'USDT',
      startingBalance: 1000,
      image: setup.image,
      logger: pino({ level: 'silent' }),
      docker,
    });
    // This file's containers only: other files run containers of the same image at the same time.
    const mine = () =>
      docker.listContainers({ all: true, filters: { label: [`${LABELS.root}=${resultsRoot}`] } });
    const code = readFileSync(path.resolve('test/fixtures/golden/BtcSma20501h.py'), 'utf8');
    const controller = new AbortController();
    const run = runner
      .run(
        {
          backtestId: 'cancel-1',
          className: 'BtcSma20501h',
          code,
          timeframe: '5m',
          pairs: ['BTC/USDT'],
          timerange: '20240101-20241231',
        },
        { signal: controller.signal },
      )
      .catch((err: unknown) => err);
    const running = await until('its container to run', async () =>
      (await mine()).find((c) => c.State === 'running'),
    );
    controller.abort();
    const failed = await run;
    expect(isAppError(failed) && failed.userMessage).toBe('The run was stopped.');
    // Gone: killed (so the engine in it stopped), then removed.
    await expect(docker.getContainer(running.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await mine()).toEqual([]);
  }, 180_000);
});
