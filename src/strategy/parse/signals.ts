// What every signal reader hands back to the offline parser: entry and exit conditions plus a short
// label for the suggested strategy name ("sma-20-50", "rsi-30-70").
import type { Condition } from '../spec.ts';

/** A condition with a right side (crosses, above, below): the only kinds the offline reader writes. */
export type Comparison = Extract<Condition, { right: unknown }>;

/** Conditions read from the text, and the words that name them. */
export type Signals = {
  entry: Comparison[];
  exit: Comparison[];
  label: string;
  /** The usual exit when the text names none, with its line for the card; used only without ROI or trailing. */
  usualExit?: { exit: Comparison[]; assumed: string };
};

/** Comparison words traders use, and which way they point. */
export const ABOVE_WORDS = String.raw`above|over|greater\s+than|more\s+than|higher\s+than|exceeds?`;
export const BELOW_WORDS = String.raw`below|under|less\s+than|lower\s+than`;

const POINTS_UP = new RegExp(`^(?:${ABOVE_WORDS}|>=?|up)`);

/** "above", "over", "greater than", ">" -> above; the rest -> below. */
export function directionOf(word: string): 'above' | 'below' {
  return POINTS_UP.test(word) ? 'above' : 'below';
}
