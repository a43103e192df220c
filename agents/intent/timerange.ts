// The timerange of a backtest request, as typed. A range the date reader understands is passed on as its
// words ("last 6 months"). Whatever else follows the target, after the filler a request may carry
// ("please", "again", "for me"), is a timerange too: one the reader can't read ("sometime", "during the
// dip") is passed on as typed, so the backtest answers "I can't read the period …" instead of quietly
// running the default range. Only a request that names no timerange at all gets the default.
import { isAppError } from '../../src/errors.ts';
import { parseTimerangeWords } from '../../src/services/timerange.ts';

/** Words that ask for nothing: they never name a timerange. */
const FILLER =
  /\b(?:please|pls|now|right now|again|once more|one more time|for me|too|as well|quickly|thanks|thank you|(?:it|this|that)(?: one)?|(?:the|my|this|that)\s+(?:last\s+)?(?:strategy|one)|strategy)\b/gi;

/** The longest a timerange may be (the backtest tool's input schema). */
const MAX_TIMERANGE = 60;

/** What follows the backtest verb and its target: "backtest btc-x next year" -> "next year". */
function afterTarget(text: string, names: string[]): string {
  // Everything up to the verb goes: "no, backtest it" names no timerange "backtest it".
  const verb = /\bback[\s-]?test\w*\s*/i.exec(text);
  let rest = verb
    ? text.slice(verb.index + verb[0].length)
    : text.replace(/^(?:please\s+|can you\s+|could you\s+|now\s+)*/i, '').replace(/^\S+\s*/, '');
  for (const name of names) rest = rest.replace(new RegExp(`\\b${name}\\b`, 'i'), ' ');
  return rest
    .replace(/^\s*(?:(?:it|this|that|this one|that one|again|the strategy|strategy|please)\b\s*)*/i, '')
    .replace(/[\s.!?]+$/, '')
    .trim();
}

/** True when `words` are only filler and punctuation. */
const onlyFiller = (words: string) => words.replace(FILLER, ' ').replace(/[\s,.!?;:]+/g, '') === '';

/**
 * The timerange a backtest request names: the words of a readable range, the words of an unreadable one,
 * or null when it names none. `rest` is the text without a readable range (for finding the name).
 */
export function timerangeOf(
  text: string,
  names: string[],
  now: Date,
): { rest: string; timerange: string | null } {
  const words = afterTarget(text, names);
  let range: ReturnType<typeof parseTimerangeWords>;
  try {
    range = parseTimerangeWords(text, now);
  } catch (err) {
    // A range that can't be ("2023 and 2025", reversed dates): the backtest says why, in its own words.
    if (isAppError(err) && err.code === 'BAD_TIMERANGE')
      return { rest: text, timerange: words.slice(0, MAX_TIMERANGE) };
    throw err;
  }
  if (range) return { rest: text.replace(range.matched, ' '), timerange: range.matched };
  if (onlyFiller(words)) return { rest: text, timerange: null };
  return { rest: text, timerange: words.slice(0, MAX_TIMERANGE) };
}
