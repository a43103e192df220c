#!/usr/bin/env node
// Prepares everything GenTrade needs that is not in git: node_modules, a FerretDB binary, the pinned
// Freqtrade venv and sample market data. Everything heavy lives in a per-user cache keyed by
// version, so the second run only checks stamps. Runs before `npm start` and `npm test`;
// Node built-ins only, because node_modules may not exist yet.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveCacheRoot } from './lib/cache.mjs';
import { BootstrapError, describeFailure } from './lib/errors.mjs';
import { ensureFerretDb, FERRETDB_VERSION } from './lib/ferretdb-build.mjs';
import { createLog } from './lib/log.mjs';
import { writeManifest } from './lib/manifest.mjs';
import { ensureMarketData } from './lib/market-data.mjs';
import { ensureNodeDeps } from './lib/node-deps.mjs';
import { ensureVenv, freqtradeVersion } from './lib/venv.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(argv, env) {
  const unknown = argv.filter((arg) => arg !== '--quiet');
  if (unknown.length > 0) {
    throw new BootstrapError(
      'arguments',
      `unknown option ${unknown.join(' ')}.`,
      'Usage: node scripts/bootstrap.mjs [--quiet]',
    );
  }
  const log = createLog({ quiet: argv.includes('--quiet') });
  const cacheRoot = resolveCacheRoot(env);
  const logDir = join(cacheRoot, 'logs');
  const ctx = { repoDir, cacheRoot, logDir, note: log.note };

  await log.step('node deps', () => ensureNodeDeps(ctx));

  mkdirSync(logDir, { recursive: true });
  log.note(`cache: ${cacheRoot}`);

  // FerretDB (CPU-bound go build) and the venv (pip downloads) overlap well on a first run.
  const [ferretdb, engine] = await Promise.allSettled([
    prepareFerretDb(log, ctx, env),
    (async () => {
      const venv = await log.step('python venv', () =>
        ensureVenv({ ...ctx, pythonCmd: env.GENTRADE_PYTHON || 'python3' }),
      );
      const data = await log.step('market data', () => ensureMarketData({ ...ctx, python: venv.python }));
      return { python: venv.python, ...data };
    })(),
  ]);
  const failures = [ferretdb, engine].filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures);
  if (ferretdb.status !== 'fulfilled' || engine.status !== 'fulfilled') return; // narrowed above

  writeManifest(repoDir, {
    ferretdbBin: ferretdb.value.bin,
    python: engine.value.python,
    engineDir: join(repoDir, 'freqtrade', 'engine'),
    dataDir: engine.value.dataDir,
    marketsPath: engine.value.marketsPath,
    freqtradeVersion: freqtradeVersion(join(repoDir, 'freqtrade', 'requirements.lock')),
  });
  log.total();
}

async function prepareFerretDb(log, ctx, env) {
  const step = `ferretdb ${FERRETDB_VERSION}`;
  if (env.MONGODB_URI) {
    log.note(`${step}: skipped (MONGODB_URI is set)`);
    return { bin: null };
  }
  return log.step(step, () => ensureFerretDb(ctx));
}

main(process.argv.slice(2), process.env).catch((err) => {
  process.stderr.write(`${describeFailure(err)}\n`);
  process.exitCode = 1;
});
