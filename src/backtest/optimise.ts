// An optimisation from the chat: what the trader chose in the form (which parameters, epochs, loss,
// train/test split), what Freqtrade's hyperopt found, and the found values written back into a spec
// for "Save as new version". Pure: the job runs Freqtrade, the card words the result.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import { levelTunables, specTunables, type Tunable } from '../strategy/tunables.ts';
import { BacktestSummarySchema } from './summary.ts';

/** Freqtrade's hyperopt losses we offer, by the name the trader types. */
export const LOSSES = ['sharpe', 'sortino', 'calmar', 'profit'] as const;
export type Loss = (typeof LOSSES)[number];
export const LOSS_NAMES: Record<Loss, string> = {
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  calmar: 'Calmar',
  profit: 'profit-only',
};
export const DEFAULT_EPOCHS = 100;
/** About 0.4 s an epoch on a year of 1h candles: 500 is a few minutes, not an afternoon. */
export const MAX_EPOCHS = 500;
export const DEFAULT_TRAIN_PERCENT = 70;
/** One seed for every run, so the same request finds the same parameters. */
const SEED = 1;

/** Freqtrade's hyperopt spaces a request may search. */
const SPACES = ['buy', 'sell', 'stoploss', 'roi'] as const;
type Space = (typeof SPACES)[number];

export const OptimiseSettingsSchema = z.object({
  /** Spec strategies: tunable names (src/strategy/tunables.ts); custom code: Freqtrade spaces. */
  tune: z.array(z.string()).min(1),
  epochs: z.number().int().min(1).max(MAX_EPOCHS),
  loss: z.enum(LOSSES),
  trainPercent: z.number().int().min(10).max(90),
  seed: z.number().int(),
});
export type OptimiseSettings = z.infer<typeof OptimiseSettingsSchema>;

/** Declares Freqtrade hyperopt parameters (IntParameter, DecimalParameter...): custom code that can be tuned. */
export const declaresParameters = (code: string) => declaredSpaces(code).length > 0;

const DECLARATION =
  /^[ \t]+(\w+)\s*(?::[^=\n]*)?=\s*(?:Int|Decimal|Real|Categorical|Boolean)Parameter\s*\(([^\n]*(?:\n(?![ \t]*\w+\s*=)[^\n]*){0,8})/gm;

/**
 * The spaces custom code declares parameters in: a parameter's `space="buy"`, or else its name's
 * prefix (`buy_rsi`), as Freqtrade assigns them.
 */
export function declaredSpaces(code: string): ('buy' | 'sell')[] {
  const found = new Set<'buy' | 'sell'>();
  for (const m of code.matchAll(DECLARATION)) {
    const named = /\bspace\s*=\s*["'](buy|sell)["']/.exec(m[2] ?? '')?.[1];
    const prefix = /^(buy|sell)_/.exec(m[1] ?? '')?.[1];
    const space = named ?? prefix;
    if (space === 'buy' || space === 'sell') found.add(space);
  }
  return (['buy', 'sell'] as const).filter((x) => found.has(x));
}

/**
 * What the trader may tune: a spec's levels, stop-loss and ROI by name; custom code's Freqtrade spaces
 * (buy and sell where it declares parameters in them, stop-loss and ROI always).
 */
export function choices(target: { spec: StrategySpec } | { code: string }): string[] {
  if ('spec' in target) return specTunables(target.spec).map((t) => t.name);
  return [...declaredSpaces(target.code), 'stoploss', 'roi'];
}

/** The Freqtrade spaces a choice of tunables searches, in Freqtrade's order. */
export function spacesOf(tune: readonly string[], spec: StrategySpec | null): Space[] {
  if (!spec) return SPACES.filter((s) => tune.includes(s));
  const byName = new Map(specTunables(spec).map((t): [string, Tunable] => [t.name, t]));
  const spaces = new Set<Space>();
  for (const name of tune) {
    const t = byName.get(name);
    if (t) spaces.add(t.kind === 'level' ? t.space : t.kind);
  }
  return SPACES.filter((s) => spaces.has(s));
}

/** The levels among the chosen tunables, which the renderer turns into hyperopt parameters. */
export const levelsOf = (tune: readonly string[]) => tune.filter((t) => t !== 'stoploss' && t !== 'roi');

function whole(label: string, text: string | undefined, fallback: number, low: number, high: number) {
  const given = text?.trim().replace(/%$/, '') ?? '';
  if (given === '') return { value: fallback };
  // Digits only: Number() would also take "1e2", "0x10" or "1_0".
  const n = /^\d+$/.test(given) ? Number(given) : Number.NaN;
  if (!Number.isInteger(n) || n < low || n > high) {
    return { error: `${label} must be a whole number from ${low} to ${high}, got "${text?.trim()}".` };
  }
  return { value: n };
}

/**
 * The form's answers as settings; every answer it can't read is named at once, with what to write,
 * so the form is answered again once, not once per mistake.
 */
export function readOptimiseForm(
  values: Record<string, string>,
  allowed: readonly string[],
): OptimiseSettings {
  const errors: string[] = [];
  const listed = (values.tune ?? '')
    .split(/[\s,]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const tune = listed.length === 0 ? [...allowed] : [...new Set(listed)];
  const unknown = tune.filter((t) => !allowed.includes(t));
  if (unknown.length > 0)
    errors.push(
      `I can't tune ${unknown.map((u) => `"${u}"`).join(', ')}. Choose from: ${allowed.join(', ')}.`,
    );
  const loss = (values.loss?.trim().toLowerCase() || 'sharpe') as Loss;
  if (!LOSSES.includes(loss))
    errors.push(`The loss must be one of ${LOSSES.join(', ')}, got "${values.loss?.trim()}".`);
  const epochs = whole('Epochs', values.epochs, DEFAULT_EPOCHS, 1, MAX_EPOCHS);
  const train = whole('The training share', values.train, DEFAULT_TRAIN_PERCENT, 10, 90);
  if (epochs.error) errors.push(epochs.error);
  if (train.error) errors.push(train.error);
  if (errors.length > 0 || epochs.value === undefined || train.value === undefined) {
    throw new AppError('BAD_INPUT', `${errors.join(' ')} Nothing was queued.`);
  }
  return { tune, epochs: epochs.value, loss, trainPercent: train.value, seed: SEED };
}

/** Hyperopt's best parameters as Freqtrade reports them (params_details): per space, name -> value. */
export const FoundParamsSchema = z
  .object({
    buy: z.record(z.string(), z.unknown()).optional(),
    sell: z.record(z.string(), z.unknown()).optional(),
    stoploss: z.object({ stoploss: z.number() }).loose().optional(),
    roi: z.record(z.string(), z.number()).optional(),
  })
  .loose();
export type FoundParams = z.infer<typeof FoundParamsSchema>;

/** What an optimisation keeps on its record, for its card, /show and "Save as new version". */
export const OptimisationSchema = z.object({
  settings: OptimiseSettingsSchema,
  spaces: z.array(z.string()),
  epochsRun: z.number(),
  bestEpoch: z.number(),
  bestLoss: z.number(),
  /** The loss of the parameters as they were (the search's first epoch), when Freqtrade reported it. */
  baselineLoss: z.number().nullable(),
  found: FoundParamsSchema,
  trainRange: z.string(),
  testRange: z.string(),
  train: BacktestSummarySchema,
  test: BacktestSummarySchema.nullable(),
});
export type Optimisation = z.infer<typeof OptimisationSchema>;

/** The found value of one level, by its parameter name, wherever Freqtrade put it. */
function foundLevel(found: FoundParams, name: string): number | undefined {
  const v = found.buy?.[name] ?? found.sell?.[name];
  return typeof v === 'number' ? v : undefined;
}

/**
 * One line per changed value, in words: "entry level 1 (RSI below): 30 → 27". Custom code's parameters
 * are compared with the defaults written in it (`before`).
 */
export function changesInWords(
  spec: StrategySpec | null,
  found: FoundParams,
  before: { defaults?: Record<string, string>; stoploss?: number } = {},
): string[] {
  const lines: string[] = [];
  if (spec) {
    for (const t of levelTunables(spec).flatMap((l) => l.names)) {
      const now = foundLevel(found, t.name);
      if (now !== undefined && now !== t.value) lines.push(`${t.label}: ${t.value} → ${now}`);
    }
  } else {
    for (const [name, v] of Object.entries({ ...found.buy, ...found.sell })) {
      const was = before.defaults?.[name];
      if (was === undefined) lines.push(`${name}: ${String(v)}`);
      else if (!sameValue(was, v)) lines.push(`${name}: ${was} → ${String(v)}`);
    }
  }
  const stop = found.stoploss?.stoploss;
  const stopWas = spec ? spec.stoploss : before.stoploss;
  if (stop !== undefined && stop !== stopWas)
    lines.push(`stop-loss: ${stopWas === undefined ? '' : `${pctOf(stopWas)} → `}${pctOf(stop)}`);
  if (found.roi) lines.push(`take-profit (ROI): ${roiWords(found.roi)}`);
  return lines;
}

const PYTHON_WORDS: Record<string, unknown> = { True: true, False: false, None: null };

/**
 * A default as written in the code against a found value: `1.0` and 1, `(0.01)` and 0.01, `True` and
 * true, `"sma"` and sma are the same.
 */
function sameValue(written: string, found: unknown): boolean {
  const text = written.replace(/^\((.*)\)$/, '$1').trim();
  if (text === String(found)) return true;
  if (text in PYTHON_WORDS) return PYTHON_WORDS[text] === found;
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2] === found;
  return typeof found === 'number' && text !== '' && Number(text) === found;
}

const pctOf = (r: number) => `${Number((r * 100).toFixed(2))}%`;

/** "10% at once, 4% after 30 min, 0% after 120 min". */
function roiWords(roi: Record<string, number>): string {
  return Object.entries(roi)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([m, r]) => (m === '0' ? `${pctOf(r)} at once` : `${pctOf(r)} after ${m} min`))
    .join(', ');
}

/**
 * The spec with the found values written in: each level where its condition sits, the stop-loss and
 * the ROI table. A candidate: the strategy service validates it like any other edit.
 */
export function applyFound(spec: StrategySpec, found: FoundParams): StrategySpec {
  const next = structuredClone(spec);
  for (const { condition, names } of levelTunables(next)) {
    names.forEach((t, i) => {
      const v = foundLevel(found, t.name);
      if (v === undefined) return;
      if (condition.op === 'between') {
        if (i === 0) condition.low = v;
        else condition.high = v;
      } else if ('right' in condition && typeof condition.right === 'number') {
        condition.right = v;
      }
    });
  }
  const stop = found.stoploss?.stoploss;
  if (stop !== undefined) next.stoploss = stop;
  if (found.roi) next.minimalRoi = Object.fromEntries(Object.entries(found.roi).map(([m, r]) => [m, r]));
  return next;
}
