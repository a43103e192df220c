// Cross-process lock so two bootstraps (say `npm start` and `npm test` in two terminals) never
// build the same cache entry twice. mkdir is atomic on every local filesystem; the owner's pid
// inside lets a later run break a lock left behind by a killed process.

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 500;
// A lock dir without an owner file is only mid-creation; after this long its creator died in between.
const OWNERLESS_GRACE_MS = 30_000;

/**
 * Runs `fn` while holding `<lockDir>`; waits (with a note) while another live process holds it.
 * @template T
 * @param {string} lockDir
 * @param {(line: string) => void} note
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withLock(lockDir, note, fn) {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(lockDir);
    if (isStale(lockDir, owner)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      note(`waiting for another bootstrap (pid ${owner ?? '?'}) that holds ${lockDir}`);
      announced = true;
    }
    await sleep(POLL_MS);
  }

  const release = () => rmSync(lockDir, { recursive: true, force: true });
  // Ctrl-C during a long build must not leave a lock that blocks the next run for 30 s.
  const onSignal = (signal) => {
    release();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
}

function readOwner(lockDir) {
  try {
    const pid = Number.parseInt(readFileSync(join(lockDir, 'owner'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isStale(lockDir, owner) {
  if (owner === null) {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > OWNERLESS_GRACE_MS;
    } catch {
      return false; // vanished meanwhile: just retry mkdir
    }
  }
  return !isAlive(owner);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}
