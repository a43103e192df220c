// The strategy spec language: the one structured description of a trading strategy that the parser and
// the agent produce, storage keeps, and the Freqtrade renderer turns into Python. Versioned so stored
// specs stay readable as the language grows (WMA, MACD, Bollinger, between, rising, any-groups...).
// Every rule carries its own sentence, so a rejected spec says which field is wrong and what is allowed.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { fallbackMessage, formatIssues } from './spec-issues.ts';

/** Candle columns a series can read directly. */
const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Candle sizes GenTrade backtests; weekly and monthly candles are left out on purpose (too few trades). */
export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] as const;

/**
 * Take-profit table used when the trader asks for none: a 1000% target, which in practice never triggers,
 * so trades close only by the exit conditions, the stop-loss or a trailing stop. Freqtrade needs some
 * minimal_roi, and inventing a take-profit the trader never asked for would change their strategy.
 */
const ROI_DISABLED: Readonly<Record<string, number>> = Object.freeze({ '0': 10 });

/** ROI targets at or above this ratio count as "no take-profit". */
export const ROI_OFF_RATIO = 10;

function show(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = typeof input === 'string' ? JSON.stringify(input) : (JSON.stringify(input) ?? String(input));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function oneOf<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, {
    error: (iss) => `${label} must be one of ${values.join(', ')}, got ${show(iss.input)}`,
  });
}

function wholeNumber(label: string, min: number, max: number) {
  const error = (iss: { input?: unknown }) =>
    `${label} must be a whole number ${min}..${max}, got ${show(iss.input)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

function ratio(label: string, min: number, max: number, example: string) {
  const error = (iss: { input?: unknown }) =>
    `${label} must be a ratio between ${min} and ${max} (${example}), got ${show(iss.input)}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

const priceField = (label: string) => oneOf(label, PRICE_FIELDS);

const PriceSeriesSchema = z.strictObject({ kind: z.literal('price'), field: priceField('price field') });

function movingAverage<const K extends 'sma' | 'ema'>(kind: K) {
  return z.strictObject({
    kind: z.literal(kind),
    period: wholeNumber(`${kind} period`, 2, 500),
    source: priceField(`${kind} source`).default('close'),
  });
}

const RsiSeriesSchema = z.strictObject({ kind: z.literal('rsi'), period: wholeNumber('rsi period', 2, 200) });

const SERIES_KINDS = ['price', 'sma', 'ema', 'rsi'] as const;

/** A column of numbers per candle: a price field or an indicator computed from the candles. */
export const SeriesSchema = z.discriminatedUnion(
  'kind',
  [PriceSeriesSchema, movingAverage('sma'), movingAverage('ema'), RsiSeriesSchema],
  {
    error: (iss) => {
      const input = iss.input;
      if (typeof input === 'object' && input !== null && 'kind' in input) {
        return `series kind must be one of ${SERIES_KINDS.join(', ')}, got ${show(input.kind)}`;
      }
      return `series must be an object such as {"kind":"sma","period":20}, got ${show(input)}`;
    },
  },
);
export type Series = z.infer<typeof SeriesSchema>;

const levelError = (iss: { input?: unknown }) => `level must be a number, got ${show(iss.input)}`;
const SeriesOrLevelSchema = z.union([z.number({ error: levelError }), SeriesSchema], {
  error: (iss) => `right side must be a number or a series, got ${show(iss.input)}`,
});

// Crossing a fixed level ("RSI crosses above 30") is allowed as well as crossing another series: reading
// it as "above 30" would enter on almost every candle, which is a different strategy.
const CrossConditionSchema = z.strictObject({
  op: oneOf('cross op', ['crosses_above', 'crosses_below']),
  left: SeriesSchema,
  right: SeriesOrLevelSchema,
});

const CompareConditionSchema = z.strictObject({
  op: oneOf('compare op', ['above', 'below']),
  left: SeriesSchema,
  right: SeriesOrLevelSchema,
});

const CONDITION_OPS = ['crosses_above', 'crosses_below', 'above', 'below'] as const;

/** One test per candle; entry and exit groups are made of these. */
export const ConditionSchema = z
  .discriminatedUnion('op', [CrossConditionSchema, CompareConditionSchema], {
    error: (iss) => {
      const input = iss.input;
      if (typeof input === 'object' && input !== null && 'op' in input) {
        return `condition op must be one of ${CONDITION_OPS.join(', ')}, got ${show(input.op)}`;
      }
      return `condition must be an object with op, left and right, got ${show(input)}`;
    },
  })
  .refine((c) => typeof c.right === 'number' || JSON.stringify(c.left) !== JSON.stringify(c.right), {
    error: 'condition compares a series with itself; use two different series',
    path: ['right'],
  });
export type Condition = z.infer<typeof ConditionSchema>;

const MAX_CONDITIONS = 10;

const EntrySchema = z.strictObject({
  all: z
    .array(ConditionSchema, { error: 'entry.all must be a list of conditions' })
    .min(1, { error: 'entry needs at least one condition' })
    .max(MAX_CONDITIONS, { error: `entry allows at most ${MAX_CONDITIONS} conditions` }),
});

const ExitSchema = z.strictObject({
  all: z
    .array(ConditionSchema, { error: 'exit.all must be a list of conditions' })
    .max(MAX_CONDITIONS, { error: `exit allows at most ${MAX_CONDITIONS} conditions` }),
});

const PAIR = /^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}$/;
const PairSchema = z
  .string({ error: (iss) => `pair must be a string like "BTC/USDT", got ${show(iss.input)}` })
  .regex(PAIR, {
    error: (iss) => `pair must look like BASE/QUOTE in capitals, e.g. BTC/USDT, got ${show(iss.input)}`,
  });

const RoiSchema = z
  .record(
    z.string().regex(/^(0|[1-9][0-9]{0,5})$/, {
      error: (iss) => `minimalRoi keys must be minutes as digits, e.g. "0" or "30", got ${show(iss.input)}`,
    }),
    ratio('minimalRoi target', 0, ROI_OFF_RATIO, 'e.g. 0.1 for 10%'),
    { error: 'minimalRoi must be an object of minutes to ratios, e.g. {"0": 0.1}' },
  )
  .refine((roi) => Object.keys(roi).length > 0, {
    error: 'minimalRoi needs at least one entry, e.g. {"0": 0.1}',
  });

const TrailingStopSchema = z
  .strictObject({
    positive: ratio('trailingStop.positive', 0.001, 0.99, 'e.g. 0.01 for 1%').optional(),
    offset: ratio('trailingStop.offset', 0.001, 0.99, 'e.g. 0.02 for 2%').optional(),
    onlyOffsetIsReached: z
      .boolean({ error: 'trailingStop.onlyOffsetIsReached must be true or false' })
      .default(false),
  })
  .refine((t) => t.offset === undefined || (t.positive !== undefined && t.offset > t.positive), {
    error: 'trailingStop.offset needs trailingStop.positive and must be greater than it',
    path: ['offset'],
  })
  .refine((t) => !t.onlyOffsetIsReached || t.offset !== undefined, {
    error: 'trailingStop.onlyOffsetIsReached needs trailingStop.offset',
    path: ['onlyOffsetIsReached'],
  });

/** Version 1 of the spec language. Parse untrusted input with {@link validateSpec}. */
export const StrategySpecSchema = z
  .strictObject(
    {
      specVersion: z.literal(1, { error: (iss) => `specVersion must be 1, got ${show(iss.input)}` }),
      timeframe: oneOf('timeframe', TIMEFRAMES),
      pairs: z
        .array(PairSchema, { error: 'pairs must be a list such as ["BTC/USDT"]' })
        .min(1, { error: 'pairs needs at least one pair, e.g. ["BTC/USDT"]' })
        .max(20, { error: 'pairs allows at most 20 pairs' })
        .refine((pairs) => new Set(pairs).size === pairs.length, { error: 'pairs must not repeat a pair' }),
      entry: EntrySchema,
      exit: ExitSchema,
      stoploss: ratio('stoploss', -0.99, -0.001, 'negative, e.g. -0.05 for a 5% stop'),
      minimalRoi: RoiSchema.default(() => ({ ...ROI_DISABLED })),
      trailingStop: TrailingStopSchema.optional(),
      maxOpenTrades: wholeNumber('maxOpenTrades', 1, 100).optional(),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type' ? `spec must be a JSON object, got ${show(iss.input)}` : undefined,
    },
  )
  .refine(
    (s) =>
      s.exit.all.length > 0 ||
      s.trailingStop !== undefined ||
      Object.values(s.minimalRoi).some((target) => target < ROI_OFF_RATIO),
    {
      error:
        'a strategy needs a way to take profit: add an exit condition, a minimalRoi target or a trailing stop',
    },
  );

/** A validated strategy spec, with defaults filled in. */
export type StrategySpec = z.infer<typeof StrategySpecSchema>;

/** Outcome of {@link validateSpec}: the spec with defaults filled in, or one sentence per problem. */
type SpecValidation = { ok: true; spec: StrategySpec } | { ok: false; errors: string[] };

/**
 * Validates untrusted input (agent output, stored documents, the spec line read back from Python) against
 * the spec language. Errors name the field and the allowed values, e.g.
 * `entry.all[0].left.period: rsi period must be a whole number 2..200, got 0`.
 */
export function validateSpec(input: unknown): SpecValidation {
  const result = StrategySpecSchema.safeParse(input, { error: fallbackMessage });
  if (result.success) return { ok: true, spec: result.data };
  return { ok: false, errors: formatIssues(result.error.issues) };
}

const NAME_MAX = 48;

/**
 * Turns what a trader typed ("BTC SMA 20/50 (1h)") into the strategy's stored name: a lowercase
 * kebab-case slug of letters, digits and dashes, at most 48 characters, cut at a dash where possible.
 * Throws AppError BAD_INPUT when nothing usable is left.
 */
export function normalizeStrategyName(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') {
    throw new AppError(
      'BAD_INPUT',
      'A strategy name needs at least one letter or digit, for example btc-sma-20-50-1h.',
    );
  }
  if (slug.length <= NAME_MAX) return slug;
  const cut = slug.slice(0, NAME_MAX + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, NAME_MAX)).replace(/-+$/, '');
}

// Names the generated module already uses, plus Python constants a PascalCase word could spell.
/** Names a generated class must not take: they would shadow what the strategy module imports. */
export const TAKEN_CLASS_NAMES: ReadonlySet<string> = new Set([
  'IStrategy',
  'DataFrame',
  'None',
  'True',
  'False',
]);

/**
 * The Python class name Freqtrade loads for a strategy name: PascalCase of its letter/digit runs,
 * e.g. "btc-sma-20-50-1h" -> "BtcSma20501h". Always a valid identifier starting with a capital letter;
 * names that start with a digit get a "Strategy" prefix, names that would shadow an import a suffix.
 */
export function strategyClassName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  const named = /^[A-Z]/.test(joined) ? joined : `Strategy${joined}`;
  return TAKEN_CLASS_NAMES.has(named) ? `${named}Strategy` : named;
}
