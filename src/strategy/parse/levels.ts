// Offline parser, levels in a trader's words: "oversold" and "overbought" as the usual zone of each
// oscillator (RSI 30/70, Stochastic and MFI 20/80, CCI -100/100), and a level "reached" ("sell at 70",
// "rsi hits 80", "cover at 40"), whose direction comes from the level the trade was opened at, else from
// which half of the oscillator's range it lies in. Each default is said back on the card.
import { describeItem } from '../describe.ts';
import type { Condition, Series } from '../spec.ts';
import { seriesName } from './terms.ts';
import { fail } from './text.ts';

export const ZONES: Partial<Record<Series['kind'], { low: number; high: number }>> = {
  rsi: { low: 30, high: 70 },
  stochastic: { low: 20, high: 80 },
  mfi: { low: 20, high: 80 },
  cci: { low: -100, high: 100 },
};

/** RSI 14, the oscillator "oversold" means when the trader names none. */
export function defaultOscillator(): Series {
  return { kind: 'rsi', period: 14 };
}

/**
 * "stoch is oversold": %K below 20; "comes out of oversold" (`leaving`): %K crossing back above 20.
 * `assumed` gets the line that says so.
 */
export function zoneCondition(
  subject: Series,
  zone: 'oversold' | 'overbought',
  leaving: boolean,
  assumed: string[],
): Condition {
  const levels = ZONES[subject.kind];
  if (levels === undefined) {
    return fail(
      `${seriesName(subject)} has no oversold or overbought zone; give a level, for example: RSI below 30.`,
    );
  }
  const low = zone === 'oversold';
  const level = low ? levels.low : levels.high;
  const condition: Condition = leaving
    ? { op: low ? 'crosses_above' : 'crosses_below', left: subject, right: level }
    : { op: low ? 'below' : 'above', left: subject, right: level };
  assumed.push(
    `${leaving ? `Leaving ${zone}` : `${zone[0]?.toUpperCase()}${zone.slice(1)}`} read as: ${describeItem(condition)}.`,
  );
  return condition;
}

function sameSeries(a: Series, b: Series): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * "sell at 70" after "buy when RSI is below 30": RSI above 70. The level is compared with the one the
 * previous condition on the same series used; without one, the upper half of an oscillator's range reads
 * as above and the lower half as below.
 */
export function reachCondition(
  subject: Series,
  level: number,
  previous: Condition | undefined,
  assumed: string[],
): Condition {
  const before =
    previous !== undefined &&
    'right' in previous &&
    typeof previous.right === 'number' &&
    sameSeries(previous.left, subject)
      ? previous.right
      : undefined;
  const said = (condition: Condition): Condition => {
    assumed.push(`"${level}" read as: ${describeItem(condition)}.`);
    return condition;
  };
  if (before !== undefined && before !== level) {
    return said({ op: level > before ? 'above' : 'below', left: subject, right: level });
  }
  const zone = ZONES[subject.kind];
  if (zone === undefined) {
    return fail(
      `Above or below ${level}, for ${seriesName(subject)}? Say which, for example: sell when RSI is above 70.`,
    );
  }
  return said({ op: level >= (zone.low + zone.high) / 2 ? 'above' : 'below', left: subject, right: level });
}
