// What isolates a Docker run (a backtest, or a validation of pasted code): the container options the
// runner and the validator create, and the run folder handed to the container's unprivileged user. No Docker engine runs here, so these read the options and the
// folder's ownership; whether Docker enforces them is Docker's part.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONTAINER_LIMITS,
  containerOptions,
  handOverRunDir,
  IN,
  LABELS,
  SANDBOX_USER,
} from '../../../../freqtrade/docker/container.ts';

const options = containerOptions({
  image: 'freqtradeorg/freqtrade:2026.9',
  command: 'backtest',
  runDir: '/srv/gentrade/data/backtests/abc',
  engineDir: '/srv/gentrade/freqtrade/engine',
  marketDataDir: '/cache/marketdata/binance',
  marketsPath: '/cache/marketdata/markets.json',
});
const host = options.HostConfig ?? {};

describe('containerOptions', () => {
  it('gives the run no network', () => {
    expect(options.NetworkDisabled).toBe(true);
    expect(host.NetworkMode).toBe('none');
  });

  it('runs as ftuser (uid 1000), never root, with no capabilities and no new privileges', () => {
    expect(options.User).toBe('1000:1000');
    expect(SANDBOX_USER.uid).not.toBe(0);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toBeUndefined();
    expect(host.Privileged).not.toBe(true);
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(options.Env).toContain('HOME=/home/ftuser');
  });

  it('has a read-only root, a size-capped noexec /tmp, and only the run folder writable', () => {
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,nodev,size=256m,mode=1777' });
    expect(host.Binds).toEqual([
      `/srv/gentrade/freqtrade/engine:${IN.engine}:ro`,
      `/cache/marketdata/binance:${IN.data}:ro`,
      `/cache/marketdata:${IN.markets}:ro`,
      `/srv/gentrade/data/backtests/abc:${IN.results}:rw`,
    ]);
    expect(host.Binds?.filter((b) => !b.endsWith(':ro'))).toHaveLength(1);
    expect(options.WorkingDir).toBe(IN.results);
  });

  it('limits memory without swap, CPU, tasks, open files, file size and core dumps', () => {
    expect(host.Memory).toBe(2 * 1024 ** 3);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1_000_000_000);
    expect(host.PidsLimit).toBe(CONTAINER_LIMITS.pids);
    const ulimits = Object.fromEntries((host.Ulimits ?? []).map((u) => [u.Name, [u.Soft, u.Hard]]));
    expect(ulimits).toEqual({
      nofile: [1024, 1024],
      fsize: [512 * 1024 ** 2, 512 * 1024 ** 2],
      nproc: [CONTAINER_LIMITS.userTasks, CONTAINER_LIMITS.userTasks],
      core: [0, 0],
    });
    expect(host.LogConfig?.Config).toEqual({ 'max-size': '16m', 'max-file': '1' });
  });

  it('labels the container with its command and the folder its run lives in', () => {
    expect(options.Labels).toEqual({
      [LABELS.command]: 'backtest',
      [LABELS.root]: '/srv/gentrade/data/backtests',
    });
  });
  it('reads its request from the run folder', () => {
    expect(options.Image).toBe('freqtradeorg/freqtrade:2026.9');
    expect(options.Cmd).toEqual([`python -m gentrade_engine backtest < ${IN.results}/request.json`]);
    expect(options.Env).toContain(`PYTHONPATH=${IN.engine}`);
  });

  it('gives a validation the same container, running the one-shot validate instead', () => {
    const validation = containerOptions({
      image: 'freqtradeorg/freqtrade:2026.9',
      command: 'validate',
      runDir: '/srv/gentrade/data/validations/abc',
      engineDir: '/srv/gentrade/freqtrade/engine',
      marketDataDir: '/cache/marketdata/binance',
      marketsPath: '/cache/marketdata/markets.json',
    });
    expect(validation.Cmd).toEqual([`python -m gentrade_engine validate < ${IN.results}/request.json`]);
    const { Cmd: _a, HostConfig: hostA, Labels: labelsA, ...restA } = validation;
    const { Cmd: _b, HostConfig: hostB, Labels: _c, ...restB } = options;
    expect(labelsA).toEqual({
      [LABELS.command]: 'validate',
      [LABELS.root]: '/srv/gentrade/data/validations',
    });
    expect(restA).toEqual(restB);
    expect({ ...hostA, Binds: [] }).toEqual({ ...hostB, Binds: [] });
    expect(hostA?.Binds?.at(-1)).toBe(`/srv/gentrade/data/validations/abc:${IN.results}:rw`);
  });
});

describe('handOverRunDir', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-run-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  function runDir(name: string): string {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, 'strategies'), { recursive: true });
    writeFileSync(path.join(dir, 'strategies', 'A.py'), 'x = 1\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'request.json'), '{}', { mode: 0o600 });
    return dir;
  }
  const files = (dir: string) => [
    dir,
    path.join(dir, 'strategies'),
    path.join(dir, 'strategies', 'A.py'),
    path.join(dir, 'request.json'),
  ];

  it.skipIf(process.getuid?.() !== 0)('gives the folder to uid 1000 when the bot runs as root', async () => {
    const dir = runDir('as-root');
    await handOverRunDir(dir, 0);
    for (const f of files(dir)) expect([statSync(f).uid, statSync(f).gid]).toEqual([1000, 1000]);
  });

  it('opens the folder to the container user when the bot is another user', async () => {
    const dir = runDir('as-user');
    await handOverRunDir(dir, 4242);
    const modes = files(dir).map((f) => statSync(f).mode & 0o777);
    expect(modes).toEqual([0o777, 0o777, 0o644, 0o644]);
  });

  it('changes nothing when the bot already is uid 1000', async () => {
    const dir = runDir('as-ftuser');
    await handOverRunDir(dir, 1000);
    expect(statSync(path.join(dir, 'request.json')).mode & 0o777).toBe(0o600);
  });
});
