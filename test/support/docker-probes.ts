// Strategy code that tries to leave a Docker run, and what it meets: the probes and the host-side
// canary the real-Docker tests (docker-escape.int.test.ts) run. A probe writes what it saw as JSON.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { z } from 'zod';
import { CONTAINER_LIMITS } from '../../freqtrade/docker/container.ts';

export const SeenSchema = z.object({ tasks: z.number().int() }).loose();
export const ReportSchema = z.object({ hogStatus: z.number().int() }).loose();
export const readJson = <T>(file: string, schema: z.ZodType<T>): T =>
  schema.parse(JSON.parse(readFileSync(file, 'utf8')));

/** A TCP listener on the host that counts who reached it: the canary a network attack would wake. */
export async function startCanary(): Promise<{ server: Server; port: number; hits: () => number }> {
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
export const CONNECT = (host: string, port: number) =>
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
export const PROBE = (host: string, port: number) => `
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
export const HOG = `
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
export const BREAKOUT = (host: string, port: number) => `
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
