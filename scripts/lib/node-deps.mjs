// Keeps node_modules in step with package-lock.json. The stamp holds the lockfile hash of the
// last install we did, so a `git pull` that changes the lockfile triggers a fresh `npm ci`.

import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './cache.mjs';
import { BootstrapError } from './errors.mjs';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';

const STEP = 'node deps';
const STAMP = '.gentrade-stamp';

/**
 * Under a lock beside the real node_modules folder: git worktrees that link their node_modules to one
 * checkout's would otherwise run `npm ci` into the same folder at once and wreck it.
 * @param {{ repoDir: string, logDir: string, note: (line: string) => void }} ctx
 */
export async function ensureNodeDeps(ctx) {
  const modulesDir = join(ctx.repoDir, 'node_modules');
  const real = existsSync(modulesDir) ? realpathSync(modulesDir) : modulesDir;
  return withLock(`${real}.lock`, ctx.note, () => installIfStale(ctx));
}

/** @param {{ repoDir: string, logDir: string, note: (line: string) => void }} ctx */
async function installIfStale({ repoDir, logDir, note }) {
  const lockPath = join(repoDir, 'package-lock.json');
  const modulesDir = join(repoDir, 'node_modules');
  const stampPath = join(modulesDir, STAMP);
  const hasLock = existsSync(lockPath);
  const lockBefore = hasLock ? readFileSync(lockPath) : null;
  const wanted = installKey(repoDir, hasLock);

  if (existsSync(modulesDir)) {
    const stamp = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : null;
    if (stamp === wanted) return { cached: true };
    if (stamp === null && hasLock && npmInstalledAfterLockChange(modulesDir, lockPath)) {
      // Someone ran `npm ci`/`npm install` by hand after the last lockfile change: adopt it rather than
      // reinstalling everything on the first bootstrap.
      writeFileSync(stampPath, `${wanted}\n`);
      return { cached: true };
    }
  }

  const logPath = join(logDir, 'npm-install.log');
  let command = hasLock ? 'ci' : 'install';
  note(`${STEP}: running npm ${command}`);
  let result = await npm(command, repoDir, logPath);
  if (command === 'ci' && result.code !== 0 && OUT_OF_SYNC.test(result.output)) {
    // npm ci also refuses a lockfile that lacks other platforms' optional packages (written against
    // a registry mirror that only serves Linux builds); npm install accepts it and leaves it as is.
    note(
      `${STEP}: npm ci says package-lock.json is out of sync with package.json; falling back to npm install`,
    );
    command = 'install';
    result = await npm(command, repoDir, logPath);
  }
  if (result.missing) {
    throw new BootstrapError(STEP, 'npm was not found on PATH.', 'Install Node.js 20.11+ (it ships npm).');
  }
  if (result.code !== 0) {
    throw new BootstrapError(
      STEP,
      `npm ${command} exited with code ${result.code}.`,
      'Check registry access (npm config get registry) and that package.json is valid.',
      { logPath, outputTail: tail(result.output) },
    );
  }
  const lockAfter = existsSync(lockPath) ? sha256(readFileSync(lockPath)) : null;
  if (hasLock && lockAfter !== sha256(lockBefore)) {
    note(`${STEP}: npm ${command} rewrote package-lock.json; commit it so npm ci works again`);
  }
  // `npm install` may have just created the lockfile, so re-key after installing.
  writeFileSync(stampPath, `${installKey(repoDir, existsSync(lockPath))}\n`);
  return { cached: false, detail: `npm ${command}` };
}

const OUT_OF_SYNC = /can only install packages when your package\.json and package-lock\.json/;

function npm(command, repoDir, logPath) {
  return run('npm', [command, '--no-audit', '--no-fund'], { cwd: repoDir, logPath });
}

function installKey(repoDir, hasLock) {
  return sha256(readFileSync(join(repoDir, hasLock ? 'package-lock.json' : 'package.json')));
}

// npm rewrites node_modules/.package-lock.json on every install; if it is newer than the lockfile,
// the tree was installed from the current lockfile.
function npmInstalledAfterLockChange(modulesDir, lockPath) {
  const hidden = join(modulesDir, '.package-lock.json');
  return existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(lockPath).mtimeMs;
}
