// Offline parser, which way a long trade enters: on the way up (golden cross, "crosses above", "above") or
// on the way down. Shorts are read by the general reader, so here a downward cue opens a long only when the
// trader puts a buy word next to it; a death cross on its own is refused, never turned into a golden-cross entry.
import { fail, type Scan, takeAll, takeSpan } from './text.ts';

// "NO longs", "never long": ruled out and taken out. "no long upper wick" is about a candle, not a side.
const NO_LONGS =
  /\b(?:no|never|not)\s+(?:go(?:ing)?\s+)?(?:longs\b|long(?:\s+(?:positions?|trades?|side))?(?=\s*(?:[,.;!]|$|at\s+all|please|allowed|ever)))/g;
const NO_SHORTS =
  /\b(?:no|never|not)\s+(?:go(?:ing)?\s+)?(?:shorts\b|shorting\b|short(?:\s+(?:positions?|trades?|side))?(?=\s*(?:[,.;!]|$|at\s+all|please|allowed|ever)))|\bi\s+never\s+short\b/g;
// "short only", "only short", "long-only", "spot only": only the word "only" goes; the side word stays an
// action ("short only when rsi is above 80").
const SHORT_ONLY = /\bshort(?:s|ing)?\s*-?\s*(only)\b|\b(only)\s+(?=short)/g;
const LONG_ONLY = /\blong(?:s)?\s*-?\s*(only)\b|\b(only)\s+(?=longs?\b)|\bspot\s*-?\s*only\b/g;

function takeOnly(scan: Scan, pattern: RegExp): boolean {
  let found = false;
  for (const match of scan.lower.matchAll(pattern)) {
    found = true;
    const word = match[0].search(/only/);
    if (/spot/.test(match[0])) takeSpan(scan, match.index, match[0].length);
    else if (word !== -1) takeSpan(scan, match.index + word, 4);
  }
  return found;
}

/**
 * "short only, never long", "NO longs", "long-only", "spot only": which sides the trader rules out, taken
 * out of the text so their "long" and "short" don't open a side of their own.
 */
export function readDirectionWords(scan: Scan): { noLongs: boolean; noShorts: boolean } {
  const noLongs = takeAll(scan, NO_LONGS).length > 0 || takeOnly(scan, SHORT_ONLY);
  const noShorts = takeAll(scan, NO_SHORTS).length > 0 || takeOnly(scan, LONG_ONLY);
  if (noLongs && noShorts) fail('You ruled out both longs and shorts; say which side to trade.');
  return { noLongs, noShorts };
}

/** A directional phrase as the trader wrote it, and the side of the trade its clause names, if any. */
export type Cue = { dir: 'up' | 'down'; side: 'entry' | 'exit' | undefined; text: string };

function find(cues: readonly Cue[], side: Cue['side'], dir: Cue['dir']): Cue | undefined {
  return cues.find((c) => c.side === side && c.dir === dir);
}

/**
 * The direction that opens the trade. Cues without a buy or sell word follow the usual long reading (up
 * opens, down closes); `hinted` says the trader named a buy elsewhere ("buy BTC ..., sell on the death
 * cross"), so an exit-only cue can leave the entry to the usual reading. `example` completes the question.
 */
export function entryDirection(cues: readonly Cue[], hinted: boolean, example: string): 'up' | 'down' {
  const ask = `Say when to buy, for example: ${example}.`;
  const buyUp = find(cues, 'entry', 'up');
  const buyDown = find(cues, 'entry', 'down');
  if (buyUp && buyDown) {
    fail(`"${buyUp.text}" and "${buyDown.text}" both read as buy signals; which one do you mean? ${ask}`);
  }
  if (buyUp || buyDown) return buyUp ? 'up' : 'down';
  const sellUp = find(cues, 'exit', 'up');
  const freeUp = find(cues, undefined, 'up');
  const freeDown = find(cues, undefined, 'down');
  // "death cross, sell on the golden cross": the unassigned cue is the buy.
  if (sellUp) return freeDown && !freeUp ? 'down' : fail(ask);
  if (freeUp) return 'up';
  if (freeDown) {
    fail(
      `On its own, "${freeDown.text}" reads as a sell signal; to trade it short, say "short" and add "on futures". ${ask}`,
    );
  }
  if (find(cues, 'exit', 'down') && !hinted) fail(ask);
  return 'up';
}
