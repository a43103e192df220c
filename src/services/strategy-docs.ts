// A stored strategy read as what the rest of the app needs: the spec of a spec strategy, the timeframe
// and pairs of either kind, and what is wrong with one whose stored spec no longer validates.
import { AppError } from '../errors.ts';
import type { StrategyDoc } from '../storage/models.ts';
import { type StrategySpec, validateSpec } from '../strategy/spec.ts';
import { customCodeError } from './strategy-checks.ts';

/** What a backtest needs to know of any strategy, spec or custom. */
export type StrategySettings = { timeframe: string; pairs: string[] };

/** Imported code that passed validation, with the settings its class declares (or the trader named). */
export type CustomCode = { className: string; code: string; timeframe: string; pairs: string[] };

export const isCustom = (doc: Pick<StrategyDoc, 'kind'>): boolean => doc.kind === 'custom';

/** The spec of a spec strategy; AppError BAD_COMMAND for custom code, SPEC_INVALID for a broken one. */
export function specOf(doc: StrategyDoc): StrategySpec {
  if (isCustom(doc)) throw customCodeError(doc);
  const checked = validateSpec(doc.spec);
  if (!checked.ok) {
    throw new AppError('SPEC_INVALID', `The stored spec of ${doc.name} is no longer valid.`, {
      detail: checked.errors.join('; '),
    });
  }
  return checked.spec;
}

/** What is wrong with the stored spec or settings, one readable line, or undefined when sound. */
export function storedProblem(doc: StrategyDoc): string | undefined {
  if (isCustom(doc)) return doc.timeframe ? undefined : 'its code has no timeframe stored with it';
  const checked = validateSpec(doc.spec);
  return checked.ok ? undefined : checked.errors.join('; ');
}

/** Timeframe and pairs of either kind. */
export function settingsOf(doc: StrategyDoc): StrategySettings {
  if (!isCustom(doc)) {
    const spec = specOf(doc);
    return { timeframe: spec.timeframe, pairs: spec.pairs };
  }
  if (!doc.timeframe) {
    throw new AppError('SPEC_INVALID', `The stored settings of ${doc.name} are incomplete.`, {
      detail: 'custom strategy without a timeframe',
    });
  }
  return {
    timeframe: doc.timeframe,
    pairs: doc.pairs && doc.pairs.length > 0 ? doc.pairs : ['BTC/USDT'],
  };
}
