// The strategy spec language, version 2: the one structured description of a trading strategy that the
// parser and the agent produce, storage keeps, and the Freqtrade renderer turns into Python. Stored
// version-1 specs are read with the frozen v1 schema and upgraded, so nothing saved earlier stops loading.
// Every rule carries its own sentence, so a rejected spec says which field is wrong and what is allowed.
import { z } from 'zod';
import { TIMEFRAMES, type Timeframe, timeframeMinutes } from './candles.ts';
import { signalGroup } from './spec-conditions.ts';
import { fallbackMessage, formatIssues } from './spec-issues.ts';
import {
  AtrStopSchema,
  MaxOpenTradesSchema,
  ProtectionsSchema,
  ROI_DISABLED,
  ROI_OFF_RATIO,
  RoiSchema,
  StakeAmountSchema,
  StoplossSchema,
  TrailingStopSchema,
} from './spec-risk.ts';
import { oneOf, show } from './spec-rules.ts';
import { StrategySpecV1Schema, upgradeSpec } from './spec-v1.ts';
import { conditionsIn, seriesWithPaths } from './spec-walk.ts';

export { TIMEFRAMES, type Timeframe, timeframeMinutes } from './candles.ts';
export type { Condition, InnerGroup, SignalGroup, SignalItem } from './spec-conditions.ts';
export { normalizeStrategyName, strategyClassName, TAKEN_CLASS_NAMES } from './spec-names.ts';
export { ROI_OFF_RATIO } from './spec-risk.ts';
export { SERIES_KINDS, type Series, type SeriesKind } from './spec-series.ts';
export { type StrategySpecV1, upgradeSpec } from './spec-v1.ts';

const PAIR = /^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}$/;
const PairSchema = z
  .string({ error: (iss) => `pair must be a string like "BTC/USDT", got ${show(iss.input)}` })
  .regex(PAIR, {
    error: (iss) => `pair must look like BASE/QUOTE in capitals, e.g. BTC/USDT, got ${show(iss.input)}`,
  });

/** The fields of a version-2 spec, without the rules that tie fields together. */
const specShape = {
  specVersion: z.literal(2, { error: (iss) => `specVersion must be 1 or 2, got ${show(iss.input)}` }),
  timeframe: oneOf('timeframe', TIMEFRAMES),
  pairs: z
    .array(PairSchema, { error: 'pairs must be a list such as ["BTC/USDT"]' })
    .min(1, { error: 'pairs needs at least one pair, e.g. ["BTC/USDT"]' })
    .max(20, { error: 'pairs allows at most 20 pairs' })
    .refine((pairs) => new Set(pairs).size === pairs.length, { error: 'pairs must not repeat a pair' }),
  tradingMode: oneOf('tradingMode', ['spot', 'futures']).default('spot'),
  /** A higher timeframe that series can read with `timeframe`, e.g. trend confirmation on 4h. */
  informative: z.strictObject({ timeframe: oneOf('informative.timeframe', TIMEFRAMES) }).optional(),
  /** The long entry; empty only in a short-only strategy (one with `short`). */
  entry: signalGroup('entry', { mayBeEmpty: true }),
  exit: signalGroup('exit'),
  short: z.strictObject({ entry: signalGroup('entry'), exit: signalGroup('exit') }).optional(),
  stoploss: StoplossSchema,
  minimalRoi: RoiSchema.default(() => ({ ...ROI_DISABLED })),
  trailingStop: TrailingStopSchema.optional(),
  atrStop: AtrStopSchema.optional(),
  maxOpenTrades: MaxOpenTradesSchema.optional(),
  stakeAmount: StakeAmountSchema.optional(),
  protections: ProtectionsSchema.optional(),
};

const objectError = (iss: { code?: string; input?: unknown }) =>
  iss.code === 'invalid_type' ? `spec must be a JSON object, got ${show(iss.input)}` : undefined;

type SpecFields = z.infer<z.ZodObject<typeof specShape>>;

function takesProfit(spec: SpecFields, exit: SpecFields['exit']): boolean {
  return (
    conditionsIn(exit).length > 0 ||
    spec.trailingStop !== undefined ||
    spec.atrStop?.trailing === true ||
    Object.values(spec.minimalRoi).some((target) => target < ROI_OFF_RATIO)
  );
}

function higherThan(timeframe: Timeframe): Timeframe[] {
  return TIMEFRAMES.filter((t) => timeframeMinutes(t) > timeframeMinutes(timeframe));
}

// Rules across fields: a way to take profit, shorts only on futures, the informative timeframe used
// consistently. Each issue carries the path of the field to change.
function crossFieldRules(spec: SpecFields, ctx: z.RefinementCtx): void {
  const issue = (message: string, path: (string | number)[] = []) =>
    ctx.addIssue({ code: 'custom', message, path });
  const noProfit =
    'a strategy needs a way to take profit: add an exit condition, a minimalRoi target or a trailing stop';
  const longSide = conditionsIn(spec.entry).length > 0;
  if (!longSide && spec.short === undefined) {
    issue('entry needs at least one condition (only a strategy with a short side may leave it empty)', [
      'entry',
    ]);
  }
  if (longSide && !takesProfit(spec, spec.exit)) issue(noProfit);
  if (spec.short !== undefined) {
    if (spec.tradingMode !== 'futures') {
      issue(
        `short needs tradingMode "futures" (spot markets cannot short), got tradingMode "${spec.tradingMode}"`,
        ['short'],
      );
    }
    if (!takesProfit(spec, spec.short.exit)) issue(noProfit, ['short', 'exit']);
  }
  const informative = spec.informative?.timeframe;
  if (informative !== undefined && timeframeMinutes(informative) <= timeframeMinutes(spec.timeframe)) {
    const allowed = higherThan(spec.timeframe);
    issue(
      allowed.length === 0
        ? `informative.timeframe must be higher than the strategy timeframe, and nothing is higher than ${spec.timeframe}`
        : `informative.timeframe must be higher than the strategy timeframe ${spec.timeframe}: one of ${allowed.join(', ')}, got "${informative}"`,
      ['informative', 'timeframe'],
    );
  }
  let used = false;
  for (const { path, series } of seriesWithPaths(spec)) {
    if (series.timeframe === undefined) continue;
    used = true;
    if (informative === undefined) {
      issue(
        `series timeframe needs an informative timeframe: add "informative": {"timeframe": "${series.timeframe}"} or drop it, got "${series.timeframe}"`,
        [...path, 'timeframe'],
      );
    } else if (series.timeframe !== informative) {
      issue(`series timeframe must be the informative timeframe ${informative}, got "${series.timeframe}"`, [
        ...path,
        'timeframe',
      ]);
    }
  }
  if (informative !== undefined && !used) {
    issue(
      `informative.timeframe ${informative} is not read by any series: give a series "timeframe": "${informative}" or drop informative`,
      ['informative'],
    );
  }
}

/** Version 2 of the spec language. Parse untrusted input with {@link validateSpec}. */
export const StrategySpecSchema = z
  .strictObject(specShape, { error: objectError })
  .superRefine(crossFieldRules);

/** A validated strategy spec (version 2), with defaults filled in. */
export type StrategySpec = z.infer<typeof StrategySpecSchema>;

/**
 * What a language model is asked to fill: the version-2 fields, with specVersion 1 or 2 accepted so an
 * older prompt still works. Without the cross-field rules (JSON Schema cannot say them); always pass the
 * result through {@link validateSpec}.
 */
export const DraftSpecSchema = z.strictObject({
  ...specShape,
  specVersion: z.union([z.literal(1), z.literal(2)]),
});

/** Outcome of {@link validateSpec}: the spec with defaults filled in, or one sentence per problem. */
type SpecValidation = { ok: true; spec: StrategySpec } | { ok: false; errors: string[] };

function parseV2(input: unknown): SpecValidation {
  const result = StrategySpecSchema.safeParse(input, { error: fallbackMessage });
  if (result.success) return { ok: true, spec: result.data };
  return { ok: false, errors: formatIssues(result.error.issues) };
}

/**
 * Validates untrusted input (agent output, stored documents, the spec line read back from Python) against
 * the spec language. Version-1 input is checked as version 1, then upgraded. Errors name the field and the
 * allowed values, e.g. `entry.all[0].left.period: rsi period must be a whole number 2..200, got 0`.
 */
export function validateSpec(input: unknown): SpecValidation {
  if (typeof input === 'object' && input !== null && 'specVersion' in input && input.specVersion === 1) {
    const v1 = StrategySpecV1Schema.safeParse(input, { error: fallbackMessage });
    if (!v1.success) return { ok: false, errors: formatIssues(v1.error.issues) };
    return parseV2(upgradeSpec(v1.data));
  }
  return parseV2(input);
}
