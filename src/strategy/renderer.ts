// The port through which the core and the agent turn a spec into Freqtrade code. freqtrade/render.ts
// implements it; the composition root hands it to the strategy service and the drafter's repair check,
// so neither imports the Freqtrade adapter.
import type { StrategySpec } from './spec.ts';

/** The generated class's Python name and the strategy's name, written into the code. */
export type RenderNames = { className: string; name: string };

/**
 * Renders a spec to a Freqtrade strategy; deterministic, throws AppError SPEC_INVALID on an invalid spec.
 * `tune` (an optimisation) names the levels (src/strategy/tunables.ts) rendered as hyperopt parameters.
 */
export type StrategyRenderer = (spec: StrategySpec, names: RenderNames, tune?: readonly string[]) => string;
