// Queues backtests and records their life: queued -> running -> succeeded | failed. Everything that can be
// checked before queueing (strategy, dates, pairs, data) is checked first, so a refused request stores nothing.
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { type EquitySeries, EquitySeriesSchema } from '../backtest/equity.ts';
import { type BacktestSummary, BacktestSummarySchema } from '../backtest/summary.ts';
import type { ChatAddress } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { BacktestDoc, Models, StrategyDoc } from '../storage/models.ts';
import { dataStart, type MarketCatalog, requireData, requireOverlap } from './market-catalog.ts';
import type { QuotaService } from './quotas.ts';
import type { StrategyService } from './strategies.ts';
import { parseTimerange, startAtData } from './timerange.ts';

/** Implemented by the job scheduler; the service never imports Agenda. */
export type BacktestQueue = {
  /** Queues a run; `ownerKey` is whose turn it takes (runs are served round-robin across owners). */
  enqueue(job: { backtestId: string; correlationId: string; ownerKey: string }): Promise<void>;
  /** 1 for the next run to start, 2 for the one after...; null once a worker took it or it is gone. */
  position(backtestId: string): Promise<number | null>;
};

export type BacktestRequestInput = {
  ownerId: Types.ObjectId;
  strategy: StrategyDoc;
  timerange?: string | undefined;
  pairs?: string[] | undefined;
  replyTo: ChatAddress;
  correlationId: string;
  /** A robustness report runs as a backtest of its own kind (one backtest against the quotas). */
  kind?: BacktestKind;
};

export type BacktestKind = 'backtest' | 'robustness';
/** Plain backtests only: robustness runs never answer "the latest backtest" (older ones have no kind). */
const PLAIN = { kind: { $ne: 'robustness' as const } };

/**
 * A stored backtest with its figures parsed, once, here: `summary` and `equity` are null while it has
 * none, or when what is stored no longer reads (logged).
 */
export type BacktestRecord = Omit<BacktestDoc, 'summary' | 'equity'> & {
  summary: BacktestSummary | null;
  equity: EquitySeries | null;
};

/** A succeeded backtest whose figures read. */
export type FinishedBacktest = BacktestRecord & { summary: BacktestSummary };

/** The run that will answer a request; `created` is false when it joined one already queued or running. */
export type BacktestRequest = { backtest: BacktestDoc; created: boolean };

export type BacktestService = {
  request(input: BacktestRequestInput): Promise<BacktestRequest>;
  get(id: string): Promise<BacktestDoc | null>;
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
    },
  ): Promise<BacktestDoc | null>;
  markFailed(id: string, error: { code: string; message: string }): Promise<BacktestDoc | null>;
  /** Keeps the sentence saying why a finished backtest made no trades. */
  setDiagnosis(id: string, diagnosis: string): Promise<BacktestDoc | null>;
  /** Where a queued backtest stands in the queue (see {@link BacktestQueue.position}). */
  queuePosition(id: string): Promise<number | null>;
  /** Back to queued after its worker was stopped mid-run; the caller queues it again. */
  markRequeued(id: string): Promise<BacktestDoc | null>;
  /** The user's latest backtest of a strategy, whatever its state. */
  latestFor(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<BacktestRecord | null>;
  /** The user's latest successful backtest of a strategy whose figures read. */
  latestSucceeded(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<FinishedBacktest | null>;
  /** One of the user's backtests, or AppError('NOT_FOUND'). */
  getOwned(ownerId: Types.ObjectId, id: string): Promise<BacktestDoc>;
  /** Cancels queued backtests of a strategy (it is being deleted); returns how many. */
  cancelQueued(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<number>;
};

export function createBacktestService(deps: {
  models: Models;
  strategies: StrategyService;
  catalog: MarketCatalog;
  queue: BacktestQueue;
  defaultTimerange: string;
  logger: Logger;
  /** Per-user limits on backtests (and their at-once slots, given back here); absent in tests that set none. */
  quotas?: Pick<QuotaService, 'backtest' | 'backtestsDone'>;
}): BacktestService {
  const { Backtest } = deps.models;

  /** Parses what a backtest stored; a copy that no longer reads is logged and shown as absent. */
  function record(doc: BacktestDoc): BacktestRecord {
    const figure = <T>(field: string, value: unknown, schema: z.ZodType<T>): T | null => {
      if (value === null || value === undefined) return null;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      deps.logger.warn(
        { backtestId: doc._id.toString(), field, err: parsed.error },
        'stored figures unreadable',
      );
      return null;
    };
    return {
      ...doc,
      summary: figure('summary', doc.summary, BacktestSummarySchema),
      equity: figure('equity', doc.equity, EquitySeriesSchema),
    };
  }

  const update = (id: string, set: Record<string, unknown>) =>
    Backtest.findOneAndUpdate(
      { _id: new Types.ObjectId(id) },
      { $set: set },
      { returnDocument: 'after' },
    ).lean();

  /** A run that ended: recorded once, then its at-once slot is given back. */
  async function finish(id: string, set: Record<string, unknown>) {
    const doc = await Backtest.findOneAndUpdate(
      { _id: new Types.ObjectId(id), status: { $in: ['queued', 'running'] } },
      { $set: { ...set, finishedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean();
    if (doc) await deps.quotas?.backtestsDone([id]);
    return doc;
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
    // A second press of the same preset joins the run already waiting or running.
    const same = await Backtest.findOne({
      ownerId: input.ownerId,
      strategyId: input.strategy._id,
      strategyVersion: input.strategy.version,
      timerange: timerange.text,
      pairs,
      status: { $in: ['queued', 'running'] },
      ...(input.kind === 'robustness' ? { kind: 'robustness' } : PLAIN),
    }).lean();
    if (same) return { backtest: same, created: false };
    // Past this point a new run is made: the quota counts it, and gives it back if queueing fails. Its
    // id comes first so the at-once slot names it before it exists.
    const id = new Types.ObjectId();
    const queue = () =>
      queueNew(id, input, { timeframe: settings.timeframe, timerange: timerange.text, pairs });
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
      // The version queued is the version run, however the strategy is edited while this waits.
      snapshot: {
        kind: input.strategy.kind ?? 'spec',
        className: input.strategy.className,
        code: input.strategy.code,
        spec: input.strategy.spec ?? null,
      },
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
    get: (id) => (Types.ObjectId.isValid(id) ? Backtest.findById(id).lean() : Promise.resolve(null)),
    markRunning: (id) => update(id, { status: 'running', startedAt: new Date() }),
    markSucceeded: (id, { summary, resultPath, equity, robustness }) =>
      finish(id, {
        status: 'succeeded',
        summary,
        resultPath,
        equity,
        error: null,
        ...(robustness === undefined ? {} : { robustness }),
      }),
    markFailed: (id, error) => finish(id, { status: 'failed', error }),
    setDiagnosis: (id, diagnosis) => update(id, { diagnosis }),
    queuePosition: (id) => deps.queue.position(id),
    markRequeued: (id) => update(id, { status: 'queued', startedAt: null }),
    async latestFor(ownerId, strategyId) {
      const doc = await Backtest.findOne({ ownerId, strategyId, ...PLAIN })
        .sort({ queuedAt: -1 })
        .lean();
      return doc ? record(doc) : null;
    },
    async latestSucceeded(ownerId, strategyId) {
      const doc = await Backtest.findOne({ ownerId, strategyId, status: 'succeeded', ...PLAIN })
        .sort({ finishedAt: -1 })
        .lean();
      const read = doc ? record(doc) : null;
      return read?.summary ? { ...read, summary: read.summary } : null;
    },
    async getOwned(ownerId, id) {
      const doc = Types.ObjectId.isValid(id)
        ? await Backtest.findOne({ ownerId, _id: new Types.ObjectId(id) }).lean()
        : null;
      if (!doc) throw new AppError('NOT_FOUND', 'That backtest no longer exists.');
      return doc;
    },
    async cancelQueued(ownerId, strategyId) {
      const queued = await Backtest.find({ ownerId, strategyId, status: 'queued' }, { _id: 1 }).lean();
      const ids = queued.map((b) => b._id);
      const res = await Backtest.updateMany(
        { _id: { $in: ids }, status: 'queued' },
        { $set: { status: 'cancelled', finishedAt: new Date() } },
      );
      // A run that started meanwhile keeps its slot until it finishes; the others give theirs back.
      const cancelled = await Backtest.find({ _id: { $in: ids }, status: 'cancelled' }, { _id: 1 }).lean();
      await deps.quotas?.backtestsDone(cancelled.map((b) => b._id.toString()));
      return res.modifiedCount;
    },
  };
}
