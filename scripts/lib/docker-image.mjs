// The Freqtrade image for the Docker runner's tests, made without any image registry: a Debian
// bookworm rootfs from debootstrap (minbase, from the mirror apt uses) with Debian's Python, the
// bootstrap's pinned venv copied in and checked against freqtrade/requirements.lock, imported with
// `docker import` and saved as a tarball in the cache keyed by the lockfile. A later run loads the
// tarball (or finds the image in the engine); a tiny Dockerfile then adds our engine on top, which
// Docker's build cache makes instant while the engine is unchanged.

import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isComplete, shortFileHash } from './cache.mjs';
import { aptInstall, engineGet } from './docker-engine.mjs';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';
import { freqtradeVersion, venvDir } from './venv.mjs';

const SUITE = 'bookworm';
const VENV = '/opt/venv';
/** Debian bookworm's Python, which the copied venv runs on. */
const PYTHON = 'python3.11';
const PATH_IN_IMAGE = `${VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
/** ftuser, as in freqtradeorg/freqtrade: the runner's containers run as 1000:1000 with this HOME. */
const USER = { uid: 1000, name: 'ftuser', home: '/home/ftuser' };

class ImageError extends Error {}

/**
 * @typedef {{ ok: true, image: string, base: 'present' | 'loaded' | 'built', baseMs: number,
 *   engineLayerMs: number, tarball: string } | { ok: false, reason: string }} ImageOutcome
 */

/**
 * @param {{ repoDir: string, cacheRoot: string, logDir: string, socketPath: string,
 *   note: (line: string) => void }} ctx
 * @returns {Promise<ImageOutcome>}
 */
export async function ensureTestImage(ctx) {
  const lockPath = join(ctx.repoDir, 'freqtrade', 'requirements.lock');
  const key = `${freqtradeVersion(lockPath)}-${shortFileHash(lockPath)}`;
  const base = `gentrade/freqtrade-test-base:${key}`;
  const image = `gentrade/freqtrade-test:${key}`;
  const tarball = join(ctx.cacheRoot, `docker-image-freqtrade-${key}.tar`);
  const logPath = join(ctx.logDir, 'docker-image.log');
  // The legacy builder: the classic `docker build` needs no buildx plugin, and our Dockerfile no BuildKit.
  const env = { ...process.env, DOCKER_HOST: `unix://${ctx.socketPath}`, DOCKER_BUILDKIT: '0' };
  const docker = (args) => run('docker', args, { env, logPath });
  try {
    const t0 = performance.now();
    const how = await withLock(join(ctx.cacheRoot, 'docker', 'image.lock'), ctx.note, async () => {
      if ((await engineGet(ctx.socketPath, `/images/${base}/json`)) === 200) return 'present';
      if (existsSync(tarball)) {
        ctx.note(`docker image: loading ${tarball}`);
        await must(docker(['load', '-i', tarball]), 'docker load', logPath);
        return 'loaded';
      }
      ctx.note(`docker image: building ${base} (debootstrap ${SUITE} and the venv; about a minute)`);
      await buildBase({ ...ctx, lockPath, base, tarball, logPath, env, docker });
      return 'built';
    });
    const baseMs = Math.round(performance.now() - t0);
    const t1 = performance.now();
    await addEngine({ ...ctx, base, image, docker, logPath });
    return { ok: true, image, base: how, baseMs, engineLayerMs: Math.round(performance.now() - t1), tarball };
  } catch (err) {
    if (err instanceof ImageError) return { ok: false, reason: err.message };
    throw err;
  }
}

async function must(pending, what, logPath) {
  const result = await pending;
  if (result.code !== 0) {
    throw new ImageError(`${what} failed (${logPath}): ${tail(result.output, 3).replace(/\s+/g, ' ')}`);
  }
  return result;
}

async function buildBase({ cacheRoot, lockPath, base, tarball, logPath, env, docker, note }) {
  const venv = venvDir(cacheRoot, lockPath);
  if (!isComplete(venv)) throw new ImageError(`no complete venv at ${venv}: run npm run bootstrap first`);
  const sitePackages = join(venv, 'lib', PYTHON, 'site-packages');
  if (!existsSync(sitePackages)) {
    throw new ImageError(
      `${venv} is not a ${PYTHON} venv, and ${SUITE}'s Python, which the image runs it with, is`,
    );
  }
  const missing = await aptInstall(['debootstrap'], 'debootstrap', logPath, note);
  if (missing) throw new ImageError(missing);
  const work = join(cacheRoot, 'docker', `build-${process.pid}`);
  const rootfs = join(work, 'rootfs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    await must(
      run('debootstrap', ['--variant=minbase', '--include=python3', SUITE, rootfs, aptMirror()], { logPath }),
      'debootstrap',
      logPath,
    );
    const chroot = (...args) =>
      must(run('chroot', [rootfs, ...args], { logPath }), `chroot ${args[0]}`, logPath);
    await chroot('useradd', '-u', String(USER.uid), '-U', '-m', '-d', USER.home, '-s', '/bin/sh', USER.name);
    // Debian's Python 3.11 under the venv: the pinned packages are cp311 wheels for the same glibc.
    await chroot('python3', '-m', 'venv', '--without-pip', VENV);
    cpSync(sitePackages, join(rootfs, VENV.slice(1), 'lib', PYTHON, 'site-packages'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    writeFileSync(join(rootfs, 'tmp', 'requirements.lock'), readFileSync(lockPath));
    await chroot(`${VENV}/bin/python`, '-c', CHECK_PINS, '/tmp/requirements.lock');
    for (const dir of ['tmp', 'var/cache/apt/archives', 'var/lib/apt/lists']) emptyDir(join(rootfs, dir));
    await must(
      run(
        'sh',
        [
          '-c',
          'tar -C "$1" -c . | docker import --change "ENV PATH=$2" --change "USER $3" --change "WORKDIR $4" - "$5"',
          'import',
          rootfs,
          PATH_IN_IMAGE,
          `${USER.uid}:${USER.uid}`,
          USER.home,
          base,
        ],
        { env, logPath },
      ),
      'docker import',
      logPath,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const partial = `${tarball}.tmp-${process.pid}`;
  await must(docker(['save', '-o', partial, base]), 'docker save', logPath);
  renameSync(partial, tarball);
  // One tarball per lockfile is about a gigabyte: older ones go.
  const dir = join(tarball, '..');
  for (const name of readdirSync(dir)) {
    if (name.startsWith('docker-image-freqtrade-') && join(dir, name) !== tarball) rmSync(join(dir, name));
  }
}

/** Every `name==version` of the lockfile, as installed in the image's venv (exits 1 with the differences). */
const CHECK_PINS = `
import sys, importlib.metadata as md
bad = []
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if '==' not in line: continue
    name, want = line.split('==', 1)
    try: have = md.version(name)
    except md.PackageNotFoundError: have = None
    if have != want: bad.append(f'{name}: want {want}, have {have}')
if bad: sys.exit('not as pinned: ' + '; '.join(bad))
`;

function emptyDir(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}

/** The Debian mirror apt uses for bookworm, from the system's sources. */
function aptMirror() {
  const dir = '/etc/apt/sources.list.d';
  const files = [
    '/etc/apt/sources.list',
    ...(existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : []),
  ];
  return mirrorFrom(files.filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8')));
}

/**
 * The first URI that serves `suite` itself (not suite-updates or -security) in apt sources, deb822
 * stanzas or one-line `deb [options] uri suite components`; deb.debian.org when none does.
 * @param {string[]} texts
 */
export function mirrorFrom(texts, suite = SUITE) {
  for (const text of texts) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (name) =>
        new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      if (field('Types').includes('deb') && field('Suites').includes(suite) && field('URIs')[0]) {
        return field('URIs')[0];
      }
    }
    for (const line of text.split('\n')) {
      const words = line
        .replace(/\[[^\]]*\]/, '')
        .trim()
        .split(/\s+/);
      if (words[0] === 'deb' && words[2] === suite && words[1]) return words[1];
    }
  }
  return 'http://deb.debian.org/debian';
}

/** Our engine on top of the base, as the image's own copy (the runner also binds it at the same path). */
async function addEngine({ repoDir, cacheRoot, base, image, docker, logPath }) {
  const context = join(cacheRoot, 'docker', `context-${process.pid}`);
  rmSync(context, { recursive: true, force: true });
  try {
    const engine = join(repoDir, 'freqtrade', 'engine');
    cpSync(join(engine, 'gentrade_engine'), join(context, 'engine', 'gentrade_engine'), {
      recursive: true,
      filter: (src) => !src.endsWith('__pycache__'),
    });
    writeFileSync(join(context, 'Dockerfile'), `FROM ${base}\nCOPY engine /gentrade/engine\n`);
    await must(docker(['build', '-q', '-t', image, context]), 'docker build', logPath);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
