// What a backtest job runs: the code and settings of the version it was queued for, never the
// strategy as it is now. Backtests queued before snapshots existed fall back to the strategy's
// current code while it is still that version, or to the kept copy of that version; otherwise they
// fail with a sentence asking the trader to run them again.
import type { BacktestRequest } from '../freqtrade/runner.ts';
import { AppError } from '../src/errors.ts';
import type { BacktestDoc, FullBacktestDoc, Models, StrategyDoc } from '../src/storage/models.ts';
import { validateSpec } from '../src/strategy/spec.ts';

/** The code one backtest runs, with the spec it was rendered from (null for custom code). */
export type BacktestSource = { kind: string; className: string; code: string; spec: unknown };

export async function backtestSource(
  models: Pick<Models, 'StrategyVersion'>,
  bt: Pick<FullBacktestDoc, 'snapshot' | 'strategyId' | 'strategyName' | 'strategyVersion'>,
  strategy: Pick<StrategyDoc, 'kind' | 'className' | 'code' | 'spec' | 'version'>,
): Promise<BacktestSource> {
  if (bt.snapshot) {
    const { kind, className, code, spec } = bt.snapshot;
    return { kind, className, code, spec: spec ?? null };
  }
  if (strategy.version === bt.strategyVersion) {
    return {
      kind: strategy.kind ?? 'spec',
      className: strategy.className,
      code: strategy.code,
      spec: strategy.spec ?? null,
    };
  }
  const kept = await models.StrategyVersion.findOne({
    strategyId: bt.strategyId,
    version: bt.strategyVersion,
  }).lean();
  if (kept) {
    // A spec strategy keeps its class name for life; kept copies of custom code carry their own.
    const className = kept.className ?? strategy.className;
    return { kind: kept.kind ?? 'spec', className, code: kept.code, spec: kept.spec ?? null };
  }
  throw new AppError(
    'NOT_FOUND',
    `${bt.strategyName} changed from version ${bt.strategyVersion} to version ${strategy.version} while this backtest waited, and I no longer have version ${bt.strategyVersion}. Run the backtest again to test version ${strategy.version}.`,
  );
}

/** The spec's cap on open trades and its trading mode; none for custom code, which keeps its class's own. */
export function specRunSettings(source: {
  kind: string;
  spec: unknown;
}): Pick<BacktestRequest, 'maxOpenTrades' | 'tradingMode'> {
  if (source.kind === 'custom') return {};
  const checked = validateSpec(source.spec);
  if (!checked.ok) return {};
  const { maxOpenTrades, tradingMode } = checked.spec;
  return { ...(maxOpenTrades !== undefined ? { maxOpenTrades } : {}), tradingMode };
}

/** The Freqtrade request for a run of `bt`: the version queued, its range, pairs and settings. */
export function runRequest(
  bt: Pick<BacktestDoc, 'timeframe' | 'pairs' | 'timerange'> & { _id: { toString(): string } },
  source: BacktestSource,
): BacktestRequest {
  return {
    backtestId: bt._id.toString(),
    className: source.className,
    code: source.code,
    timeframe: bt.timeframe,
    pairs: bt.pairs,
    timerange: bt.timerange,
    ...specRunSettings(source),
  };
}
