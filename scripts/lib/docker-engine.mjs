// A Docker engine for the Docker runner's tests: the one that answers at DOCKER_HOST (or the default
// socket), else, as root on Debian, Debian's docker.io installed with apt-get and dockerd started in
// the background with its data under the cache. Idempotent: a running engine is only pinged.
// Node built-ins only; what cannot be had comes back as a reason, never a throw.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';

const DEFAULT_SOCKET = '/var/run/docker.sock';
// overlay2 first (fast, small); vfs (plain copies) where the kernel or the filesystem refuses overlays.
const STORAGE_DRIVERS = ['overlay2', 'vfs'];
const START_TIMEOUT_MS = 30_000;

/**
 * GET `path` from the engine on a unix socket; resolves to the status code, or null when nothing answers.
 * @param {string} socketPath
 * @param {string} path
 * @returns {Promise<number | null>}
 */
export function engineGet(socketPath, path) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, method: 'GET', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** The socket DOCKER_HOST names (unix only), or the default one; null for a TCP or SSH host. */
function socketOf(env) {
  if (!env.DOCKER_HOST) return DEFAULT_SOCKET;
  return env.DOCKER_HOST.startsWith('unix://') ? env.DOCKER_HOST.slice('unix://'.length) : null;
}

/**
 * @typedef {{ ok: true, socketPath: string, started: boolean, storageDriver?: string, startMs?: number }
 *   | { ok: false, reason: string }} EngineOutcome
 */

/**
 * @param {{ cacheRoot: string, logDir: string, note: (line: string) => void, env: NodeJS.ProcessEnv }} ctx
 * @returns {Promise<EngineOutcome>}
 */
export async function ensureDockerEngine({ cacheRoot, logDir, note, env }) {
  const socketPath = socketOf(env);
  if (!socketPath) return { ok: false, reason: `DOCKER_HOST=${env.DOCKER_HOST} is not a unix socket` };
  if ((await engineGet(socketPath, '/_ping')) === 200) return { ok: true, socketPath, started: false };
  if (env.DOCKER_HOST && socketPath !== DEFAULT_SOCKET) {
    return { ok: false, reason: `no Docker engine answers at DOCKER_HOST=${env.DOCKER_HOST}` };
  }
  if (process.getuid?.() !== 0) {
    return { ok: false, reason: `no Docker engine answers at ${socketPath}, and only root may start one` };
  }
  if (!existsSync('/etc/debian_version')) {
    return { ok: false, reason: `no Docker engine answers at ${socketPath}, and this is not Debian` };
  }
  const dockerDir = join(cacheRoot, 'docker');
  mkdirSync(dockerDir, { recursive: true });
  return withLock(join(dockerDir, 'engine.lock'), note, async () => {
    if ((await engineGet(socketPath, '/_ping')) === 200) return { ok: true, socketPath, started: false };
    const logPath = join(logDir, 'docker-engine.log');
    const installed = await aptInstall(['docker.io'], 'dockerd', logPath, note);
    if (installed) return { ok: false, reason: installed };
    const tried = [];
    for (const driver of STORAGE_DRIVERS) {
      const t0 = performance.now();
      const failure = await startDockerd(socketPath, dockerDir, driver, logDir);
      if (!failure) {
        const startMs = Math.round(performance.now() - t0);
        note(`docker engine: dockerd started (${driver}, ${startMs} ms), data in ${dockerDir}/data`);
        return { ok: true, socketPath, started: true, storageDriver: driver, startMs };
      }
      tried.push(`${driver}: ${failure}`);
    }
    return { ok: false, reason: `dockerd did not start here (${tried.join('; ')})` };
  });
}

/**
 * Installs Debian packages unless `command` is already on the PATH; returns why it failed, or null.
 * @param {string[]} packages
 * @param {string} command
 * @param {string} logPath
 * @param {(line: string) => void} note
 */
export async function aptInstall(packages, command, logPath, note) {
  if ((await run('sh', ['-c', `command -v ${command}`])).code === 0) return null;
  note(`docker: installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, logPath });
  let result = await install();
  // A machine whose package lists were never fetched (or went stale) knows no such package yet.
  if (result.code !== 0) {
    await run('apt-get', ['update', '-qq'], { env, logPath });
    result = await install();
  }
  if (result.code === 0) return null;
  return `apt-get install ${packages.join(' ')} failed (${logPath}): ${tail(result.output, 3)}`;
}

/**
 * Starts dockerd detached (it outlives this process, as a system service would), then waits for it to
 * answer. Returns why it did not, or null.
 */
async function startDockerd(socketPath, dockerDir, driver, logDir) {
  const logPath = join(logDir, `dockerd-${driver}.log`);
  const out = openSync(logPath, 'w');
  const child = spawn(
    'dockerd',
    [
      `--host=unix://${socketPath}`,
      `--data-root=${join(dockerDir, 'data')}`,
      `--storage-driver=${driver}`,
      // GenTrade's containers have no network; leave the host's firewall rules alone.
      '--iptables=false',
      '--ip-masq=false',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await engineGet(socketPath, '/_ping')) === 200) return null;
    if (exited) break;
    await sleep(100);
  }
  if (!exited) child.kill('SIGTERM');
  const said = tail(readFileSync(logPath, 'utf8'), 2).replace(/\s+/g, ' ');
  return `${exited ?? `no answer within ${START_TIMEOUT_MS / 1000} s`}; ${logPath}: ${said}`;
}
