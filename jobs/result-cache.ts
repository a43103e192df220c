// The result cache's two ends on the Freqtrade side: the key of a request (freqtrade/run-key.ts, with
// the spec's run settings as the job passes them) for the backtest service's lookup, and a runner that
// points the key of each run it makes at that run, so the next identical request reads its figures.
import type { Logger } from 'pino';
import type { RunKeys } from '../freqtrade/run-key.ts';
import type { BacktestRunner } from '../freqtrade/runner.ts';
import type { ResultCache, ResultLookup } from '../src/services/result-cache.ts';
import { specRunSettings } from './backtest-source.ts';

type CacheDeps = { keys: RunKeys; cache: ResultCache; logger: Logger };

/** The lookup the backtest service asks before queueing: the key of the run the job would make. */
export function resultLookup(deps: CacheDeps): ResultLookup {
  return async (source, plan) => {
    const key = await deps.keys.of({
      className: source.className,
      code: source.code,
      ...plan,
      ...specRunSettings(source),
    });
    return key === null ? null : deps.cache.find(key);
  };
}

/**
 * `runner`, remembering each run under its key. The key is taken before the run, from the data it
 * reads; a cache that can't be reached never fails a backtest.
 */
export function cachingRunner(runner: BacktestRunner, deps: CacheDeps): BacktestRunner {
  const quietly = <T>(what: string, p: Promise<T>, backtestId: string) =>
    p.catch((err: unknown) => {
      deps.logger.warn({ err, backtestId }, `result cache: ${what} failed; the backtest is not cached`);
      return null;
    });
  return {
    async run(req, opts) {
      const { backtestId, ...inputs } = req;
      const key = await quietly('key', deps.keys.of(inputs), backtestId);
      const run = await runner.run(req, opts);
      if (key !== null) await quietly('remember', deps.cache.remember(key, backtestId), backtestId);
      return run;
    },
    ...(runner.discard ? { discard: runner.discard.bind(runner) } : {}),
  };
}
