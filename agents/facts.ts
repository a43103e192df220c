// What the bot states about itself and a chat answer of the model's may repeat: its timeframes and pairs
// (by name and by count), its limits, and the figures of its own help ("SMA 20/50 ... 5% stop"). Without
// them, "I test 10 timeframes (1m to 1d)" reads as invented numbers and a true answer is replaced.
import { TIMEFRAMES } from '../src/strategy/spec.ts';
import { type StatedFacts, statedFigures } from './explain/grounding.ts';

/** The facts the composition root knows: the pairs with data and the limits users are told of. */
export type BotFacts = { pairs: readonly string[]; limits: readonly number[] };

export function statedFacts(facts: BotFacts | undefined, ownWords: readonly string[]): StatedFacts {
  const pairs = facts?.pairs ?? [];
  return {
    names: [...TIMEFRAMES, ...pairs],
    figures: [
      String(TIMEFRAMES.length),
      ...(pairs.length > 0 ? [String(pairs.length)] : []),
      ...(facts?.limits ?? []).map(String),
      ...ownWords.flatMap(statedFigures),
    ],
  };
}
