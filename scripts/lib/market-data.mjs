// Generates the sample OHLCV data and markets snapshot that backtests and tests run on, using the
// engine's own generators. The cache key covers the generators and what they import (pairs,
// timeframes, synth/), so editing one regenerates the data and editing the rest of the engine doesn't.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isComplete, markComplete, sha256 } from './cache.mjs';
import { BootstrapError } from './errors.mjs';
import { withLock } from './lock.mjs';
import { run, tail } from './proc.mjs';

const STEP = 'market data';
const GENERATOR_FILES = new Set(['pairs.py', 'timeframes.py']);
const GENERATOR_DIRS = new Set(['synth']);

/**
 * The files whose contents decide the sample data: every `.py` under `synth/` (the generators
 * `synth/data.py`, `synth/markets.py` and what makes the candles; compiled caches excluded) and what
 * they import from outside it (`pairs.py`, `timeframes.py`), as sorted `/`-separated relative paths. This is the single place the selection rule lives.
 * @param {string} packageDir  <repo>/freqtrade/engine/gentrade_engine
 */
export function marketDataSources(packageDir) {
  const found = [];
  const walk = (dir, all) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '__pycache__' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (all || GENERATOR_DIRS.has(entry.name)) walk(path, true);
      } else if (entry.isFile() && entry.name.endsWith('.py') && (all || GENERATOR_FILES.has(entry.name))) {
        found.push(relative(packageDir, path).split(sep).join('/'));
      }
    }
  };
  walk(packageDir, false);
  return found.sort();
}

/** 12 hex of the sha256 over each selected file's relative path and contents, in sorted order. */
export function marketDataKey(packageDir) {
  const parts = marketDataSources(packageDir).flatMap((rel) => [
    Buffer.from(`${rel}\0`),
    readFileSync(join(packageDir, rel)),
    Buffer.from('\0'),
  ]);
  return sha256(Buffer.concat(parts)).slice(0, 12);
}

/**
 * @param {{ cacheRoot: string, repoDir: string, python: string, logDir: string, note: (line: string) => void }} ctx
 * @returns {Promise<{ cached: boolean, detail?: string, dataDir: string, marketsPath: string }>}
 */
export async function ensureMarketData({ cacheRoot, repoDir, python, logDir, note }) {
  const engineDir = join(repoDir, 'freqtrade', 'engine');
  const packageDir = join(engineDir, 'gentrade_engine');
  const missingEngine =
    'Pull the latest main (the engine lives in freqtrade/engine/gentrade_engine) and run the bootstrap again.';
  if (!existsSync(join(packageDir, '__main__.py'))) {
    throw new BootstrapError(
      STEP,
      'the engine package freqtrade/engine/gentrade_engine (with __main__.py) does not exist, so the sample data cannot be generated.',
      missingEngine,
    );
  }
  if (marketDataSources(packageDir).length === 0) {
    throw new BootstrapError(
      STEP,
      'freqtrade/engine/gentrade_engine has no gen_*, data_* or markets* files to generate the sample data from.',
      missingEngine,
    );
  }

  const dir = join(cacheRoot, `marketdata-${marketDataKey(packageDir)}`);
  const result = { dataDir: join(dir, 'binance'), marketsPath: join(dir, 'markets.json') };
  if (isComplete(dir)) return { cached: true, ...result };

  mkdirSync(cacheRoot, { recursive: true });
  return withLock(`${dir}.lock`, note, async () => {
    if (isComplete(dir)) return { cached: true, ...result };
    rmSync(dir, { recursive: true, force: true }); // an unstamped dir is a broken earlier attempt
    mkdirSync(dir, { recursive: true });

    const logPath = join(logDir, 'market-data.log');
    const env = { ...process.env, PYTHONPATH: engineDir };
    for (const [command, out] of [
      ['gen-data', result.dataDir],
      ['gen-markets', result.marketsPath],
    ]) {
      const gen = await run(python, ['-m', 'gentrade_engine', command, '--out', out], {
        cwd: repoDir,
        env,
        logPath,
      });
      if (gen.code !== 0) {
        throw new BootstrapError(
          STEP,
          `\`python -m gentrade_engine ${command}\` failed with exit code ${gen.code}.`,
          'Fix the engine generator (see the output) and run the bootstrap again.',
          { logPath, outputTail: tail(gen.output) },
        );
      }
    }
    markComplete(dir);
    return { cached: false, ...result };
  });
}
