// Builds the pinned FerretDB (our local MongoDB-compatible server) into the cache with the Go
// toolchain. `go install pkg@version` is tried first; when it fails or yields a binary that does not
// start, the module source is downloaded and built with the version file FerretDB's build expects.

import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapError } from './errors.mjs';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
const PACKAGE = `${MODULE}/cmd/ferretdb`;
const MIN_GO = [1, 24]; // FerretDB v1.24.2's go.mod says `go 1.24`
const STEP = `ferretdb ${FERRETDB_VERSION}`;
const NO_GO_REMEDY = `Install Go ${MIN_GO.join('.')}+ (https://go.dev/dl/) so the bootstrap can build FerretDB, or set MONGODB_URI to an existing MongoDB server to skip it.`;

/** Path of the cached binary for the pinned version. */
function ferretDbBinPath(cacheRoot) {
  return join(cacheRoot, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/**
 * @param {{ cacheRoot: string, logDir: string, note: (line: string) => void }} ctx
 * @returns {Promise<{ cached: boolean, detail?: string, bin: string }>}
 */
export async function ensureFerretDb({ cacheRoot, logDir, note }) {
  const bin = ferretDbBinPath(cacheRoot);
  if (await isRunnable(bin)) return { cached: true, bin };

  const dir = join(cacheRoot, `ferretdb-${FERRETDB_VERSION}`);
  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, 'build.lock'), note, async () => {
    if (await isRunnable(bin)) return { cached: true, bin }; // built by whoever held the lock

    const logPath = join(logDir, 'ferretdb-build.log');
    await checkGo(logPath);
    const staging = join(dir, `.staging-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    try {
      const built = join(staging, 'ferretdb');
      let how = 'go install';
      const installFailure = await tryGoInstall(staging, built, logPath);
      if (installFailure) {
        note(`${STEP}: go install failed (${installFailure}); building from module source (1-2 min)`);
        await buildFromModuleSource(built, logPath);
        how = 'built from module source';
        if (!(await isRunnable(built))) {
          throw new BootstrapError(STEP, 'the freshly built binary does not start.', 'See the log.', {
            logPath,
          });
        }
      }
      renameSync(built, bin);
      return { cached: false, detail: how, bin };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
}

async function isRunnable(bin) {
  if (!existsSync(bin)) return false;
  const result = await run(bin, ['--version']);
  return result.code === 0 && result.output.includes(`version: ${FERRETDB_VERSION}`);
}

async function checkGo(logPath) {
  const result = await run('go', ['env', 'GOVERSION'], { logPath });
  if (result.missing) throw new BootstrapError(STEP, 'Go was not found on PATH.', NO_GO_REMEDY);
  const match = /go(\d+)\.(\d+)/.exec(result.output);
  if (result.code !== 0 || !match) {
    throw new BootstrapError(STEP, '`go env GOVERSION` failed.', NO_GO_REMEDY, {
      logPath,
      outputTail: tail(result.output),
    });
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new BootstrapError(STEP, `Go ${major}.${minor} is too old.`, NO_GO_REMEDY);
  }
}

/** Returns null on success, else a short reason for the fallback note. */
async function tryGoInstall(gobin, built, logPath) {
  const result = await run('go', ['install', `${PACKAGE}@${FERRETDB_VERSION}`], {
    env: { ...process.env, GOBIN: gobin },
    logPath,
  });
  if (result.code !== 0) {
    if (result.output.includes('403 Forbidden'))
      return 'the Go module proxy refused the version list with 403';
    return tail(result.output, 1) || `exit code ${result.code}`;
  }
  // A module-mode install lacks build/version/version.txt, and FerretDB panics at startup without it.
  if (!(await isRunnable(built))) return 'the installed binary does not start';
  return null;
}

async function buildFromModuleSource(out, logPath) {
  const work = mkdtempSync(join(tmpdir(), 'gentrade-ferretdb-'));
  try {
    const download = await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
      cwd: work,
      logPath,
    });
    const info = parseDownloadJson(download.output);
    if (download.code !== 0 || !info?.Dir) {
      throw new BootstrapError(
        STEP,
        `could not download ${MODULE}@${FERRETDB_VERSION}${info?.Error ? `: ${info.Error}` : ''}.`,
        'Check access to the Go module proxy (GOPROXY) or set MONGODB_URI to an existing MongoDB server.',
        { logPath, outputTail: tail(download.output) },
      );
    }

    // The module cache is read-only, so build from a writable copy that carries the version file.
    const src = join(work, 'src');
    cpSync(info.Dir, src, { recursive: true });
    makeWritable(src);
    writeFileSync(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

    const build = await run('go', ['build', '-trimpath', '-buildvcs=false', '-o', out, './cmd/ferretdb'], {
      cwd: src,
      logPath,
    });
    if (build.code !== 0) {
      throw new BootstrapError(
        STEP,
        `go build of FerretDB failed with exit code ${build.code}.`,
        'Check the Go toolchain and GOPROXY access, or set MONGODB_URI to an existing MongoDB server.',
        { logPath, outputTail: tail(build.output) },
      );
    }
  } finally {
    makeWritable(work); // so rm works for non-root users too
    rmSync(work, { recursive: true, force: true });
  }
}

function parseDownloadJson(output) {
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  try {
    return JSON.parse(output.slice(start, end + 1));
  } catch {
    return null;
  }
}

function makeWritable(dir) {
  if (!existsSync(dir)) return;
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else if (entry.isFile()) chmodSync(path, 0o644);
  }
}
