// The pinned Python environment for the Freqtrade engine, keyed by the Freqtrade version and the
// lockfile hash. Venvs hard-code their own path, so it is built in place and only trusted once the
// `.complete` stamp, written last, is there.

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isComplete, markComplete, shortFileHash } from './cache.mjs';
import { BootstrapError } from './errors.mjs';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';

const STEP = 'python venv';
const MIN_PYTHON = [3, 11];

/** Reads the pinned Freqtrade version (`freqtrade==X`) from the lockfile. */
export function freqtradeVersion(lockPath) {
  const match = /^freqtrade==(\S+)\s*$/im.exec(readFileSync(lockPath, 'utf8'));
  if (!match?.[1]) {
    throw new BootstrapError(
      STEP,
      `${lockPath} pins no freqtrade==<version>.`,
      'Restore freqtrade/requirements.lock.',
    );
  }
  return match[1];
}

/** `<cache>/venv-freqtrade-<version>-<12 hex of the lockfile hash>` */
export function venvDir(cacheRoot, lockPath) {
  return join(cacheRoot, `venv-freqtrade-${freqtradeVersion(lockPath)}-${shortFileHash(lockPath)}`);
}

/**
 * @param {{ cacheRoot: string, repoDir: string, logDir: string, pythonCmd: string, note: (line: string) => void }} ctx
 * @returns {Promise<{ cached: boolean, detail?: string, python: string }>}
 */
export async function ensureVenv({ cacheRoot, repoDir, logDir, pythonCmd, note }) {
  const lockPath = join(repoDir, 'freqtrade', 'requirements.lock');
  if (!existsSync(lockPath)) {
    throw new BootstrapError(
      STEP,
      `${lockPath} is missing.`,
      'Restore it from git (it pins the engine environment).',
    );
  }
  const dir = venvDir(cacheRoot, lockPath);
  const python = join(dir, 'bin', 'python');
  // existsSync follows the interpreter symlink, so a venv whose base Python was removed is rebuilt.
  if (isComplete(dir) && existsSync(python)) return { cached: true, python };

  mkdirSync(cacheRoot, { recursive: true });
  return withLock(`${dir}.lock`, note, async () => {
    if (isComplete(dir) && existsSync(python)) return { cached: true, python };

    const logPath = join(logDir, 'venv.log');
    const version = await checkPython(pythonCmd, logPath);
    note(`${STEP}: creating ${dir} with Python ${version} and installing the lockfile (about 1 min)`);
    rmSync(dir, { recursive: true, force: true }); // an unstamped dir is a broken earlier attempt

    const create = await run(pythonCmd, ['-m', 'venv', dir], { logPath });
    if (create.code !== 0) {
      throw new BootstrapError(
        STEP,
        `\`${pythonCmd} -m venv\` failed.`,
        'Install the venv module (on Debian/Ubuntu: apt install python3-venv) or point GENTRADE_PYTHON at another Python 3.11+.',
        { logPath, outputTail: tail(create.output) },
      );
    }
    const install = await run(
      python,
      ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '-r', lockPath],
      { cwd: repoDir, logPath },
    );
    if (install.code !== 0) {
      throw new BootstrapError(
        STEP,
        `pip install -r freqtrade/requirements.lock failed with exit code ${install.code}.`,
        'Check access to PyPI (pip config / PIP_INDEX_URL); the incomplete venv is rebuilt on the next run.',
        { logPath, outputTail: tail(install.output) },
      );
    }
    markComplete(dir, { python: version, lock: shortFileHash(lockPath) });
    return { cached: false, detail: `Python ${version}`, python };
  });
}

async function checkPython(pythonCmd, logPath) {
  const remedy = `Install Python ${MIN_PYTHON.join('.')}+ as python3, or set GENTRADE_PYTHON to its path.`;
  const result = await run(pythonCmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    logPath,
  });
  if (result.missing) throw new BootstrapError(STEP, `\`${pythonCmd}\` was not found.`, remedy);
  const match = /^(\d+)\.(\d+)$/m.exec(result.output);
  if (result.code !== 0 || !match) {
    throw new BootstrapError(STEP, `\`${pythonCmd}\` did not run.`, remedy, {
      logPath,
      outputTail: tail(result.output),
    });
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new BootstrapError(
      STEP,
      `\`${pythonCmd}\` is Python ${major}.${minor}; Freqtrade needs ${MIN_PYTHON.join('.')}+.`,
      remedy,
    );
  }
  return `${major}.${minor}`;
}
