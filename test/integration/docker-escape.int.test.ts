// What Docker enforces on a run of strategy code, on a real Docker engine (the setup of
// docker-real.int.test.ts): no network, a read-only root, an unprivileged user, memory, task and CPU
// limits, seen from inside the container by strategy code that tries to break out, with a canary on
// the host that would see it succeed (and does, from a container given a network). Also a load error,
// the wall clock and the validation of pasted code in a container. Skipped, with the reason printed,
// where no engine can be had.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTAINER_LIMITS,
  containerOptions,
  handOverRunDir,
  IN,
  SANDBOX_USER,
} from '../../freqtrade/docker/container.ts';
import { runContainer } from '../../freqtrade/docker/run.ts';
import { createDockerRunner } from '../../freqtrade/docker/runner.ts';
import { createDockerValidator } from '../../freqtrade/docker/validator.ts';
import {
  BREAKOUT,
  CONNECT,
  HOG,
  PROBE,
  ReportSchema,
  readJson,
  SeenSchema,
  startCanary,
} from '../support/docker-probes.ts';
import { dockerRealContext, failure, logger, source } from '../support/docker-real-context.ts';

const ctx = await dockerRealContext('docker-escape');

describe.skipIf(!ctx.setup.ok)(ctx.titled('what the real engine enforces on a Docker run'), () => {
  const image = ctx.setup.ok ? ctx.setup.image : '';
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let gateway: string;
  beforeAll(async () => {
    canary = await startCanary();
    // The host's side of Docker's default bridge: where a container with a network reaches the host.
    const bridge: Docker.NetworkInspectInfo = await ctx.docker.getNetwork('bridge').inspect();
    gateway = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
  });
  afterAll(() => canary?.server.close());

  const options = (runDir: string) =>
    containerOptions({
      image,
      command: 'backtest',
      runDir,
      engineDir: ctx.settings.engineDir,
      marketDataDir: ctx.settings.marketDataDir,
      marketsPath: ctx.settings.marketsPath,
    });

  it('creates the container as containerOptions says: Docker reports every isolating option', async () => {
    const container = await ctx.docker.createContainer(options(ctx.resultsRoot));
    try {
      const info = await container.inspect();
      expect(info.Config.User).toBe(`${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`);
      expect(info.HostConfig).toMatchObject({
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: CONTAINER_LIMITS.memoryBytes,
        MemorySwap: CONTAINER_LIMITS.memoryBytes,
        PidsLimit: CONTAINER_LIMITS.pids,
        NanoCpus: CONTAINER_LIMITS.nanoCpus,
      });
    } finally {
      await container.remove({ force: true });
    }
  });

  it('reaches the canary from a container with a network: the canary can see an escape', async () => {
    const base = options(ctx.resultsRoot);
    const run = await runContainer(
      ctx.docker,
      {
        ...base,
        Cmd: [`python -c '${CONNECT(gateway, canary.port)}'`],
        NetworkDisabled: false,
        HostConfig: { ...base.HostConfig, NetworkMode: 'bridge' },
      },
      { timeoutMs: 60_000, what: 'backtest' },
    );
    expect(run.out.trim()).toBe('connected');
    expect(canary.hits()).toBe(1);
  });

  it('stops strategy code that gets past the engine: no network, a read-only root, its user, its limits', async () => {
    const before = canary.hits();
    const req = ctx.request('Breakout', BREAKOUT(gateway, canary.port));
    await ctx.inDocker.run(req);
    const dir = path.join(ctx.resultsRoot, req.backtestId);
    const report = readJson(path.join(dir, 'report.json'), ReportSchema);
    const seen = readJson(path.join(dir, 'seen.json'), SeenSchema);
    process.stderr.write(
      `docker-escape: strategy ${JSON.stringify(report)}; its child saw ${JSON.stringify(seen)}\n`,
    );
    // As plain Python the attempts never leave the engine's guard.
    expect(report).toMatchObject({
      guardedWrite: 'RuntimeRefusedError',
      guardedConnect: 'NetworkBlockedError',
    });
    // The unguarded child ran (exit 0) and met Docker's walls.
    expect(report.probeStatus).toBe(0);
    expect(seen).toMatchObject({
      uid: [SANDBOX_USER.uid, SANDBOX_USER.gid],
      capEff: '0000000000000000',
      noNewPrivs: '1',
      writeRoot: 'EROFS',
      writeUsr: 'EROFS',
      writeEngine: 'EROFS',
      connect: 'ENETUNREACH',
      interfaces: ['lo'],
      memory: String(CONTAINER_LIMITS.memoryBytes),
      pids: String(CONTAINER_LIMITS.pids),
    });
    // Killed by SIGKILL before its second marker: the cgroup's OOM killer (the engine's own memory
    // limit would have raised MemoryError instead).
    expect(report.hogStatus & 0x7f).toBe(9);
    expect(existsSync(path.join(dir, 'before-hog'))).toBe(true);
    expect(existsSync(path.join(dir, 'after-hog'))).toBe(false);
    expect(canary.hits()).toBe(before);
    expect(existsSync(path.join(ctx.settings.engineDir, 'gentrade-canary'))).toBe(false);
  }, 180_000);

  it('holds a process to the limits with no engine in it: tasks, memory, CPU, files', async () => {
    // The runner's own options with the engine's command swapped for a bare Python: what is measured
    // here is Docker's doing (the engine sets limits of its own on a backtest).
    const before = canary.hits();
    const dir = mkdtempSync(path.join(ctx.resultsRoot, 'bare-'));
    writeFileSync(path.join(dir, 'probe.py'), PROBE(gateway, canary.port));
    writeFileSync(path.join(dir, 'hog.py'), HOG);
    await handOverRunDir(dir, process.getuid?.());
    const bare = (script: string) => ({
      ...options(dir),
      Cmd: [`python ${IN.results}/${script} ${IN.results}${script === 'probe.py' ? '/seen.json' : ''}`],
    });
    const probed = await runContainer(ctx.docker, bare('probe.py'), { timeoutMs: 60_000, what: 'backtest' });
    expect(probed).toMatchObject({ exitCode: 0, timedOut: false });
    const seen = readJson(path.join(dir, 'seen.json'), SeenSchema);
    process.stderr.write(`docker-escape: a bare process saw ${JSON.stringify(seen)}\n`);
    expect(seen).toMatchObject({
      uid: [SANDBOX_USER.uid, SANDBOX_USER.gid],
      capEff: '0000000000000000',
      writeRoot: 'EROFS',
      connect: 'ENETUNREACH',
      memory: String(CONTAINER_LIMITS.memoryBytes),
      pids: String(CONTAINER_LIMITS.pids),
      // NanoCpus 1e9: one CPU's worth of each 100 ms period.
      cpu: '100000',
      nofile: CONTAINER_LIMITS.openFiles,
      fsize: CONTAINER_LIMITS.fileBytes,
      core: 0,
    });
    // Its threads stopped at the container's task limit (less the few tasks already running).
    expect(seen.tasks).toBeGreaterThan(CONTAINER_LIMITS.pids - 16);
    expect(seen.tasks).toBeLessThan(CONTAINER_LIMITS.pids);
    const hogged = await runContainer(ctx.docker, bare('hog.py'), { timeoutMs: 60_000, what: 'backtest' });
    expect(hogged).toMatchObject({ exitCode: 137, timedOut: false });
    expect(existsSync(path.join(dir, 'before-hog'))).toBe(true);
    expect(existsSync(path.join(dir, 'after-hog'))).toBe(false);
    expect(canary.hits()).toBe(before);
  }, 180_000);

  it('says why a strategy does not load, as the local runner does', async () => {
    const broken = source('ema_rsi_pullback').replace(
      'import talib.abstract as ta',
      'import talib_nope as ta',
    );
    const here = await ctx.local.run(ctx.request('EmaRsiPullback', broken)).catch(failure);
    const there = await ctx.inDocker.run(ctx.request('EmaRsiPullback', broken)).catch(failure);
    expect(there).toMatchObject({ code: 'STRATEGY_LOAD', message: expect.stringContaining('talib_nope') });
    expect(there).toEqual(here);
  }, 180_000);

  it('stops a backtest at its wall clock and leaves no container behind', async () => {
    const hurried = createDockerRunner({
      ...ctx.settings,
      timeoutMs: 2_000,
      image,
      logger,
      docker: ctx.docker,
    });
    const started = Date.now();
    const failed = await hurried
      .run(ctx.request('EmaRsiPullback', source('ema_rsi_pullback')))
      .catch(failure);
    expect(failed).toEqual({
      code: 'ENGINE_TIMEOUT',
      message: 'The backtest took too long and was stopped.',
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await ctx.mine()).toEqual([]);
  }, 60_000);

  it('validates pasted code in a container on the real engine', async () => {
    const workRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-real-validations-'));
    const validator = createDockerValidator({ ...ctx.settings, image, workRoot, logger, docker: ctx.docker });
    const verdict = await validator.validate(source('ema_rsi_pullback'), {});
    expect(verdict).toMatchObject({ accepted: true, className: 'EmaRsiPullback', timeframe: '1h' });
    rmSync(workRoot, { recursive: true, force: true });
  }, 180_000);
});
