// Risk and money management: stop-loss, take-profit table, trailing stop, open-trade cap, stake per trade
// and Freqtrade protections (cooldown after a trade, pause after a run of stop-losses).
import { z } from 'zod';
import { numberIn, ratio, show, wholeNumber } from './spec-rules.ts';

/**
 * Take-profit table used when the trader asks for none: a 1000% target, which in practice never triggers,
 * so trades close only by the exit conditions, the stop-loss or a trailing stop. Freqtrade needs some
 * minimal_roi, and inventing a take-profit the trader never asked for would change their strategy.
 */
export const ROI_DISABLED: Readonly<Record<string, number>> = Object.freeze({ '0': 10 });

/** ROI targets at or above this ratio count as "no take-profit". */
export const ROI_OFF_RATIO = 10;

export const StoplossSchema = ratio('stoploss', -0.99, -0.001, 'negative, e.g. -0.05 for a 5% stop');

export const RoiSchema = z
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

export const TrailingStopSchema = z
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

/**
 * A stop set at entry, `multiplier` times the ATR below the entry price (above it for a short), in place
 * of a fixed percentage; `stoploss` stays the widest it may be.
 */
export const AtrStopSchema = z.strictObject({
  period: wholeNumber('atrStop.period', 2, 200).default(14),
  multiplier: numberIn('atrStop.multiplier', 0.5, 10),
  // Trailing: the distance is kept from the best price since the entry (the highest high of a long, the
  // lowest low of a short), with the latest ATR, instead of fixed from the entry price.
  trailing: z.boolean().optional(),
});

export const MaxOpenTradesSchema = wholeNumber('maxOpenTrades', 1, 100);

const stakeError = (iss: { input?: unknown }) =>
  `stakeAmount must be "unlimited" or a positive number of the stake currency up to 1000000, got ${show(iss.input)}`;

/** Stake per trade in the stake currency, or "unlimited" to split the wallet across open trades. */
export const StakeAmountSchema = z.union(
  [
    z.literal('unlimited', { error: stakeError }),
    z.number({ error: stakeError }).positive({ error: stakeError }).max(1_000_000, { error: stakeError }),
  ],
  { error: stakeError },
);

export const ProtectionsSchema = z
  .strictObject({
    cooldownCandles: wholeNumber('protections.cooldownCandles', 1, 1000).optional(),
    stoplossGuard: z
      .strictObject({
        lookbackCandles: wholeNumber('stoplossGuard.lookbackCandles', 1, 1000),
        tradeLimit: wholeNumber('stoplossGuard.tradeLimit', 1, 100),
        stopCandles: wholeNumber('stoplossGuard.stopCandles', 1, 1000),
      })
      .optional(),
  })
  .refine((p) => p.cooldownCandles !== undefined || p.stoplossGuard !== undefined, {
    error: 'protections needs cooldownCandles or stoplossGuard; leave protections out for none',
  });
export type Protections = z.infer<typeof ProtectionsSchema>;
