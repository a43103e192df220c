// What decides a backtest's figures, as one key for the result cache: the engine request exactly as
// the runners send it (class, timeframe, pairs, timerange, stake, wallet, max open trades, trading
// mode; every path left out), a hash of the strategy code, the market data on disk, the engine's own
// source and the Freqtrade it runs. Two requests with the same key get the same figures from Freqtrade.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type BacktestRequest, type EngineSettings, engineRequest } from './runner.ts';

/** A backtest as the runner would get it, without the id of this particular run. */
export type RunInputs = Omit<BacktestRequest, 'backtestId'>;

export type RunKeys = {
  /** The run's key; null when the Freqtrade in use can't be told (nothing is cached then). */
  of(run: RunInputs): Promise<string | null>;
};

export type RunKeySettings = Pick<
  EngineSettings,
  'engineDir' | 'marketDataDir' | 'marketsPath' | 'stakeCurrency' | 'startingBalance'
> & {
  /** Which Freqtrade runs the backtests ("freqtrade 2026.9", an image id); null when unknown. */
  freqtrade(): Promise<string | null>;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, as paths relative to it (sorted). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/**
 * The market data as the engine would read it: every file in the data folder (any pair or timeframe,
 * since a strategy may read informative pairs) and the markets snapshots (fees, precision), each by
 * name, size and modification time in nanoseconds. About 150 stats, a millisecond or two: cheap enough
 * for every request, and any rewrite of a file changes it. A copy of the same data on another machine
 * has other times, so its results are not shared (a miss, never a wrong hit).
 */
async function dataFingerprint(dataDir: string, marketsPath: string): Promise<string> {
  const futuresMarkets = path.join(
    path.dirname(marketsPath),
    `${path.basename(marketsPath, '.json')}.futures.json`,
  );
  const files = [
    ...(await filesUnder(dataDir)).map((f) => path.join(dataDir, f)),
    marketsPath,
    futuresMarkets,
  ];
  const lines = await Promise.all(
    files.map(async (f) => {
      const s = await stat(f, { bigint: true }).catch(() => null);
      return s ? `${f}\0${s.size}\0${s.mtimeNs}` : `${f}\0missing`;
    }),
  );
  return sha256(lines.join('\n'));
}

/** The engine package's Python source (it builds Freqtrade's config and exchange: fees, pricing). */
async function engineSourceHash(engineDir: string): Promise<string> {
  const root = path.join(engineDir, 'gentrade_engine');
  const files = (await filesUnder(root)).filter((f) => f.endsWith('.py'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(await readFile(path.join(root, f)));
  return hash.digest('hex');
}

export function createRunKeys(settings: RunKeySettings): RunKeys {
  // The engine's source is read once per process: the warm engine has it loaded anyway.
  let source: Promise<string> | undefined;
  const engineSource = () => {
    source ??= engineSourceHash(settings.engineDir);
    source.catch(() => {
      source = undefined;
    });
    return source;
  };
  const noPaths = { strategyPath: '', datadir: '', marketsPath: '', resultsDir: '' };
  return {
    async of(run) {
      const freqtrade = await settings.freqtrade();
      if (freqtrade === null) return null;
      const [engine, data] = await Promise.all([
        engineSource(),
        dataFingerprint(settings.marketDataDir, settings.marketsPath),
      ]);
      const request = engineRequest({ ...run, backtestId: '' }, noPaths, settings);
      return sha256(JSON.stringify({ v: 1, request, code: sha256(run.code), data, engine, freqtrade }));
    },
  };
}
