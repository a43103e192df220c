// The engine's word on a drafted spec, for the drafter's repair loop: the spec is rendered to Freqtrade
// code and validated with the smoke backtest (the last 30 days of the sample data), so code the engine
// rejects, or a strategy that never trades, goes back to the model before the trader sees it.
import type { StrategyRenderer } from '../src/strategy/renderer.ts';
import type { StrategySpec } from '../src/strategy/spec.ts';
import type { StrategyValidator } from '../src/strategy/verdict.ts';

/** What the engine made of a spec: it traded, its code was refused, or it made no trades (and why). */
export type SpecCheckResult =
  | { ok: true; trades: number | null }
  | { ok: false; reason: 'rejected'; problems: string[] }
  | { ok: false; reason: 'no-trades'; diagnosis: string };

/** Checks a valid spec in the engine; rejects only when the engine itself can't judge. */
export type SpecCheck = (spec: StrategySpec) => Promise<SpecCheckResult>;

// The check's code is thrown away; the stored strategy is rendered again under its own name.
const NAMES = { className: 'GentradeDraftCheck', name: 'draft-check' };

export function createSpecCheck(deps: { validator: StrategyValidator; render: StrategyRenderer }): SpecCheck {
  const { validator, render } = deps;
  return async (spec) => {
    const code = render(spec, NAMES);
    const verdict = await validator.validate(code, {
      className: NAMES.className,
      timeframe: spec.timeframe,
      pairs: spec.pairs,
      smoke: true,
      tradingMode: spec.tradingMode,
    });
    if (!verdict.accepted) {
      return {
        ok: false,
        reason: 'rejected',
        problems: verdict.violations.map((v) => `${verdict.stage} check: ${v.message}`),
      };
    }
    const trades = verdict.smoke?.trades ?? null;
    if (trades === 0) {
      return {
        ok: false,
        reason: 'no-trades',
        diagnosis: verdict.diagnosis ?? 'no entry signal was ever raised.',
      };
    }
    return { ok: true, trades };
  };
}
