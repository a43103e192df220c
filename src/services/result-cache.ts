// The result cache: a finished run's figures under a key for everything that decides them (code,
// dates, pairs, timeframe, settings, market data, Freqtrade; the key is made where Freqtrade is
// known, jobs/result-cache.ts). An identical request is answered from them at once, as a backtest of
// the asker's own: their strategy, name and chat; only Freqtrade's figures are shared. Nothing is
// copied from the run that made them but its summary, equity curve, zero-trade diagnosis and end time.
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { type EquitySeries, StoredEquitySchema, storedEquity } from '../backtest/equity.ts';
import { type BacktestSummary, BacktestSummarySchema } from '../backtest/summary.ts';
import { upsertRacing } from '../storage/duplicate-key.ts';
import type { BacktestDoc, Models, StrategyDoc } from '../storage/models.ts';
import { createBacktestPayloads } from './backtest-payloads.ts';

/** Freqtrade's figures for a request, from an earlier identical run. */
export type CachedResult = {
  summary: BacktestSummary;
  equity: EquitySeries | null;
  diagnosis: string | null;
  /** When the run these come from finished. */
  ranAt: Date;
};

/** What a backtest runs, as queued (the backtest's snapshot). */
export type RunSource = { kind: 'spec' | 'custom'; className: string; code: string; spec: unknown };
export type RunPlan = { timeframe: string; timerange: string; pairs: string[] };

/** The cached figures for a request, or null; filled in by the composition root. */
export type ResultLookup = (source: RunSource, plan: RunPlan) => Promise<CachedResult | null>;

export type ResultCache = {
  /** The figures stored under `key`, or null (none, or their run is gone or no longer reads). */
  find(key: string): Promise<CachedResult | null>;
  /** Points `key` at a run; read only once that run succeeded, and a later run replaces it. */
  remember(key: string, backtestId: string): Promise<void>;
};

export function createResultCache(deps: { models: Models; logger: Logger }): ResultCache {
  const { ResultCache, Backtest } = deps.models;
  const payloads = createBacktestPayloads(deps.models);
  return {
    async find(key) {
      const entry = await ResultCache.findOne({ key }).lean();
      if (!entry) return null;
      // By _id alone (the embedded FerretDB decodes the whole collection for any other filter), the
      // rest checked here: a succeeded plain backtest; its figures from its payload, read by _id too.
      const found = await Backtest.findById(entry.backtestId).lean();
      const ok = found?.status === 'succeeded' && (found.kind ?? 'backtest') === 'backtest' ? found : null;
      if (!ok?.finishedAt) return null;
      const run = { ...(await payloads.read(ok)), finishedAt: ok.finishedAt };
      const summary = BacktestSummarySchema.safeParse(run.summary);
      if (!summary.success) {
        deps.logger.warn({ backtestId: entry.backtestId.toString() }, 'cached figures unreadable; a miss');
        return null;
      }
      const equity = StoredEquitySchema.safeParse(run.equity);
      return {
        summary: summary.data,
        equity: equity.success ? equity.data : null,
        diagnosis: run.diagnosis ?? null,
        ranAt: run.finishedAt,
      };
    },
    async remember(key, backtestId) {
      const set = { $set: { backtestId, storedAt: new Date() } };
      // Two runs of one key ending at once: both upserts insert, one loses; it updates instead.
      await upsertRacing(() => ResultCache.updateOne({ key }, set, { upsert: true }));
    },
  };
}

/** What a backtest of the strategy runs, copied when it is asked for. */
export function runSourceOf(strategy: StrategyDoc): RunSource {
  return {
    kind: strategy.kind ?? 'spec',
    className: strategy.className,
    code: strategy.code,
    spec: strategy.spec ?? null,
  };
}

/** Who asks for which backtest (the backtest service's request). */
type Asking = {
  ownerId: Types.ObjectId;
  strategy: StrategyDoc;
  replyTo: BacktestDoc['replyTo'];
  correlationId: string;
};

/**
 * The asker's own backtest, finished at once with an identical run's figures, or null when none are
 * cached (or the cache can't be read: then the request runs). Everything on it but the figures is
 * theirs (strategy, version, name, chat).
 */
export async function answerFromCache(
  deps: { models: Models; logger: Logger },
  lookup: ResultLookup,
  input: Asking,
  plan: RunPlan,
): Promise<{ backtest: BacktestDoc; cached: CachedResult } | null> {
  const snapshot = runSourceOf(input.strategy);
  const cached = await lookup(snapshot, plan).catch((err: unknown) => {
    deps.logger.warn({ err, correlationId: input.correlationId }, 'result cache unavailable; running it');
    return null;
  });
  if (!cached) return null;
  const backtest = await recordCachedRun(deps.models, input, snapshot, plan, cached);
  deps.logger.info(
    {
      event: 'backtest_cached',
      correlationId: input.correlationId,
      user: input.ownerId.toString(),
      strategy: input.strategy.name,
      backtestId: backtest._id.toString(),
      timerange: plan.timerange,
      pairs: plan.pairs,
      ranAt: cached.ranAt,
    },
    'backtest_cached',
  );
  return { backtest, cached };
}

async function recordCachedRun(
  models: Models,
  input: Asking,
  snapshot: RunSource,
  plan: RunPlan,
  hit: CachedResult,
): Promise<BacktestDoc> {
  const now = new Date();
  // Its payload first: a record that says succeeded always has its figures.
  const _id = new Types.ObjectId();
  const heavy = { snapshot, summary: hit.summary, equity: storedEquity(hit.equity) };
  await createBacktestPayloads(models).put(_id, heavy);
  const doc = await models.Backtest.create({
    _id,
    ownerId: input.ownerId,
    strategyId: input.strategy._id,
    strategyName: input.strategy.name,
    strategyVersion: input.strategy.version,
    ...plan,
    status: 'succeeded',
    diagnosis: hit.diagnosis,
    queuedAt: now,
    cachedFrom: hit.ranAt,
    finishedAt: now,
    replyTo: input.replyTo,
    correlationId: input.correlationId,
  });
  return doc.toObject();
}
