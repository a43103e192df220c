// Version 1 of the spec language, frozen: strategies saved before version 2 are read with this schema
// (so their error sentences stay what they were) and then upgraded. Never extend it; grow version 2.
import { z } from 'zod';
import { PRICE_FIELDS, TIMEFRAMES } from './candles.ts';
import {
  MaxOpenTradesSchema,
  ROI_DISABLED,
  RoiSchema,
  StoplossSchema,
  TrailingStopSchema,
} from './spec-risk.ts';
import { level, oneOf, show, wholeNumber } from './spec-rules.ts';

const priceField = (label: string) => oneOf(label, PRICE_FIELDS);

const movingAverage = <const K extends 'sma' | 'ema'>(kind: K) =>
  z.strictObject({
    kind: z.literal(kind),
    period: wholeNumber(`${kind} period`, 2, 500),
    source: priceField(`${kind} source`).default('close'),
  });

const V1_KINDS = ['price', 'sma', 'ema', 'rsi'] as const;

const SeriesV1Schema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('price'), field: priceField('price field') }),
    movingAverage('sma'),
    movingAverage('ema'),
    z.strictObject({ kind: z.literal('rsi'), period: wholeNumber('rsi period', 2, 200) }),
  ],
  {
    error: (iss) => {
      const input = iss.input;
      if (typeof input === 'object' && input !== null && 'kind' in input) {
        return `series kind must be one of ${V1_KINDS.join(', ')}, got ${show(input.kind)}`;
      }
      return `series must be an object such as {"kind":"sma","period":20}, got ${show(input)}`;
    },
  },
);

const SideSchema = z.union([level('level'), SeriesV1Schema], {
  error: (iss) => `right side must be a number or a series, got ${show(iss.input)}`,
});

const V1_OPS = ['crosses_above', 'crosses_below', 'above', 'below'] as const;

const ConditionV1Schema = z
  .discriminatedUnion(
    'op',
    [
      z.strictObject({
        op: oneOf('cross op', ['crosses_above', 'crosses_below']),
        left: SeriesV1Schema,
        right: SideSchema,
      }),
      z.strictObject({
        op: oneOf('compare op', ['above', 'below']),
        left: SeriesV1Schema,
        right: SideSchema,
      }),
    ],
    {
      error: (iss) => {
        const input = iss.input;
        if (typeof input === 'object' && input !== null && 'op' in input) {
          return `condition op must be one of ${V1_OPS.join(', ')}, got ${show(input.op)}`;
        }
        return `condition must be an object with op, left and right, got ${show(input)}`;
      },
    },
  )
  .refine((c) => typeof c.right === 'number' || JSON.stringify(c.left) !== JSON.stringify(c.right), {
    error: 'condition compares a series with itself; use two different series',
    path: ['right'],
  });

const conditions = (where: 'entry' | 'exit', min: number) =>
  z.strictObject({
    all: z
      .array(ConditionV1Schema, { error: `${where}.all must be a list of conditions` })
      .min(min, { error: `${where} needs at least one condition` })
      .max(10, { error: `${where} allows at most 10 conditions` }),
  });

const PAIR = /^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}$/;

/** The version-1 spec as it was stored: one all-group per side, long only, SMA/EMA/RSI and prices. */
export const StrategySpecV1Schema = z.strictObject(
  {
    specVersion: z.literal(1),
    timeframe: oneOf('timeframe', TIMEFRAMES),
    pairs: z
      .array(
        z.string().regex(PAIR, {
          error: (iss) => `pair must look like BASE/QUOTE in capitals, e.g. BTC/USDT, got ${show(iss.input)}`,
        }),
        {
          error: 'pairs must be a list such as ["BTC/USDT"]',
        },
      )
      .min(1, { error: 'pairs needs at least one pair, e.g. ["BTC/USDT"]' }),
    entry: conditions('entry', 1),
    exit: conditions('exit', 0),
    stoploss: StoplossSchema,
    minimalRoi: RoiSchema.default(() => ({ ...ROI_DISABLED })),
    trailingStop: TrailingStopSchema.optional(),
    maxOpenTrades: MaxOpenTradesSchema.optional(),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' ? `spec must be a JSON object, got ${show(iss.input)}` : undefined,
  },
);
export type StrategySpecV1 = z.infer<typeof StrategySpecV1Schema>;

/**
 * A version-1 spec in version-2 words. Pure: version 1 is a subset of version 2 (one all-group per side,
 * spot, long only), so only the version number changes; validation fills version 2's defaults after.
 */
export function upgradeSpec(v1: StrategySpecV1): Omit<StrategySpecV1, 'specVersion'> & { specVersion: 2 } {
  return { ...structuredClone(v1), specVersion: 2 };
}
