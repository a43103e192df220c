// The container a Docker run of strategy code (a backtest, an optimisation, or the validation of pasted
// code) runs in: the same guarantees the warm engine's OS sandbox gives strategy code on the host. No
// network, a read-only root with a small tmpfs for /tmp, an unprivileged user even when the bot runs as
// root, no capabilities and no new privileges (which also disarms the image's sudo rule for ftuser), and
// limits on memory, CPU, processes, open files, file size and core dumps. The wall-clock kill is the
// caller's (docker/run.ts, with the runner's or the validator's budget).
import { chmod, chown, readdir } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';

/** Where the container sees what it is given. */
export const IN = {
  engine: '/gentrade/engine',
  data: '/gentrade/data',
  markets: '/gentrade/markets',
  results: '/gentrade/results',
};

/**
 * ftuser in freqtradeorg/freqtrade (created with `useradd -u 1000 -U`): its HOME holds the Python
 * packages, and it is never root, whoever starts the container.
 */
export const SANDBOX_USER = { uid: 1000, gid: 1000, home: '/home/ftuser' };

/**
 * Labels on every container we start: what it runs and the folder its run lives in, so an operator (or
 * a test) can find one process's containers with `docker ps --filter label=...` among others of the image.
 */
export const LABELS = { command: 'gentrade.command', root: 'gentrade.root' };

const MiB = 1024 ** 2;
export const CONTAINER_LIMITS = {
  memoryBytes: 2 * 1024 * MiB,
  nanoCpus: 1_000_000_000,
  /** Tasks (processes and threads) in the container: a backtest needs a few dozen. */
  pids: 512,
  openFiles: 1024,
  /** The largest file it may write: Freqtrade's result for a long multi-pair run is tens of MB. */
  fileBytes: 512 * MiB,
  /**
   * RLIMIT_NPROC counts every task of uid 1000 on the host, not only this container's, so it stays
   * generous; the pids limit is the container's own cap, this a second one where cgroups lack pids.
   */
  userTasks: 4096,
  tmpfs: '256m',
  /** Docker keeps a container's output on the host's disk; a strategy printing forever must not fill it. */
  logBytes: '16m',
};

export type ContainerInput = {
  image: string;
  /** The engine's one-shot command, reading `request.json` from the run's folder on stdin. */
  command: 'backtest' | 'hyperopt' | 'validate';
  /** The run's folder on the host: the strategy and request in, the result out (the only writable bind). */
  runDir: string;
  engineDir: string;
  marketDataDir: string;
  marketsPath: string;
};

/** The dockerode create options for one run; pure, so what isolates a run can be read and tested. */
export function containerOptions(input: ContainerInput): Docker.ContainerCreateOptions {
  const limit = (Name: string, value: number) => ({ Name, Soft: value, Hard: value });
  return {
    Image: input.image,
    Entrypoint: ['sh', '-c'],
    Cmd: [`python -m gentrade_engine ${input.command} < ${IN.results}/request.json`],
    Env: [
      `PYTHONPATH=${IN.engine}`,
      'PYTHONUNBUFFERED=1',
      // The root is read-only: no bytecode files, temp files in the tmpfs.
      'PYTHONDONTWRITEBYTECODE=1',
      `HOME=${SANDBOX_USER.home}`,
      'TMPDIR=/tmp',
    ],
    User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
    WorkingDir: IN.results,
    Labels: { [LABELS.command]: input.command, [LABELS.root]: path.dirname(input.runDir) },
    NetworkDisabled: true,
    HostConfig: {
      Binds: [
        `${input.engineDir}:${IN.engine}:ro`,
        `${input.marketDataDir}:${IN.data}:ro`,
        `${path.dirname(input.marketsPath)}:${IN.markets}:ro`,
        `${input.runDir}:${IN.results}:rw`,
      ],
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,noexec,nosuid,nodev,size=${CONTAINER_LIMITS.tmpfs},mode=1777` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      IpcMode: 'private',
      PidsLimit: CONTAINER_LIMITS.pids,
      Memory: CONTAINER_LIMITS.memoryBytes,
      // Equal to Memory: no swap on top.
      MemorySwap: CONTAINER_LIMITS.memoryBytes,
      NanoCpus: CONTAINER_LIMITS.nanoCpus,
      Ulimits: [
        limit('nofile', CONTAINER_LIMITS.openFiles),
        limit('fsize', CONTAINER_LIMITS.fileBytes),
        limit('nproc', CONTAINER_LIMITS.userTasks),
        limit('core', 0),
      ],
      LogConfig: { Type: 'json-file', Config: { 'max-size': CONTAINER_LIMITS.logBytes, 'max-file': '1' } },
    },
  };
}

/**
 * Makes the run's folder writable for the container's user: handed over (chown) when the bot runs as
 * root, opened to everyone (chmod) otherwise, unless the bot already is that uid. Only this run's
 * folder; the rest of the host stays as it is.
 */
export async function handOverRunDir(runDir: string, ownUid: number | undefined): Promise<void> {
  if (ownUid === SANDBOX_USER.uid) return;
  const handOver = async (at: string, dir: boolean): Promise<void> => {
    if (ownUid === 0) await chown(at, SANDBOX_USER.uid, SANDBOX_USER.gid);
    else await chmod(at, dir ? 0o777 : 0o644);
    if (!dir) return;
    // Only what we wrote: plain folders and files, never through a link.
    for (const entry of await readdir(at, { withFileTypes: true }))
      if (entry.isDirectory() || entry.isFile())
        await handOver(path.join(at, entry.name), entry.isDirectory());
  };
  await handOver(runDir, true);
}
