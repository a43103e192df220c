// Queues backtests and records their life: queued -> running -> succeeded | failed | cancelled. Everything
// that can be checked before queueing (strategy, dates, pairs, data) is checked first, so a refused request
// stores nothing.
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { type EquitySeries, storedEquity } from '../backtest/equity.ts';
import type { OptimiseSettings } from '../backtest/optimise.ts';
import type { BacktestSummary } from '../backtest/summary.ts';
import type { ChatAddress } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { BacktestDoc, FullBacktestDoc, Models, StrategyDoc } from '../storage/models.ts';
import { createBacktestEnds, type EndStatus } from './backtest-ends.ts';
import { createBacktestPayloads } from './backtest-payloads.ts';
import { type BacktestRecord, type FinishedBacktest, readRecord } from './backtest-record.ts';
import { dataStart, type MarketCatalog, requireData, requireOverlap } from './market-catalog.ts';
import type { QuotaService } from './quotas.ts';
import { answerFromCache, type CachedResult, type ResultLookup, runSourceOf } from './result-cache.ts';
import type { StrategyService } from './strategies.ts';
import { parseTimerange, startAtData } from './timerange.ts';

/** Implemented by the job scheduler; the service never imports Agenda. */
export type BacktestQueue = {
  /** Queues a run; `ownerKey` is whose turn it takes (runs are served round-robin across owners). */
  enqueue(job: { backtestId: string; correlationId: string; ownerKey: string }): Promise<void>;
  /** 1 for the next run to start, 2 for the one after...; null once a worker took it or it is gone. */
  position(backtestId: string): Promise<number | null>;
  /**
   * Takes a cancelled run out of the queue, or stops it where this process runs it; a worker in
   * another process sees the cancelled status itself (jobs/cancel-watch.ts).
   */
  cancel(backtestId: string): Promise<void>;
  /** A queued reply showed its position: from now on the queue's moves edit that message. */
  shown?(): void;
};

/** What a cancel did: `cancelled` false when the run had already ended (its own message says how). */
export type CancelOutcome = { cancelled: boolean; backtest: BacktestDoc };

export type BacktestRequestInput = {
  ownerId: Types.ObjectId;
  strategy: StrategyDoc;
  timerange?: string | undefined;
  pairs?: string[] | undefined;
  replyTo: ChatAddress;
  correlationId: string;
  /** Run it even when an identical run's figures are cached ("Run again"). */
  fresh?: boolean;
  /** A robustness report runs as a backtest of its own kind (one backtest against the quotas). */
  kind?: BacktestKind;
  /** An optimisation's settings (kind 'optimise'). */
  optimise?: OptimiseSettings;
};

export type BacktestKind = 'backtest' | 'robustness' | 'optimise';
/** Plain backtests only: reports and optimisations never answer "the latest backtest" (older ones have no kind). */
const PLAIN = { kind: { $nin: ['robustness' as const, 'optimise' as const] } };

/**
 * The run that will answer a request; `created` is false when it joined one already queued or running.
 * `cached` is set when it was answered at once from an identical run's figures: `backtest` has
 * succeeded already, and no engine runs.
 */
export type BacktestRequest = { backtest: BacktestDoc; created: boolean; cached?: CachedResult };

export type BacktestService = {
  request(input: BacktestRequestInput): Promise<BacktestRequest>;
  /** A backtest with its heavy fields (its payload read too). */
  get(id: string): Promise<FullBacktestDoc | null>;
  /** A backtest's record alone (status, kind, owner...): no payload read. */
  record(id: string): Promise<BacktestDoc | null>;
  /** Null when it is no longer queued or running (cancelled meanwhile): it must not run. */
  markRunning(id: string): Promise<BacktestDoc | null>;
  /**
   * The end of a run, recorded once: null when the backtest had already ended (another worker that
   * took the run over finished first, or it was cancelled), and then its result must not be posted.
   */
  markSucceeded(
    id: string,
    result: {
      summary: BacktestSummary;
      resultPath: string;
      equity: EquitySeries | null;
      /** A robustness run's report (src/backtest/robustness/report.ts). */
      robustness?: unknown;
      /** An optimisation's result (src/backtest/optimise.ts). */
      optimisation?: unknown;
    },
  ): Promise<BacktestDoc | null>;
  markFailed(id: string, error: { code: string; message: string }): Promise<BacktestDoc | null>;
  /** Keeps the sentence saying why a finished backtest made no trades. */
  setDiagnosis(id: string, diagnosis: string): Promise<BacktestDoc | null>;
  /** Where a queued backtest stands in the queue (see {@link BacktestQueue.position}), as shown to its owner. */
  queuePosition(id: string): Promise<number | null>;
  /** Back to queued after its worker was stopped mid-run; the caller queues it again. */
  markRequeued(id: string): Promise<BacktestDoc | null>;
  /** The user's latest backtest of a strategy, whatever its state. */
  latestFor(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<BacktestRecord | null>;
  /** The strategy's latest run of one kind other than a plain backtest (its latest optimisation), of `status` if given. */
  latestOfKind(
    ownerId: Types.ObjectId,
    strategyId: Types.ObjectId,
    kind: Exclude<BacktestKind, 'backtest'>,
    status?: BacktestDoc['status'],
  ): Promise<FullBacktestDoc | null>;
  /** The user's latest successful backtest of a strategy whose figures read. */
  latestSucceeded(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<FinishedBacktest | null>;
  /** One of the user's backtests, or AppError('NOT_FOUND'). */
  getOwned(ownerId: Types.ObjectId, id: string): Promise<FullBacktestDoc>;
  /**
   * Cancels one of the user's queued or running backtests (AppError NOT_FOUND for anyone else's):
   * recorded once, against the run's own end, and its at-once slot is given back.
   */
  cancel(ownerId: Types.ObjectId, id: string): Promise<CancelOutcome>;
  /** The user's queued and running backtests, newest first; of one strategy when given. */
  live(ownerId: Types.ObjectId, strategyId?: Types.ObjectId): Promise<BacktestDoc[]>;
  /** Cancels queued backtests of a strategy (it is being deleted); returns how many. */
  cancelQueued(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<number>;
};

/** The states of a run that has not ended. */
type Status = BacktestDoc['status'];
const LIVE: Status[] = ['queued', 'running'];

export function createBacktestService(deps: {
  models: Models;
  strategies: StrategyService;
  catalog: MarketCatalog;
  queue: BacktestQueue;
  defaultTimerange: string;
  logger: Logger;
  /** Per-user limits on backtests (and their at-once slots, given back here); absent in tests that set none. */
  quotas?: Pick<QuotaService, 'backtest' | 'backtestsDone'>;
  /** Finds an identical run's figures (the result cache); absent: every request runs. */
  lookup?: ResultLookup;
}): BacktestService {
  const { Backtest } = deps.models;
  const ends = createBacktestEnds(deps.models);
  const payloads = createBacktestPayloads(deps.models);

  /** The record with its payload read and its figures parsed. */
  const record = async (doc: BacktestDoc) => readRecord(await payloads.read(doc), deps.logger);
  const full = async (doc: BacktestDoc | null) => (doc ? payloads.read(doc) : null);

  /** Sets fields of a backtest; only while it is in one of `states` when given. */
  const update = (id: string, set: Record<string, unknown>, states?: Status[]) => {
    const filter: { _id: Types.ObjectId; status?: { $in: Status[] } } = { _id: new Types.ObjectId(id) };
    if (states) filter.status = { $in: states };
    return Backtest.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }).lean();
  };

  /**
   * A run that ended, while in one of `from`: recorded once (backtest-ends.ts settles who ends it),
   * then its at-once slot is given back.
   */
  async function finish(
    id: string,
    status: EndStatus,
    set: Record<string, unknown>,
    from = LIVE,
    heavy?: Parameters<typeof payloads.put>[1],
  ) {
    if (!(await Backtest.exists({ _id: new Types.ObjectId(id), status: { $in: from } }))) return null;
    // The figures go to the payload before anything says the run ended, so whoever reads `succeeded`
    // finds them. A run that then loses its end to another ender leaves figures nobody reads as its
    // (a cancelled run) or the same figures again (the worker that took it over).
    if (heavy) await payloads.put(id, heavy);
    if (!(await ends.claim(id, status))) return null;
    const doc = await update(id, { ...set, status, finishedAt: new Date() });
    if (doc) await deps.quotas?.backtestsDone([id]);
    return doc;
  }

  /** A move back to queued or running that met an end recorded meanwhile: the end stays, and null. */
  async function unlessEnded(id: string, doc: BacktestDoc | null): Promise<BacktestDoc | null> {
    const ended = doc ? await ends.of(id) : null;
    if (ended === null) return doc;
    await update(id, { status: ended });
    return null;
  }

  async function getOwned(ownerId: Types.ObjectId, id: string): Promise<FullBacktestDoc> {
    const doc = Types.ObjectId.isValid(id)
      ? await Backtest.findOne({ ownerId, _id: new Types.ObjectId(id) }).lean()
      : null;
    if (!doc) throw new AppError('NOT_FOUND', 'That backtest no longer exists.');
    return payloads.read(doc);
  }

  async function request(input: BacktestRequestInput): Promise<BacktestRequest> {
    // Spec and custom strategies alike: the timeframe and default pairs are the strategy's own.
    const settings = deps.strategies.settingsOf(input.strategy);
    const asked = parseTimerange(input.timerange ?? deps.defaultTimerange);
    const requested = input.pairs && input.pairs.length > 0 ? input.pairs : settings.pairs;
    const pairs = requireData(deps.catalog, requested, settings.timeframe);
    requireOverlap(deps.catalog, pairs, settings.timeframe, asked);
    // A range from before the timeframe's candles start (1m over the default year) runs, and is
    // stored and announced, from the day they start: the dates said are the dates tested.
    const first = dataStart(deps.catalog, pairs, settings.timeframe);
    const timerange = first ? startAtData(asked, first) : asked;
    // A second press of the same preset joins the run already waiting or running; an optimisation's
    // settings come from its form, so each submit is its own run.
    const same =
      input.kind === 'optimise'
        ? null
        : await Backtest.findOne({
            ownerId: input.ownerId,
            strategyId: input.strategy._id,
            strategyVersion: input.strategy.version,
            timerange: timerange.text,
            pairs,
            status: { $in: ['queued', 'running'] },
            ...(input.kind && input.kind !== 'backtest' ? { kind: input.kind } : PLAIN),
          }).lean();
    if (same) return { backtest: same, created: false };
    const plan = { timeframe: settings.timeframe, timerange: timerange.text, pairs };
    // Answered at once from the cache before any quota: it queues nothing, holds no at-once slot and
    // costs no backtest of the day, since no engine runs.
    // A robustness report or an optimisation always runs: its figures are more than one backtest's.
    const lookup = input.fresh || (input.kind ?? 'backtest') !== 'backtest' ? undefined : deps.lookup;
    const hit = lookup ? await answerFromCache(deps, lookup, input, plan) : null;
    if (hit) return { ...hit, created: true };
    // Past this point a new run is made: the quota counts it, and gives it back if queueing fails. Its
    // id comes first so the at-once slot names it before it exists.
    const id = new Types.ObjectId();
    const queue = () => queueNew(id, input, plan);
    if (!deps.quotas) return queue();
    const by = { platform: input.replyTo.platform, platformUserId: input.replyTo.userId };
    return deps.quotas.backtest({ ownerId: input.ownerId, backtestId: id.toString(), by }, queue);
  }

  async function queueNew(
    id: Types.ObjectId,
    input: BacktestRequestInput,
    run: { timeframe: string; timerange: string; pairs: string[] },
  ): Promise<BacktestRequest> {
    const { timeframe, timerange, pairs } = run;
    // The version queued is the version run, however the strategy is edited while this waits. Its
    // code goes to the payload first, so the worker that takes the run finds it.
    const snapshot = runSourceOf(input.strategy);
    await payloads.put(id, { snapshot });
    const doc = await Backtest.create({
      _id: id,
      ownerId: input.ownerId,
      strategyId: input.strategy._id,
      strategyName: input.strategy.name,
      strategyVersion: input.strategy.version,
      timerange,
      pairs,
      timeframe,
      kind: input.kind ?? 'backtest',
      ...(input.optimise ? { optimise: input.optimise } : {}),
      status: 'queued',
      queuedAt: new Date(),
      replyTo: input.replyTo,
      correlationId: input.correlationId,
    });
    try {
      await deps.queue.enqueue({
        backtestId: doc._id.toString(),
        correlationId: input.correlationId,
        ownerKey: input.ownerId.toString(),
      });
    } catch (err) {
      // A backtest nobody will run must not linger as "queued".
      await Backtest.deleteOne({ _id: doc._id });
      await payloads.remove([doc._id]);
      throw new AppError('STORAGE', 'I could not queue the backtest. Please try again.', { cause: err });
    }
    deps.logger.info(
      {
        event: 'backtest_queued',
        correlationId: input.correlationId,
        user: input.ownerId.toString(),
        strategy: input.strategy.name,
        backtestId: doc._id.toString(),
        timerange,
        pairs,
      },
      'backtest_queued',
    );
    return { backtest: doc.toObject(), created: true };
  }

  return {
    request,
    get: async (id) => (Types.ObjectId.isValid(id) ? full(await Backtest.findById(id).lean()) : null),
    record: (id) => (Types.ObjectId.isValid(id) ? Backtest.findById(id).lean() : Promise.resolve(null)),
    markRunning: async (id) =>
      unlessEnded(id, await update(id, { status: 'running', startedAt: new Date() }, LIVE)),
    markSucceeded: (id, { summary, resultPath, equity, robustness, optimisation }) =>
      finish(id, 'succeeded', { resultPath, error: null }, LIVE, {
        summary,
        equity: storedEquity(equity),
        ...(robustness === undefined ? {} : { robustness }),
        ...(optimisation === undefined ? {} : { optimisation }),
      }),
    markFailed: (id, error) => finish(id, 'failed', { error }),
    setDiagnosis: (id, diagnosis) => update(id, { diagnosis }),
    async queuePosition(id) {
      const position = await deps.queue.position(id);
      // Shown in the queued reply: the queue's later moves edit the message from this figure on.
      if (position !== null) {
        await update(id, { shownPosition: position }, ['queued']);
        deps.queue.shown?.();
      }
      return position;
    },
    markRequeued: async (id) =>
      unlessEnded(id, await update(id, { status: 'queued', startedAt: null }, ['running'])),
    async cancel(ownerId, id) {
      const mine = await getOwned(ownerId, id);
      const done = await finish(id, 'cancelled', {});
      if (!done) return { cancelled: false, backtest: (await Backtest.findById(mine._id).lean()) ?? mine };
      await deps.queue.cancel(id).catch((err: unknown) => {
        // The status is what counts: a job still queued sees it when it starts, and skips.
        deps.logger.warn({ err, backtestId: id }, 'cancelled backtest not taken out of the queue');
      });
      deps.logger.info(
        { event: 'backtest_cancelled', backtestId: id, user: ownerId.toString(), was: mine.status },
        'backtest_cancelled',
      );
      return { cancelled: true, backtest: done };
    },
    live: (ownerId, strategyId) =>
      Backtest.find({ ownerId, ...(strategyId ? { strategyId } : {}), status: { $in: LIVE } })
        .sort({ queuedAt: -1 })
        .lean(),
    async latestFor(ownerId, strategyId) {
      const doc = await Backtest.findOne({ ownerId, strategyId, ...PLAIN })
        .sort({ queuedAt: -1 })
        .lean();
      return doc ? record(doc) : null;
    },
    latestOfKind: async (ownerId, strategyId, kind, status) =>
      full(
        await Backtest.findOne({ ownerId, strategyId, kind, ...(status ? { status } : {}) })
          .sort({ queuedAt: -1 })
          .lean(),
      ),
    async latestSucceeded(ownerId, strategyId) {
      const doc = await Backtest.findOne({ ownerId, strategyId, status: 'succeeded', ...PLAIN })
        .sort({ finishedAt: -1 })
        .lean();
      const read = doc ? await record(doc) : null;
      return read?.summary ? { ...read, summary: read.summary } : null;
    },
    getOwned,
    async cancelQueued(ownerId, strategyId) {
      const queued = await Backtest.find({ ownerId, strategyId, status: 'queued' }, { _id: 1 }).lean();
      let cancelled = 0;
      // A run that started meanwhile runs on and keeps its slot until it finishes.
      for (const { _id } of queued) {
        if (!(await finish(_id.toString(), 'cancelled', {}, ['queued']))) continue;
        cancelled++;
        await deps.queue.cancel(_id.toString()).catch(() => undefined);
      }
      return cancelled;
    },
  };
}
