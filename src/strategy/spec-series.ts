// Series: a column of numbers per candle that conditions compare. Price fields and indicators, each
// parameter with its range and sentence. A series may carry `timeframe` to read the informative (higher)
// timeframe instead of the strategy's own, e.g. "close above the 4h EMA 200".
import { z } from 'zod';
import { PRICE_FIELDS, TIMEFRAMES } from './candles.ts';
import { numberIn, oneOf, show, wholeNumber } from './spec-rules.ts';

const priceField = (label: string) => oneOf(label, PRICE_FIELDS);
const timeframe = oneOf('series timeframe', TIMEFRAMES).optional();

const PriceSchema = z
  .strictObject({
    kind: z.literal('price'),
    field: priceField('price field'),
    // That many candles before the one being traded: "above the previous candle's high" is the high 1 ago.
    ago: wholeNumber('price ago', 1, 500).optional(),
    timeframe,
  })
  // On the strategy's candles only: a higher timeframe's candles are merged onto the strategy's, where a
  // shift counts the strategy's candles, not the higher ones.
  .refine((p) => p.ago === undefined || p.timeframe === undefined, {
    error: 'price ago counts the strategy timeframe candles; drop timeframe or ago',
    path: ['ago'],
  });

function movingAverage<const K extends 'sma' | 'ema' | 'wma'>(kind: K) {
  return z.strictObject({
    kind: z.literal(kind),
    period: wholeNumber(`${kind} period`, 2, 500),
    // An average of a price field, or of OBV ("OBV crosses above its 20 EMA").
    source: oneOf(`${kind} source`, [...PRICE_FIELDS, 'obv']).default('close'),
    timeframe,
  });
}

/** Indicators whose only parameter is a period over the candles. */
function periodOnly<const K extends string>(kind: K, max: number) {
  return z.strictObject({ kind: z.literal(kind), period: wholeNumber(`${kind} period`, 2, max), timeframe });
}

const MacdSchema = z
  .strictObject({
    kind: z.literal('macd'),
    fast: wholeNumber('macd fast', 2, 100).default(12),
    slow: wholeNumber('macd slow', 3, 200).default(26),
    signal: wholeNumber('macd signal', 2, 100).default(9),
    output: oneOf('macd output', ['line', 'signal', 'histogram']),
    timeframe,
  })
  .refine((m) => m.fast < m.slow, {
    error: 'macd fast must be smaller than macd slow',
    path: ['fast'],
  });

const BollingerSchema = z.strictObject({
  kind: z.literal('bollinger'),
  period: wholeNumber('bollinger period', 2, 200).default(20),
  stddev: numberIn('bollinger stddev', 0.5, 5).default(2),
  output: oneOf('bollinger output', ['upper', 'middle', 'lower', 'percent_b', 'width']),
  timeframe,
});

const StochasticSchema = z.strictObject({
  kind: z.literal('stochastic'),
  k: wholeNumber('stochastic k', 2, 100).default(14),
  d: wholeNumber('stochastic d', 1, 50).default(3),
  smooth: wholeNumber('stochastic smooth', 1, 50).default(3),
  output: oneOf('stochastic output', ['k', 'd']),
  timeframe,
});

const AdxSchema = z.strictObject({
  kind: z.literal('adx'),
  period: wholeNumber('adx period', 2, 100),
  output: oneOf('adx output', ['adx', 'plus_di', 'minus_di']),
  timeframe,
});

const ObvSchema = z.strictObject({ kind: z.literal('obv'), timeframe });

const DonchianSchema = z.strictObject({
  kind: z.literal('donchian'),
  period: wholeNumber('donchian period', 2, 500),
  output: oneOf('donchian output', ['upper', 'middle', 'lower']),
  // The channel of OBV instead of price: "OBV makes a new high" is OBV above its channel's upper line.
  source: oneOf('donchian source', ['price', 'obv']).optional(),
  timeframe,
});

/** Every series kind, in the order error sentences list them. */
export const SERIES_KINDS = [
  'price',
  'sma',
  'ema',
  'wma',
  'rsi',
  'macd',
  'bollinger',
  'stochastic',
  'atr',
  'adx',
  'cci',
  'mfi',
  'obv',
  'vwap',
  'donchian',
  'volume_sma',
] as const;

/** A column of numbers per candle: a price field or an indicator computed from the candles. */
export const SeriesSchema = z
  .discriminatedUnion(
    'kind',
    [
      PriceSchema,
      movingAverage('sma'),
      movingAverage('ema'),
      movingAverage('wma'),
      periodOnly('rsi', 200),
      MacdSchema,
      BollingerSchema,
      StochasticSchema,
      periodOnly('atr', 200),
      AdxSchema,
      periodOnly('cci', 200),
      periodOnly('mfi', 200),
      ObvSchema,
      // VWAP over a rolling window of candles: crypto trades around the clock, so there is no session.
      periodOnly('vwap', 500),
      DonchianSchema,
      periodOnly('volume_sma', 500),
    ],
    {
      error: (iss) => {
        const input = iss.input;
        if (typeof input === 'object' && input !== null && 'kind' in input) {
          return `series kind must be one of ${SERIES_KINDS.join(', ')}, got ${show(input.kind)}`;
        }
        return `series must be an object such as {"kind":"sma","period":20}, got ${show(input)}`;
      },
    },
    // One definition in JSON Schema ($defs), referenced wherever a series may appear; inlined it would
    // make the model's function schema hundreds of kilobytes.
  )
  .meta({ id: 'Series' });
export type Series = z.infer<typeof SeriesSchema>;
export type SeriesKind = Series['kind'];
