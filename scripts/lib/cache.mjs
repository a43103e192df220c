// Where the bootstrap keeps what it builds (outside the clone, keyed by version) and the small
// file helpers every step shares: content hashes, completion stamps and atomic writes.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `$GENTRADE_CACHE_DIR`, else `$XDG_CACHE_HOME/gentrade`, else `~/.cache/gentrade`.
 * @param {NodeJS.ProcessEnv} env
 */
export function resolveCacheRoot(env, home = homedir()) {
  if (env.GENTRADE_CACHE_DIR) return env.GENTRADE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'gentrade');
  return join(home, '.cache', 'gentrade');
}

/** Full hex sha256 of a buffer or string. */
export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** First 12 hex digits of the sha256 of a file: short enough for a directory name, long enough to be unique. */
export function shortFileHash(path) {
  return sha256(readFileSync(path)).slice(0, 12);
}

const COMPLETE_STAMP = '.complete';

/** True when `dir` was finished by a previous run (its stamp is written last). */
export function isComplete(dir) {
  return existsSync(join(dir, COMPLETE_STAMP));
}

export function markComplete(dir, info = {}) {
  writeFileSync(join(dir, COMPLETE_STAMP), `${JSON.stringify({ ...info, at: new Date().toISOString() })}\n`);
}

/** Writes via a temp file and rename so concurrent readers never see half a file. */
export function writeFileAtomic(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
