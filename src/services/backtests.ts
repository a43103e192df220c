// Queues backtests and records their life: queued -> running -> succeeded | failed. Everything that can be
// checked before queueing (strategy, dates, pairs, data) is checked first, so a refused request stores nothing.
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { BacktestSummary } from '../../freqtrade/result.ts';
import type { ChatAddress } from '../core/types.ts';
import { AppError } from '../errors.ts';
import type { BacktestDoc, Models, StrategyDoc } from '../storage/models.ts';
import type { MarketCatalog } from './market-catalog.ts';
import type { StrategyService } from './strategies.ts';
import { parseTimerange } from './timerange.ts';

/** Implemented by the job scheduler; the service never imports Agenda. */
export type BacktestQueue = { enqueue(backtestId: string, correlationId: string): Promise<void> };

export type BacktestRequestInput = {
  ownerId: Types.ObjectId;
  strategy: StrategyDoc;
  timerange?: string | undefined;
  pairs?: string[] | undefined;
  replyTo: ChatAddress;
  correlationId: string;
};

export type BacktestService = {
  request(input: BacktestRequestInput): Promise<BacktestDoc>;
  get(id: string): Promise<BacktestDoc | null>;
  markRunning(id: string): Promise<BacktestDoc | null>;
  markSucceeded(id: string, summary: BacktestSummary, resultPath: string): Promise<BacktestDoc | null>;
  markFailed(id: string, error: { code: string; message: string }): Promise<BacktestDoc | null>;
  latestFor(ownerId: Types.ObjectId, strategyId: Types.ObjectId): Promise<BacktestDoc | null>;
};

export function createBacktestService(deps: {
  models: Models;
  strategies: StrategyService;
  catalog: MarketCatalog;
  queue: BacktestQueue;
  defaultTimerange: string;
  logger: Logger;
}): BacktestService {
  const { Backtest } = deps.models;

  function checkPairs(pairs: string[], timeframe: string): string[] {
    const resolved = [...new Set(pairs.map((p) => deps.catalog.resolvePair(p)))];
    const missing = resolved.filter((p) => !deps.catalog.hasData(p, timeframe));
    if (missing.length > 0) {
      const withData = deps.catalog.pairs().filter((p) => deps.catalog.hasData(p, timeframe));
      throw new AppError(
        'NO_DATA',
        `There is no ${timeframe} market data for ${missing.join(', ')}. Pairs with ${timeframe} data: ${withData.join(', ') || 'none'}.`,
      );
    }
    return resolved;
  }

  const update = (id: string, set: Record<string, unknown>) =>
    Backtest.findOneAndUpdate(
      { _id: new Types.ObjectId(id) },
      { $set: set },
      { returnDocument: 'after' },
    ).lean();

  return {
    async request(input) {
      const spec = deps.strategies.specOf(input.strategy);
      const timerange = parseTimerange(input.timerange ?? deps.defaultTimerange);
      const pairs = checkPairs(
        input.pairs && input.pairs.length > 0 ? input.pairs : spec.pairs,
        spec.timeframe,
      );
      const doc = await Backtest.create({
        ownerId: input.ownerId,
        strategyId: input.strategy._id,
        strategyName: input.strategy.name,
        strategyVersion: input.strategy.version,
        timerange: timerange.text,
        pairs,
        timeframe: spec.timeframe,
        status: 'queued',
        queuedAt: new Date(),
        replyTo: input.replyTo,
        correlationId: input.correlationId,
      });
      try {
        await deps.queue.enqueue(doc._id.toString(), input.correlationId);
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
          timerange: timerange.text,
          pairs,
        },
        'backtest_queued',
      );
      return doc.toObject();
    },
    get: (id) => (Types.ObjectId.isValid(id) ? Backtest.findById(id).lean() : Promise.resolve(null)),
    markRunning: (id) => update(id, { status: 'running', startedAt: new Date() }),
    markSucceeded: (id, summary, resultPath) =>
      update(id, { status: 'succeeded', summary, resultPath, finishedAt: new Date(), error: null }),
    markFailed: (id, error) => update(id, { status: 'failed', error, finishedAt: new Date() }),
    latestFor: (ownerId, strategyId) =>
      Backtest.findOne({ ownerId, strategyId, status: 'succeeded' }).sort({ finishedAt: -1 }).lean(),
  };
}
