// Conditions: one test per candle (crosses, above/below, between, rising/falling), and the all/any
// groups that combine them, nested at most one level so a strategy stays readable in words.
import { z } from 'zod';
import { level, numberIn, oneOf, show, wholeNumber } from './spec-rules.ts';
import { SeriesSchema } from './spec-series.ts';

const SeriesOrLevelSchema = z.union([level('level'), SeriesSchema], {
  error: (iss) => `right side must be a number or a series, got ${show(iss.input)}`,
});

// Crossing a fixed level ("RSI crosses above 30") is allowed as well as crossing another series: reading
// it as "above 30" would enter on almost every candle, which is a different strategy.
const CrossSchema = z.strictObject({
  op: oneOf('cross op', ['crosses_above', 'crosses_below']),
  left: SeriesSchema,
  right: SeriesOrLevelSchema,
});

// "volume above twice its average": `times` scales the right-hand series (never a plain level, where
// the trader would just write the product). "3 closes in a row above the upper band": `held` asks for the
// comparison on each of that many candles up to the one traded.
const CompareSchema = z
  .strictObject({
    op: oneOf('compare op', ['above', 'below']),
    left: SeriesSchema,
    right: SeriesOrLevelSchema,
    times: numberIn('times', 0.1, 100).optional(),
    held: wholeNumber('held candles', 2, 10).optional(),
  })
  .refine((c) => c.times === undefined || typeof c.right !== 'number', {
    error: 'times scales a series on the right; with a number there, write the product instead',
    path: ['times'],
  })
  // The candles counted are the strategy's: on a higher timeframe's series they would be a fraction of one.
  .refine(
    (c) =>
      c.held === undefined ||
      (c.left.timeframe === undefined && (typeof c.right === 'number' || c.right.timeframe === undefined)),
    {
      error: "held counts the strategy timeframe candles; drop held or the series' timeframe",
      path: ['held'],
    },
  );

const BetweenSchema = z
  .strictObject({
    op: z.literal('between'),
    left: SeriesSchema,
    low: level('between low'),
    high: level('between high'),
  })
  .refine((c) => c.low < c.high, {
    error: (iss) => {
      const input = iss.input;
      const pair =
        typeof input === 'object' && input !== null && 'low' in input && 'high' in input
          ? `, got low ${show(input.low)} and high ${show(input.high)}`
          : '';
      return `between needs low smaller than high${pair}`;
    },
    path: ['high'],
  });

// Rising over N candles means higher now than N candles ago (not higher on every one of them).
const TrendSchema = z.strictObject({
  op: oneOf('trend op', ['rising', 'falling']),
  left: SeriesSchema,
  candles: wholeNumber('rising/falling candles', 1, 100),
});

/** Every condition op, in the order error sentences list them. */
const CONDITION_OPS = [
  'crosses_above',
  'crosses_below',
  'above',
  'below',
  'between',
  'rising',
  'falling',
] as const;

/** One test per candle; entry and exit groups are made of these. */
export const ConditionSchema = z
  .discriminatedUnion('op', [CrossSchema, CompareSchema, BetweenSchema, TrendSchema], {
    error: (iss) => {
      const input = iss.input;
      if (typeof input === 'object' && input !== null && 'op' in input) {
        return `condition op must be one of ${CONDITION_OPS.join(', ')}, got ${show(input.op)}`;
      }
      return `condition must be an object with op and left (groups nest one level only), got ${show(input)}`;
    },
  })
  .refine(
    (c) =>
      !('right' in c) || typeof c.right === 'number' || JSON.stringify(c.left) !== JSON.stringify(c.right),
    { error: 'condition compares a series with itself; use two different series', path: ['right'] },
  )
  .meta({ id: 'Condition' });
export type Condition = z.infer<typeof ConditionSchema>;

const MAX_ITEMS = 10;

function list<T extends z.ZodType>(item: T, where: string, min: number) {
  return z
    .array(item, { error: `${where} must be a list of conditions` })
    .min(min, { error: `${where} needs at least ${min === 1 ? 'one condition' : `${min} conditions`}` })
    .max(MAX_ITEMS, { error: `${where} allows at most ${MAX_ITEMS} items` });
}

const groupError = (where: string) => (iss: { input?: unknown }) =>
  `${where} must be a group such as {"all":[...]} or {"any":[...]}, got ${show(iss.input)}`;

/** A group inside a group: conditions only, so nesting stops at one level. */
const InnerGroupSchema = z
  .union(
    [
      z.strictObject({ all: list(ConditionSchema, 'group', 1) }),
      z.strictObject({ any: list(ConditionSchema, 'group', 1) }),
    ],
    { error: groupError('group') },
  )
  .meta({ id: 'InnerGroup' });
export type InnerGroup = z.infer<typeof InnerGroupSchema>;

const ItemSchema = z
  .union([ConditionSchema, InnerGroupSchema], {
    error: (iss) =>
      `condition must be an object with op and left, or a group {"all":[...]} / {"any":[...]}, got ${show(iss.input)}`,
  })
  .meta({ id: 'SignalItem' });
export type SignalItem = z.infer<typeof ItemSchema>;

/** A top-level signal: all of its items must hold, or any one of them. Entry needs at least one item. */
export function signalGroup(where: 'entry' | 'exit', opts: { mayBeEmpty?: boolean } = {}) {
  const min = where === 'entry' && !opts.mayBeEmpty ? 1 : 0;
  return z.union(
    [
      z.strictObject({ all: list(ItemSchema, where, min) }),
      z.strictObject({ any: list(ItemSchema, where, min) }),
    ],
    { error: groupError(where) },
  );
}
export type SignalGroup = z.infer<ReturnType<typeof signalGroup>>;
