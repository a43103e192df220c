// The Docker runner on a real Docker engine (Debian's docker.io, started by the test setup when none
// answers: scripts/docker-test-setup.mjs) with an image built here without a registry (a debootstrap
// rootfs, the pinned venv and our engine). It shows what the loopback peer
// (docker-runner.int.test.ts) cannot: the same strategies give the same figures through the local
// runner and in a container, and Docker enforces what containerOptions asks for: no network, a
// read-only root, an unprivileged user, memory, task and CPU limits, seen from inside the container by
// strategy code that tries to break out, with a canary on the host that would see it succeed.
// Skipped, with the reason printed, where no engine can be had.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
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
import { createLocalRunner, type LocalRunner } from '../../freqtrade/local-runner.ts';
import { parseBacktestResult, strategyStats } from '../../freqtrade/result.ts';
import type { BacktestRequest, BacktestRunner, EngineSettings } from '../../freqtrade/runner.ts';
import { loadConfig } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { prepareRealDocker } from '../support/docker-real.ts';

const setup = await prepareRealDocker();
if (!setup.ok) process.stderr.write(`docker-real: skipped, no Docker engine: ${setup.reason}\n`);
else process.stderr.write(`docker-real: ${JSON.stringify(setup)}\n`);

/** A suite's name, with why it is skipped where it is (so the report says it too). */
const titled = (name: string) => (setup.ok ? name : `${name} (skipped: ${setup.reason})`);

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

describe.skipIf(!setup.ok)(titled('the Docker runner on a real Docker engine'), () => {
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
      // The summary a card shows, then every other field of the block and every trade.
      expect(b.summary).toEqual(a.summary);
      expect(b.stats).toEqual(a.stats);
    },
    300_000,
  );
});

/** What the probe saw (PROBE) and what the breakout strategy reported (BREAKOUT); the rest is matched whole. */
const SeenSchema = z.object({ tasks: z.number().int() }).loose();
const ReportSchema = z.object({ hogStatus: z.number().int() }).loose();
const readJson = <T>(file: string, schema: z.ZodType<T>): T =>
  schema.parse(JSON.parse(readFileSync(file, 'utf8')));

/** A TCP listener on the host that counts who reached it: the canary a network attack would wake. */
async function startCanary(): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((socket) => {
    hits += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('canary has no port');
  return { server, port: address.port, hits: () => hits };
}

/** Connects to the canary; prints "connected" or the error's name. */
const CONNECT = (host: string, port: number) =>
  `import errno, socket
s = socket.socket()
s.settimeout(5)
try:
    s.connect((${JSON.stringify(host)}, ${port}))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))`;

/**
 * What a process sees of its container, and what it gets when it tries what the container must
 * refuse: writes on the root and on the engine's bind, a connection to the host's canary, as many
 * tasks as it can start. Written as JSON to argv[1].
 */
const PROBE = (host: string, port: number) => `
import errno, json, os, resource, socket, sys, threading
from pathlib import Path


def attempt(fn):
    try:
        fn()
        return "done"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))


def read(path):
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return line.split()[1]


def connect():
    s = socket.socket()
    s.settimeout(5)
    s.connect((${JSON.stringify(host)}, ${port}))


def tasks():
    stop = threading.Event()
    started = []
    try:
        while len(started) < 4096:
            t = threading.Thread(target=stop.wait)
            t.start()
            started.append(t)
    except RuntimeError:
        pass
    stop.set()
    for t in started:
        t.join()
    return len(started)


seen = {
    "uid": [os.getuid(), os.getgid()],
    "capEff": status("CapEff"),
    "noNewPrivs": status("NoNewPrivs"),
    "writeRoot": attempt(lambda: Path("/gentrade-canary").write_text("x")),
    "writeUsr": attempt(lambda: Path("/usr/gentrade-canary").write_text("x")),
    "writeEngine": attempt(lambda: Path("/gentrade/engine/gentrade-canary").write_text("x")),
    "connect": attempt(connect),
    "interfaces": sorted(os.listdir("/sys/class/net")),
    "memory": read("/sys/fs/cgroup/memory/memory.limit_in_bytes") or read("/sys/fs/cgroup/memory.max"),
    "pids": read("/sys/fs/cgroup/pids/pids.max") or read("/sys/fs/cgroup/pids.max"),
    "cpu": read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") or read("/sys/fs/cgroup/cpu.max"),
    "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[1],
    "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[1],
    "core": resource.getrlimit(resource.RLIMIT_CORE)[1],
    "tasks": tasks(),
}
Path(sys.argv[1]).write_text(json.dumps(seen))
`;

/** Fills more memory than the container may have, with a marker before and after. */
const HOG = `
import sys
from pathlib import Path
Path(sys.argv[1], "before-hog").write_text("x")
hog = b"x" * (${CONTAINER_LIMITS.memoryBytes} + 256 * 1024 * 1024)
Path(sys.argv[1], "after-hog").write_text(str(len(hog)))
`;

/**
 * Strategy code that attacks from inside its container. First as plain Python, which the engine's
 * in-process guard refuses; then from a fresh Python started through _posixsubprocess.fork_exec,
 * which raises no audit event (CPython 3.11's signature), so no guard of the engine's sees it: what
 * stops that child is Docker alone. Writes what happened to its results folder.
 */
const BREAKOUT = (host: string, port: number) => `
import _posixsubprocess, json, os, socket, sys
from pathlib import Path
from freqtrade.strategy import IStrategy
from pandas import DataFrame

OUT = Path("/gentrade/results")
PROBE = ${JSON.stringify(PROBE(host, port))}
HOG = ${JSON.stringify(HOG)}
CANARY = (${JSON.stringify(host)}, ${port})


def unguarded(code, arg):
    errpipe_read, errpipe_write = os.pipe()
    argv = [sys.executable.encode(), b"-c", code.encode(), arg.encode()]
    pid = _posixsubprocess.fork_exec(
        argv, [argv[0]], True, (errpipe_write,), None, None, -1, -1, -1, -1, -1, -1,
        errpipe_read, errpipe_write, False, False, -1, None, None, None, -1, None, False,
    )
    os.close(errpipe_write)
    os.close(errpipe_read)
    return os.waitpid(pid, 0)[1]


def refused(fn):
    try:
        fn()
        return "done"
    except Exception as e:
        return type(e).__name__


class Breakout(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {"0": 100.0}
    stoploss = -0.10
    done = False

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        if not Breakout.done:
            Breakout.done = True
            report = {
                "guardedWrite": refused(lambda: Path("/gentrade-canary").write_text("x")),
                "guardedConnect": refused(lambda: socket.create_connection(CANARY, 5)),
                "probeStatus": unguarded(PROBE, str(OUT / "seen.json")),
                "hogStatus": unguarded(HOG, str(OUT)),
            }
            (OUT / "report.json").write_text(json.dumps(report))
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
`;

describe.skipIf(!setup.ok)(titled('what the real engine enforces on a Docker run'), () => {
  const image = setup.ok ? setup.image : '';
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let gateway: string;
  beforeAll(async () => {
    canary = await startCanary();
    // The host's side of Docker's default bridge: where a container with a network reaches the host.
    const bridge: Docker.NetworkInspectInfo = await docker.getNetwork('bridge').inspect();
    gateway = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
  });
  afterAll(() => canary?.server.close());

  const options = (runDir: string) =>
    containerOptions({
      image,
      command: 'backtest',
      runDir,
      engineDir: settings.engineDir,
      marketDataDir: settings.marketDataDir,
      marketsPath: settings.marketsPath,
    });

  it('creates the container as containerOptions says: Docker reports every isolating option', async () => {
    const container = await docker.createContainer(options(resultsRoot));
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
    const base = options(resultsRoot);
    const run = await runContainer(
      docker,
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
    const req = request('Breakout', BREAKOUT(gateway, canary.port));
    await inDocker.run(req);
    const dir = path.join(resultsRoot, req.backtestId);
    const report = readJson(path.join(dir, 'report.json'), ReportSchema);
    const seen = readJson(path.join(dir, 'seen.json'), SeenSchema);
    process.stderr.write(
      `docker-real: strategy ${JSON.stringify(report)}; its child saw ${JSON.stringify(seen)}\n`,
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
    expect(existsSync(path.join(settings.engineDir, 'gentrade-canary'))).toBe(false);
  }, 180_000);

  it('holds a process to the limits with no engine in it: tasks, memory, CPU, files', async () => {
    // The runner's own options with the engine's command swapped for a bare Python: what is measured
    // here is Docker's doing (the engine sets limits of its own on a backtest).
    const before = canary.hits();
    const dir = mkdtempSync(path.join(resultsRoot, 'bare-'));
    writeFileSync(path.join(dir, 'probe.py'), PROBE(gateway, canary.port));
    writeFileSync(path.join(dir, 'hog.py'), HOG);
    await handOverRunDir(dir, process.getuid?.());
    const bare = (script: string) => ({
      ...options(dir),
      Cmd: [`python ${IN.results}/${script} ${IN.results}${script === 'probe.py' ? '/seen.json' : ''}`],
    });
    const probed = await runContainer(docker, bare('probe.py'), { timeoutMs: 60_000, what: 'backtest' });
    expect(probed).toMatchObject({ exitCode: 0, timedOut: false });
    const seen = readJson(path.join(dir, 'seen.json'), SeenSchema);
    process.stderr.write(`docker-real: a bare process saw ${JSON.stringify(seen)}\n`);
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
    const hogged = await runContainer(docker, bare('hog.py'), { timeoutMs: 60_000, what: 'backtest' });
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
    const here = await local.run(request('EmaRsiPullback', broken)).catch(failure);
    const there = await inDocker.run(request('EmaRsiPullback', broken)).catch(failure);
    expect(there).toMatchObject({ code: 'STRATEGY_LOAD', message: expect.stringContaining('talib_nope') });
    expect(there).toEqual(here);
  }, 180_000);

  it('stops a backtest at its wall clock and leaves no container behind', async () => {
    const hurried = createDockerRunner({ ...settings, timeoutMs: 2_000, image, logger, docker });
    const started = Date.now();
    const failed = await hurried.run(request('EmaRsiPullback', source('ema_rsi_pullback'))).catch(failure);
    expect(failed).toEqual({
      code: 'ENGINE_TIMEOUT',
      message: 'The backtest took too long and was stopped.',
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    const left = await docker.listContainers({ all: true, filters: { ancestor: [image] } });
    expect(left).toEqual([]);
  }, 60_000);

  it('validates pasted code in a container on the real engine', async () => {
    const workRoot = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-real-validations-'));
    const validator = createDockerValidator({ ...settings, image, workRoot, logger, docker });
    const verdict = await validator.validate(source('ema_rsi_pullback'), {});
    expect(verdict).toMatchObject({ accepted: true, className: 'EmaRsiPullback', timeframe: '1h' });
    rmSync(workRoot, { recursive: true, force: true });
  }, 180_000);
});
